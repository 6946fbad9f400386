#include "reports/output/check_output.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/display.hpp"
#include "core/model.hpp"
#include "reports/output/json_values.hpp"

namespace perftrack::reports::output {

namespace {

using detect::CheckResult;
using detect::SeriesVerdict;
using detect::Status;

// Display order: what needs attention first.
int rank(const SeriesVerdict& v) {
    switch (v.status) {
        case Status::regression:
            return 0;
        case Status::improvement:
            return 1;
        case Status::unchanged:
            return v.pending ? 2 : 3;
        case Status::insufficient_data:
            return 4;
        case Status::new_series:
            return 5;
    }
    return 6;
}

std::vector<const SeriesVerdict*> by_rank(const CheckResult& r) {
    std::vector<const SeriesVerdict*> rows;
    for (const auto& v : r.results) rows.push_back(&v);
    std::stable_sort(rows.begin(), rows.end(), [](const SeriesVerdict* a, const SeriesVerdict* b) {
        return rank(*a) < rank(*b);
    });
    return rows;
}

std::string status_label(const SeriesVerdict& v) {
    if (v.status == Status::unchanged && v.pending) return "pending";
    if (v.status == Status::insufficient_data) return "insufficient";
    return std::string(detect::to_string(v.status));
}

// The values the change compares (so change = candidate / baseline - 1 on the row), or the
// medians where the series was not tested.
double shown_baseline(const SeriesVerdict& v) {
    return std::isnan(v.baseline_value) ? v.baseline_median : v.baseline_value;
}
double shown_candidate(const SeriesVerdict& v) {
    return std::isnan(v.candidate_value) ? v.candidate_median : v.candidate_value;
}

// Those two values in one scale (the baseline's), so they read side by side: "47.4 µs".
std::pair<std::string, std::string> values_text(const SeriesVerdict& v) {
    const double baseline = shown_baseline(v), candidate = shown_candidate(v);
    const auto scale = core::shared_scale(v.series.unit, baseline, candidate);
    return {core::format_scaled(baseline, scale), core::format_scaled(candidate, scale)};
}

// Notes worth printing under the table: a flag or a pending shift, and on a pull request also
// what re-runs cleared or left undecided.
bool note_worth_printing(const CheckResult& r, const SeriesVerdict& v) {
    if (v.note.empty() || v.status == Status::new_series) return false;
    if (v.status != Status::unchanged || v.pending) return true;
    return r.pull_request && (v.rerun_stage == detect::RerunStage::cleared ||
                              v.rerun_stage == detect::RerunStage::undecided);
}

std::string summary_line(const CheckResult& r) {
    const std::size_t reg = r.count(Status::regression), imp = r.count(Status::improvement);
    std::string head;
    if (reg == 0 && imp == 0) {
        head = "no significant change";
    } else {
        std::vector<std::string> parts;
        if (reg > 0) parts.push_back(fmt::format("{} regression{}", reg, reg == 1 ? "" : "s"));
        if (imp > 0) parts.push_back(fmt::format("{} improvement{}", imp, imp == 1 ? "" : "s"));
        head = fmt::format("{}", fmt::join(parts, ", "));
    }
    return fmt::format(
        "{} in {} series: {} on {} vs {}{}", head, r.results.size(), core::short_sha(r.commit),
        r.branch, r.baseline_branch,
        r.baseline_commit ? " @ " + core::short_sha(*r.baseline_commit) : std::string());
}

}  // namespace

nlohmann::json check_json(const CheckResult& r) {
    nlohmann::json results = nlohmann::json::array();
    for (const auto& v : r.results) {
        nlohmann::json j;
        j["benchmark"] = v.series.benchmark;
        j["suite"] = v.series.suite;
        j["params"] = v.series.params;
        j["metric"] = v.series.metric;
        j["unit"] = v.series.unit;
        j["direction"] = core::to_string(v.series.direction);
        j["status"] = detect::to_string(v.status);
        j["change"] = number_or_null(v.change);
        j["ci"] = {number_or_null(v.ci_low), number_or_null(v.ci_high)};
        j["p_value"] = number_or_null(v.p_value);
        j["q_value"] = number_or_null(v.q_value);
        j["since"] = string_or_null(v.since);
        j["pending"] = v.pending;
        j["exact"] = v.exact;
        j["note"] = v.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.note);
        j["baseline"] = {{"commits", v.baseline_commits},
                         {"level_commits", v.level_commits},
                         {"median", number_or_null(v.baseline_median)},
                         {"value", number_or_null(v.baseline_value)},
                         {"from", string_or_null(v.baseline_from)},
                         {"to", string_or_null(v.baseline_to)}};
        j["candidate"] = {{"runs", v.candidate_runs},
                          {"runs_used", v.runs_used},
                          {"median", number_or_null(v.candidate_median)},
                          {"value", number_or_null(v.candidate_value)}};
        if (r.pull_request) {
            j["candidate"]["reruns"] = detect::to_string(v.rerun_stage);
            j["candidate"]["rerun_change"] = number_or_null(v.rerun_change);
        }
        results.push_back(std::move(j));
    }
    nlohmann::json summary = {
        {"project", r.project},
        {"testbed", r.testbed},
        {"branch", r.branch},
        {"commit", r.commit},
        {"baseline_branch", r.baseline_branch},
        {"baseline_commit", string_or_null(r.baseline_commit)},
        {"pull_request", r.pull_request},
        {"alpha", r.alpha},
        {"min_change", r.thresholds.min_change},
        {"exact_tolerance", r.thresholds.exact_tolerance},
        {"series", r.results.size()},
        {"regressions", r.count(Status::regression)},
        {"improvements", r.count(Status::improvement)},
        {"unchanged", r.count(Status::unchanged)},
        {"insufficient_data", r.count(Status::insufficient_data)},
        {"new", r.count(Status::new_series)},
    };
    return {{"results", std::move(results)}, {"summary", std::move(summary)}, {"notes", r.notes}};
}

