#include "reports/ab/ab_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "core/display.hpp"
#include "reports/stats/bootstrap.hpp"
#include "reports/stats/descriptive.hpp"
#include "reports/stats/fdr.hpp"
#include "reports/stats/rank_tests.hpp"

namespace perftrack::reports::ab {

namespace {

struct Pair {
    const core::Measurement* baseline = nullptr;
    const core::Measurement* candidate = nullptr;
};

int status_rank(AbStatus s) {
    switch (s) {
        case AbStatus::regression:
            return 0;
        case AbStatus::improvement:
            return 1;
        case AbStatus::unchanged:
            return 2;
        case AbStatus::insufficient_data:
            return 3;
    }
    return 4;
}

// The smallest number of non-zero paired differences for which the two-sided exact Wilcoxon
// signed-rank test can reach `alpha`: its smallest p-value is 2 / 2^n (all differences of one
// sign).
std::size_t rounds_needed(double alpha) {
    std::size_t n = 1;
    while (2.0 / std::pow(2.0, static_cast<double>(n)) > alpha && n < 64) ++n;
    return n;
}

SideSummary summarise(const std::vector<double>& x) {
    SideSummary s;
    s.n = x.size();
    if (x.empty()) return s;
    s.mean = stats::mean(x).value_or(0);
    s.median = stats::median(x).value_or(0);
    return s;
}

// The same display of a series as `perftrack check` uses.
std::string series_label(const AbVerdict& v) {
    return core::series_name(v.series) + " " + v.series.metric;
}

std::string summary_line(const AbReport& r) {
    return fmt::format(
        "A/B comparison of {} series: {} regressions, {} improvements, {} unchanged, {} without "
        "enough data (Wilcoxon signed-rank on paired rounds, Benjamini-Hochberg at {:g}, minimum "
        "change {:g}%)",
        r.results.size(), r.count(AbStatus::regression), r.count(AbStatus::improvement),
        r.count(AbStatus::unchanged), r.count(AbStatus::insufficient_data), r.settings.alpha,
        r.settings.min_change_pct);
}

}  // namespace

std::string_view to_string(AbStatus status) {
    switch (status) {
        case AbStatus::regression:
            return "regression";
        case AbStatus::improvement:
            return "improvement";
        case AbStatus::unchanged:
            return "unchanged";
        case AbStatus::insufficient_data:
            return "insufficient_data";
    }
    return "unchanged";
}

std::size_t AbReport::count(AbStatus status) const {
    return static_cast<std::size_t>(std::count_if(
        results.begin(), results.end(), [&](const AbVerdict& v) { return v.status == status; }));
}

core::Result<AbReport> compare_ab(const std::vector<core::Measurement>& measurements,
                                  const AbSettings& settings) {
    if (!(settings.alpha > 0 && settings.alpha < 1))
        return core::fail(core::ErrorKind::input, "alpha must be between 0 and 1");
    if (!(settings.min_change_pct >= 0))
        return core::fail(core::ErrorKind::input, "the minimum change must not be negative");

    // Keyed by the series without its side.
    std::map<core::SeriesId, Pair> pairs;
    for (const auto& m : measurements) {
        const auto side = m.series.params.find(k_side_param);
        if (side == m.series.params.end() || !side->is_string()) continue;
        core::SeriesId without_side = m.series;
        without_side.params.erase(k_side_param);
        Pair& p = pairs[without_side];
        if (*side == k_baseline) p.baseline = &m;
        if (*side == k_candidate) p.candidate = &m;
    }

    AbReport report;
    report.settings = settings;
    const std::size_t needed = rounds_needed(settings.alpha);
    std::vector<double> p_values;
    std::vector<std::size_t> tested;  // indices into report.results, parallel to p_values
    for (const auto& [series, pair] : pairs) {
        AbVerdict v;
        v.series = series;
        const auto rule = settings.min_change_pct_by_metric.find(series.metric);
        v.min_change = (rule != settings.min_change_pct_by_metric.end() ? rule->second
                                                                        : settings.min_change_pct) /
                       100.0;
        if (pair.baseline != nullptr) v.baseline = summarise(pair.baseline->samples);
        if (pair.candidate != nullptr) v.candidate = summarise(pair.candidate->samples);
        if (pair.baseline == nullptr || pair.candidate == nullptr) {
            v.status = AbStatus::insufficient_data;
            v.note = pair.baseline == nullptr ? "measured only in the candidate"
                                              : "measured only in the baseline";
            report.results.push_back(std::move(v));
            continue;
        }
        const auto& a = pair.baseline->samples;
        const auto& b = pair.candidate->samples;
        if (a.size() != b.size() || a.empty()) {
            v.status = AbStatus::insufficient_data;
            v.note = fmt::format("the sides have {} and {} rounds; pairs need equal counts",
                                 a.size(), b.size());
            report.results.push_back(std::move(v));
            continue;
        }
        if (v.baseline.mean == 0) {
            v.status = AbStatus::insufficient_data;
            v.note = "the baseline's mean is 0: no relative change";
            report.results.push_back(std::move(v));
            continue;
        }
        v.change = stats::relative_change_of_means(a, b);
        stats::BootstrapOptions boot;
        boot.resamples = settings.resamples;
        boot.confidence = settings.confidence;
        if (auto ci = stats::paired_bootstrap_ci(a, b, stats::relative_change_of_means, boot)) {
            v.ci_low = ci->ci_low;
            v.ci_high = ci->ci_high;
        } else {
            v.ci_low = v.ci_high = v.change;
            v.note = ci.error().message;
        }
        std::vector<double> d(a.size());
        std::size_t nonzero = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            d[i] = b[i] - a[i];
            if (d[i] != 0) ++nonzero;
        }
        const bool big_enough = std::abs(v.change) >= v.min_change;
        if (nonzero < needed) {
            // Too few rounds for any significance: the threshold alone decides, and says so.
            v.note = fmt::format(
                "{} rounds with a difference cannot reach alpha {:g} (needs {}); "
                "judged by the minimum change alone",
                nonzero, settings.alpha, needed);
            v.status = !big_enough                                    ? AbStatus::unchanged
                       : core::is_worse(v.series.direction, v.change) ? AbStatus::regression
                                                                      : AbStatus::improvement;
            report.results.push_back(std::move(v));
            continue;
        }
        auto w = stats::wilcoxon_signed_rank(std::span<const double>(d));
        v.p_value = w ? w->p_value : 1.0;
        p_values.push_back(*v.p_value);
        tested.push_back(report.results.size());
        report.results.push_back(std::move(v));
    }

