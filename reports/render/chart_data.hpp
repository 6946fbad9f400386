#pragma once
// The data behind the page's charts, search and pivot table: one JSON document embedded in the
// HTML (escaped with escape_script_json). Numeric series are compact (see encoding.hpp); the
// page's script (assets/report.js) is its only reader, and the two change together.
//
// Layout (version 1):
//   commits: {sha: [..], subject: [..], time: [unix seconds], runs: [..], partial: [positions]}
//   series:  [{suite, bench, params, metric, unit, dir, status, scale: {div, unit}, qe,
//              at, med, lo, hi, bandAt, bandMed, bandLo, bandHi, cps: [[position, change, p]]}]
//     Values are integers times 10^qe in the series' unit, encoded with encode_varints:
//     at = lengths of stretches of commits without / with a point, alternating, starting with
//     "without" (a series measured at every commit is [0, n]); med = median deltas;
//     lo = median - min; hi = max - median; bandAt = the same run lengths over the points,
//     without / with a band; bandMed = band-median deltas over the points with a band;
//     bandLo = bandMed - low; bandHi = high - bandMed.
//   comparisons: [{metric, unit, dir, dims, entries: [[series index, value, "1.23 ms"]]}]
//   commitUrl: the http(s) commit URL template or "".

#include <nlohmann/json.hpp>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

// Chart values keep 4 significant digits of the series' largest value (finer than any tooltip
// shows at 3 digits, and cheap: a few bytes per value, so 2,000 series x 500 runs stay well under
// 15 MB). When the series varies over fewer than k_chart_min_levels such steps (a very stable
// benchmark), the step shrinks to range / k_chart_min_levels or finer, so its chart is a line and
// not a staircase.
inline constexpr int k_chart_significant_digits = 4;
inline constexpr double k_chart_min_levels = 100;

// The decimal exponent e of the quantisation step 10^e for a series whose values reach
// `max_abs` and span `range` (max - min); 0 when max_abs is zero or not finite.
int quantisation_exponent(double max_abs, double range);

nlohmann::json chart_data(const ReportModel& model);

}  // namespace perftrack::reports::render
