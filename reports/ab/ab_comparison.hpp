#pragma once
// Judging an A/B run (runner/ab_runner.hpp): every series measured on both sides is a pair of
// equally long sample arrays whose element i comes from round i. For each pair:
//
//   change   mean(candidate) / mean(baseline) - 1 (a fraction: 0.05 is 5 % larger)
//   ci       percentile paired bootstrap of that change (rounds resampled as pairs, seeded, so
//            the interval is the same on every machine)
//   p_value  Wilcoxon signed-rank test, two-sided, of the paired differences candidate - baseline
//            (no assumption of normality; the pairing removes what each round shared)
//   q_value  Benjamini-Hochberg adjustment over every pair of the comparison
//
// A pair is a regression (or improvement) when q <= alpha, the change is at least the minimum
// change for its metric, and the change is worse (better) for the metric's direction. When the
// rounds are too few for the test ever to reach alpha (two-sided exact Wilcoxon: 2 / 2^n, so
// n >= 6 at alpha = 0.05), the pair is judged by the minimum change alone and says so.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/model.hpp"

namespace perftrack::reports::ab {

// The param that tells the sides apart, and its values (as the runner records them).
inline constexpr const char* k_side_param = "ab_side";
inline constexpr const char* k_baseline = "baseline";
inline constexpr const char* k_candidate = "candidate";

struct AbSettings {
    double alpha = 0.05;          // false discovery rate across the pairs
    double min_change_pct = 2.0;  // smallest change that counts, in percent
    std::map<std::string, double> min_change_pct_by_metric;  // per-metric overrides
    double confidence = 0.95;                                // of the bootstrap interval
    std::size_t resamples = 10000;
};

enum class AbStatus { regression, improvement, unchanged, insufficient_data };
std::string_view to_string(AbStatus status);

struct SideSummary {
    std::size_t n = 0;
    double mean = 0;
    double median = 0;
};

struct AbVerdict {
    core::SeriesId series;  // params without ab_side
    AbStatus status = AbStatus::unchanged;
    double change = 0;  // fraction
    double ci_low = 0;  // fraction
    double ci_high = 0;
    std::optional<double> p_value;  // empty when the rounds cannot reach alpha
    std::optional<double> q_value;
    double min_change = 0;  // fraction used for this metric
    SideSummary baseline;
    SideSummary candidate;
    std::string note;  // why a pair was judged differently (too few rounds, zero mean, ...)
};

struct AbReport {
    std::vector<AbVerdict> results;  // regressions first, then improvements, unchanged, others
    AbSettings settings;
    std::size_t count(AbStatus status) const;
};

// Pairs the measurements by ab_side (series without that param are ignored; a series with no
// partner, or sides of different lengths, is insufficient_data) and judges every pair. Errors
// (kind input) only for settings out of range.
core::Result<AbReport> compare_ab(const std::vector<core::Measurement>& measurements,
                                  const AbSettings& settings);

// "A/B comparison of 6 series: 1 regression, 0 improvements, 5 unchanged ..." and a table.
std::string render_ab_text(const AbReport& report);

// A pull-request comment: a summary line and a table of the changed series (untrusted names
// escaped), the unchanged ones folded in <details>.
std::string render_ab_markdown(const AbReport& report);

// {"results":[{"benchmark","params","metric","unit","direction","status","change","ci",
// "p_value","q_value","baseline":{"n","mean","median"},"candidate":{...}}],"summary":{...}}:
// the shape of `perftrack check --format json`.
nlohmann::json render_ab_json(const AbReport& report);

}  // namespace perftrack::reports::ab