    auto q = stats::benjamini_hochberg(p_values);
    if (!q) return tl::unexpected<core::Error>(q.error());
    for (std::size_t i = 0; i < tested.size(); ++i) {
        AbVerdict& v = report.results[tested[i]];
        v.q_value = (*q)[i];
        const bool significant = *v.q_value <= settings.alpha;
        if (!significant || std::abs(v.change) < v.min_change) {
            v.status = AbStatus::unchanged;
        } else {
            v.status = core::is_worse(v.series.direction, v.change) ? AbStatus::regression
                                                                    : AbStatus::improvement;
        }
    }
    std::stable_sort(report.results.begin(), report.results.end(),
                     [](const AbVerdict& x, const AbVerdict& y) {
                         return status_rank(x.status) < status_rank(y.status);
                     });
    return report;
}

std::string render_ab_text(const AbReport& r) {
    std::string out = summary_line(r) + "\n";
    if (r.results.empty()) return out;
    out += fmt::format("{:<18} {:>8}  {:<19} {:>7}  {}\n", "status", "change",
                       fmt::format("{:g}% CI", 100 * r.settings.confidence), "q", "series");
    for (const auto& v : r.results) {
        const bool has_change = v.status != AbStatus::insufficient_data;
        out += fmt::format(
            "{:<18} {:>8}  {:<19} {:>7}  {}{}\n", to_string(v.status),
            has_change ? core::format_change(v.change) : std::string(core::k_missing),
            has_change ? core::format_interval(v.ci_low, v.ci_high) : std::string(core::k_missing),
            core::format_probability(v.q_value), series_label(v),
            v.note.empty() ? "" : " (" + v.note + ")");
    }
    return out;
}

std::string render_ab_markdown(const AbReport& r) {
    std::string out = "**" + core::markdown_text(summary_line(r)) + "**\n";
    const auto row = [](const AbVerdict& v) {
        const bool has_change = v.status != AbStatus::insufficient_data;
        return fmt::format(
            "| {} | {} | {} | {} | {} |\n", to_string(v.status),
            core::markdown_text(series_label(v)),
            has_change ? core::format_change(v.change) : std::string(core::k_missing),
            has_change ? core::format_interval(v.ci_low, v.ci_high) : std::string(core::k_missing),
            core::format_probability(v.q_value));
    };
    const std::string header = "| status | series | change | 95% CI | q |\n|---|---|---|---|---|\n";
    std::string changed, rest;
    for (const auto& v : r.results)
        (v.status == AbStatus::regression || v.status == AbStatus::improvement ? changed : rest) +=
            row(v);
    if (!changed.empty()) out += "\n" + header + changed;
    if (!rest.empty())
        out += "\n<details><summary>unchanged and other series</summary>\n\n" + header + rest +
               "\n</details>\n";
    return out;
}

nlohmann::json render_ab_json(const AbReport& r) {
    nlohmann::json results = nlohmann::json::array();
    const auto side = [](const SideSummary& s) {
        return nlohmann::json{{"n", s.n}, {"mean", s.mean}, {"median", s.median}};
    };
    for (const auto& v : r.results) {
        nlohmann::json j{{"suite", v.series.suite},
                         {"benchmark", v.series.benchmark},
                         {"params", v.series.params},
                         {"metric", v.series.metric},
                         {"unit", v.series.unit},
                         {"direction", core::to_string(v.series.direction)},
                         {"status", to_string(v.status)},
                         {"change", v.change},
                         {"ci", {v.ci_low, v.ci_high}},
                         {"p_value", v.p_value ? nlohmann::json(*v.p_value) : nlohmann::json()},
                         {"q_value", v.q_value ? nlohmann::json(*v.q_value) : nlohmann::json()},
                         {"min_change", v.min_change},
                         {"baseline", side(v.baseline)},
                         {"candidate", side(v.candidate)}};
        if (!v.note.empty()) j["note"] = v.note;
        results.push_back(std::move(j));
    }
    nlohmann::json summary{{"mode", "ab"},
                           {"series", r.results.size()},
                           {"regressions", r.count(AbStatus::regression)},
                           {"improvements", r.count(AbStatus::improvement)},
                           {"unchanged", r.count(AbStatus::unchanged)},
                           {"insufficient_data", r.count(AbStatus::insufficient_data)},
                           {"alpha", r.settings.alpha},
                           {"min_change", r.settings.min_change_pct / 100.0},
                           {"confidence", r.settings.confidence}};
    return nlohmann::json{{"results", results}, {"summary", summary}};
}

}  // namespace perftrack::reports::ab