std::string render_check_text(const CheckResult& r, const TextOptions& options) {
    const auto rows = by_rank(r);
    std::vector<std::vector<std::string>> cells;
    // A pull request's rows also say how many runs decided and what the re-runs did.
    const bool runs = r.pull_request;
    cells.push_back(
        {"STATUS", "BENCHMARK", "METRIC", "BASELINE", "CANDIDATE", "CHANGE", "95% CI", "Q"});
    if (runs) cells[0].insert(cells[0].end() - 1, "RUNS");
    for (const auto* v : rows) {
        const auto [baseline, candidate] = values_text(*v);
        cells.push_back({status_label(*v), core::series_name(v->series), v->series.metric, baseline,
                         candidate, core::format_change(v->change),
                         core::format_interval(v->ci_low, v->ci_high),
                         core::format_probability(v->q_value)});
        if (runs) cells.back().insert(cells.back().end() - 1, detect::runs_summary(*v));
    }
    std::vector<std::size_t> width(cells[0].size(), 0);
    for (const auto& row : cells)
        for (std::size_t c = 0; c < row.size(); ++c)
            width[c] = std::max(width[c], core::text_width(row[c]));
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        std::string line;
        for (std::size_t c = 0; c < cells[i].size(); ++c) {
            // Numbers right-aligned, text left-aligned; no trailing spaces.
            const bool numeric = c >= 3 && cells[0][c] != "RUNS";
            const std::string& cell = cells[i][c];
            const std::string pad(width[c] - core::text_width(cell), ' ');
            if (c > 0) line += "  ";
            line += numeric ? pad + cell : (c + 1 == cells[i].size() ? cell : cell + pad);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        if (options.colour && i > 0) {
            const auto* v = rows[i - 1];
            const char* colour = v->status == Status::regression    ? "\x1b[31m"
                                 : v->status == Status::improvement ? "\x1b[32m"
                                 : v->pending                       ? "\x1b[33m"
                                 : v->status == Status::unchanged   ? ""
                                                                    : "\x1b[2m";
            if (*colour != '\0') line = colour + line + "\x1b[0m";
        } else if (options.colour) {
            line = "\x1b[1m" + line + "\x1b[0m";
        }
        out += line + "\n";
    }
    for (const auto* v : rows) {
        if (!note_worth_printing(r, *v)) continue;
        out +=
            fmt::format("{} ({}): {}\n", core::series_name(v->series), v->series.metric, v->note);
    }
    for (const auto& n : r.notes) out += "note: " + n + "\n";
    out += "perftrack check: " + summary_line(r) + "\n";
    return out;
}

