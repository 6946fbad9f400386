#include "reports/render/variants_builder.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "reports/compare/grouping.hpp"
#include "reports/stats/descriptive.hpp"

namespace perftrack::reports::render {

namespace {

using ColumnKey = std::vector<std::string>;

bool has_all(const core::Params& params, const std::vector<std::string>& keys) {
    return std::all_of(keys.begin(), keys.end(),
                       [&](const std::string& k) { return params.contains(k); });
}

// The workload a series measures: its identity without the compared params, the metric and
// the unit (the table already fixes those).
core::SeriesId row_key(const std::string& suite, const std::string& benchmark,
                       const core::Params& params, const std::vector<std::string>& by) {
    core::SeriesId id;
    id.suite = suite;
    id.benchmark = benchmark;
    id.params = params;
    for (const auto& k : by) id.params.erase(k);
    return id;
}

ColumnKey column_key(const core::Params& params, const std::vector<std::string>& by) {
    ColumnKey key;
    for (const auto& k : by) key.push_back(compare::param_value_text(params.at(k)));
    return key;
}

// Columns in the order of `by`'s values, the reference value first among its param's values
// (so each framework's eager column leads its group).
struct ColumnOrder {
    std::size_t reference_index;
    const std::string& reference_value;
    bool operator()(const ColumnKey& a, const ColumnKey& b) const {
        for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
            if (a[i] == b[i]) continue;
            if (i == reference_index) {
                if (a[i] == reference_value) return true;
                if (b[i] == reference_value) return false;
            }
            return a[i] < b[i];
        }
        return a.size() < b.size();
    }
};

struct TableBuild {
    std::map<core::SeriesId, std::map<ColumnKey, VariantCell>> cells;  // row key -> column -> cell
    std::set<std::pair<std::string, std::string>> benchmarks;          // (suite, benchmark) seen
};

void mark_best(VariantRow& row, core::Direction direction) {
    std::optional<std::size_t> best;
    std::size_t valued = 0;
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
        const auto& c = row.cells[i];
        if (!c.median || !std::isfinite(*c.median)) continue;
        ++valued;
        if (!best) {
            best = i;
            continue;
        }
        const double current = *row.cells[*best].median;
        if (direction == core::Direction::lower ? *c.median < current : *c.median > current)
            best = i;
    }
    // One variant alone is not "the best" of anything.
    if (best && valued >= 2) row.cells[*best].best = true;
}