std::string render_check_markdown(const CheckResult& r) {
    const std::size_t reg = r.count(Status::regression), imp = r.count(Status::improvement);
    std::string out;
    out += fmt::format("### {} perftrack: {}\n\n", reg > 0 ? "\xF0\x9F\x94\xB4" : "\xE2\x9C\x85",
                       core::markdown_text(summary_line(r)));
    const auto rows = by_rank(r);
    const bool runs = r.pull_request;  // a pull request's rows say how many runs decided
    auto table_row = [&](const SeriesVerdict& v, bool with_status) {
        std::string row = "|";
        if (with_status)
            row += " " +
                   std::string(v.status == Status::regression ? "regression" : "improvement") +
                   " |";
        const auto [baseline, candidate] = values_text(v);
        row += fmt::format(" {} | {} | {} | {} | {} | {} |",
                           core::markdown_text(core::series_name(v.series)),
                           core::markdown_text(v.series.metric), core::markdown_text(baseline),
                           core::markdown_text(candidate), core::format_change(v.change),
                           core::format_interval(v.ci_low, v.ci_high));
        if (runs) row += " " + core::markdown_text(detect::runs_summary(v)) + " |";
        row += " " + core::format_probability(v.q_value) + " |";
        return row + "\n";
    };
    const std::string runs_head = runs ? " Runs |" : "";
    const std::string runs_rule = runs ? "---|" : "";
    if (reg + imp > 0) {
        out += "| | Benchmark | Metric | Baseline | Candidate | Change | 95% CI |" + runs_head +
               " q |\n";
        out += "|---|---|---|---|---:|---:|---|" + runs_rule + "---:|\n";
        for (const auto* v : rows)
            if (v->status == Status::regression || v->status == Status::improvement)
                out += table_row(*v, true);
        out += "\n";
        for (const auto* v : rows)
            if ((v->status == Status::regression || v->status == Status::improvement) &&
                !v->note.empty())
                out += fmt::format("- {}: {}\n", core::markdown_text(core::series_name(v->series)),
                                   core::markdown_text(v->note));
    }
    const std::size_t rest = r.results.size() - reg - imp;
    if (rest > 0) {
        out += fmt::format(
            "\n<details><summary>{} unchanged, {} insufficient data, {} new</summary>\n\n",
            r.count(Status::unchanged), r.count(Status::insufficient_data),
            r.count(Status::new_series));
        out += "| Status | Benchmark | Metric | Baseline | Candidate | Change | 95% CI |" +
               runs_head + " q |\n";
        out += "|---|---|---|---:|---:|---:|---|" + runs_rule + "---:|\n";
        for (const auto* v : rows) {
            if (v->status == Status::regression || v->status == Status::improvement) continue;
            std::string row = table_row(*v, false);
            out += "| " + status_label(*v) + " " + row;
        }
        for (const auto* v : rows)
            if (v->status != Status::regression && v->status != Status::improvement &&
                note_worth_printing(r, *v))
                out += fmt::format("\n- {}: {}", core::markdown_text(core::series_name(v->series)),
                                   core::markdown_text(v->note));
        out += "\n</details>\n";
    }
    for (const auto& n : r.notes) out += "\n> " + core::markdown_text(n) + "\n";
    out += fmt::format(
        "\n<sub>alpha {} (false discovery rate), minimum change {}, testbed {}</sub>\n", r.alpha,
        core::format_change(r.thresholds.min_change), core::markdown_text(r.testbed));
    return out;
}

}  // namespace perftrack::reports::output