core::Result<VariantTable> build_table(const std::string& metric, const std::string& unit,
                                       const std::vector<core::Measurement>& ms,
                                       const std::vector<store::StoredFailure>& failures,
                                       const VariantsRequest& r, std::size_t reference_index) {
    VariantTable table;
    table.metric = metric;
    table.unit = unit;
    table.direction = ms.front().series.direction;
    table.speed = compare::verdict_words(compare::Verdict::better, ms.front().series) == "faster";

    // Every variant's samples joined across the commit's runs, as compare joins them.
    std::map<core::SeriesId, std::vector<double>> joined;
    for (const auto& m : ms) {
        auto& s = joined[m.series];
        s.insert(s.end(), m.samples.begin(), m.samples.end());
    }
    TableBuild build;
    for (const auto& [id, samples] : joined) {
        VariantCell cell;
        cell.kind = compare::param_value_text(id.params.at(r.reference_param)) == r.reference_value
                        ? VariantCellKind::reference
                        : VariantCellKind::unreferenced;
        cell.n = samples.size();
        if (auto median = stats::median(samples)) cell.median = *median;
        if (cell.kind == VariantCellKind::unreferenced)
            cell.note = fmt::format("no {} reference", r.reference_value);
        build.cells[row_key(id.suite, id.benchmark, id.params, r.by)][column_key(id.params, r.by)] =
            std::move(cell);
        build.benchmarks.emplace(id.suite, id.benchmark);
    }

    // The ratios: exactly compare's rows for this metric (one BH family per table).
    auto grouping = compare::rows_by_param(ms, r.reference_param, r.reference_value);
    if (grouping) {
        auto comparison = compare::compare_rows(std::move(grouping->rows), r.settings);
        if (!comparison) return tl::unexpected(comparison.error());
        const std::string prefix = r.reference_param + "=";
        for (const auto& row : comparison->rows) {
            core::Params params = row.series.params;
            params[r.reference_param] = row.candidate_label.substr(prefix.size());
            auto& cell = build.cells[row_key(row.series.suite, row.series.benchmark, params, r.by)]
                                    [column_key(params, r.by)];
            cell.kind = VariantCellKind::compared;
            cell.median = row.candidate.median;
            cell.n = row.candidate.n;
            cell.ratio = row.ratio;
            cell.ci_low = row.ci_low;
            cell.ci_high = row.ci_high;
            cell.p_value = row.p_value;
            cell.q_value = row.q_value;
            cell.verdict = row.verdict;
            cell.verdict_words = std::string(compare::verdict_words(row.verdict, row.series));
            cell.interval_unbounded = row.ratio && (row.ci_low == 0 || std::isinf(row.ci_high));
            cell.note = row.note;
        }
    }

    // Failed variants of the benchmarks this metric measures: in place of their values.
    for (const auto& f : failures) {
        if (!has_all(f.params, r.by) || !build.benchmarks.contains({f.suite, f.benchmark}))
            continue;
        auto& cell =
            build.cells[row_key(f.suite, f.benchmark, f.params, r.by)][column_key(f.params, r.by)];
        if (!cell.failure.empty()) continue;  // the first run's reason stands for the others
        cell.failure = f.message;
        if (cell.kind == VariantCellKind::missing) cell.kind = VariantCellKind::failed;
    }

    std::set<ColumnKey, ColumnOrder> columns(ColumnOrder{reference_index, r.reference_value});
    for (const auto& [key, by_column] : build.cells)
        for (const auto& [column, cell] : by_column) columns.insert(column);
    for (const auto& column : columns)
        table.columns.push_back({column, column[reference_index] == r.reference_value});
    for (auto& [key, by_column] : build.cells) {
        VariantRow row;
        row.suite = key.suite;
        row.benchmark = key.benchmark;
        row.params = key.params;
        for (const auto& column : columns) {
            auto it = by_column.find(column);
            row.cells.push_back(it == by_column.end() ? VariantCell{} : std::move(it->second));
        }
        mark_best(row, table.direction);
        for (const auto& c : row.cells) {
            if (c.kind != VariantCellKind::compared) continue;
            switch (c.verdict) {
                case compare::Verdict::better:
                    ++table.counts.better;
                    break;
                case compare::Verdict::worse:
                    ++table.counts.worse;
                    break;
                case compare::Verdict::no_difference:
                    ++table.counts.no_difference;
                    break;
                case compare::Verdict::insufficient:
                    ++table.counts.insufficient;
                    break;
            }
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

tl::unexpected<core::Error> usage(std::string message) {
    return core::fail(core::ErrorKind::usage, std::move(message));
}

}  // namespace

core::Result<void> check_variants_request(const VariantsRequest& r) {
    if (r.by.empty()) return usage("--compare-by needs at least one param name");
    std::set<std::string> seen;
    for (const auto& k : r.by) {
        if (k.empty()) return usage("--compare-by: an empty param name");
        if (!seen.insert(k).second)
            return usage(fmt::format("--compare-by names the param '{}' twice", k));
    }
    if (!seen.contains(r.reference_param))
        return usage(fmt::format(
            "--compare-ref {}={}: '{}' is not one of the --compare-by params ({})",
            r.reference_param, r.reference_value, r.reference_param, fmt::join(r.by, ",")));
    if (r.reference_value.empty()) return usage("--compare-ref needs a value after '='");
    return {};
}

core::Result<std::pair<std::string, std::string>> parse_variants_reference(std::string_view text) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
        return usage(
            fmt::format("--compare-ref must be PARAM=VALUE (e.g. mode=eager), got '{}'", text));
    return std::pair{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

core::Result<std::vector<std::string>> parse_variants_by(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const auto part = text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (part.empty())
            return usage(fmt::format(
                "--compare-by must be comma-separated param names (e.g. framework,mode), got '{}'",
                text));
        out.emplace_back(part);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

std::string variants_anchor(std::string_view metric) {
    std::string out = "variants-";
    for (const char ch : metric) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '_' || c == '-')
            out += ch;
        else
            out += fmt::format(".{:02x}", c);
    }
    return out;
}

core::Result<VariantsSection> build_variants(const std::vector<core::Measurement>& measurements,
                                             const std::vector<store::StoredFailure>& failures,
                                             const VariantsRequest& r, const std::string& commit,
                                             std::size_t runs) {
    if (auto ok = check_variants_request(r); !ok) {
        auto e = ok.error();
        e.kind = core::ErrorKind::input;
        return tl::unexpected(std::move(e));
    }
    VariantsSection out;
    out.by = r.by;
    out.reference_param = r.reference_param;
    out.reference_value = r.reference_value;
    out.commit = commit;
    out.runs = runs;
    out.settings = r.settings;
    const auto reference_index = static_cast<std::size_t>(
        std::find(r.by.begin(), r.by.end(), r.reference_param) - r.by.begin());

    std::map<std::pair<std::string, std::string>, std::vector<core::Measurement>> by_metric;
    for (const auto& m : measurements) {
        if (!has_all(m.series.params, r.by)) continue;
        if (!r.metrics.empty() &&
            std::find(r.metrics.begin(), r.metrics.end(), m.series.metric) == r.metrics.end())
            continue;
        by_metric[{m.series.metric, m.series.unit}].push_back(m);
    }
    std::vector<std::pair<std::string, std::string>> order;
    if (r.metrics.empty()) {
        for (const auto& [key, ms] : by_metric) order.push_back(key);
    } else {
        for (const auto& metric : r.metrics) {
            bool found = false;
            for (const auto& [key, ms] : by_metric) {
                if (key.first != metric) continue;
                if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
                found = true;
            }
            if (!found)
                out.notes.push_back(
                    fmt::format("No series of metric {} has the params {} at this commit.", metric,
                                fmt::join(r.by, ", ")));
        }
    }
    std::set<std::string> anchors;
    for (const auto& key : order) {
        auto table =
            build_table(key.first, key.second, by_metric.at(key), failures, r, reference_index);
        if (!table) return tl::unexpected(table.error());
        // A metric stored with two units gets two tables: keep their anchors apart.
        std::string anchor = variants_anchor(key.first);
        for (int i = 2; anchors.contains(anchor); ++i)
            anchor = fmt::format("{}.{}", variants_anchor(key.first), i);
        anchors.insert(anchor);
        table->anchor = anchor;
        out.tables.push_back(std::move(*table));
    }
    out.enabled = !out.tables.empty();
    return out;
}

}  // namespace perftrack::reports::render
