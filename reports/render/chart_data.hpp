#pragma once
// The data behind the page's charts, search and pivot table: one JSON document embedded in the
// HTML (escaped with escape_script_json). Numeric series are compact (see encoding.hpp); the
// page's script (assets/report.js) is its only reader, and the two change together.
//
// Layout (version 1):
//   runs:   {sha: [..], subject: [..], time: [unix seconds], partial: [run indices]}
//   series: [{suite, bench, params, metric, unit, dir, status, scale: {div, unit}, qe,
//             runs, med, lo, hi, bandAt, bandMed, bandLo, bandHi, cps: [[run, change, p]]}]
//     Values are integers times 10^qe in the series' unit, encoded with encode_varints:
//     runs = run-index deltas; med = median deltas; lo = median - min; hi = max - median;
//     bandAt = run lengths of points without / with a band, alternating, starting with
//     "without"; bandMed = band-median deltas over the points with a band; bandLo = bandMed -
//     low; bandHi = high - bandMed.
//   comparisons: [{metric, unit, dir, dims, entries: [[series index, value, "1.23 ms"]]}]
//   commitUrl: the http(s) commit URL template or "".

#include <nlohmann/json.hpp>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

// How many significant decimal digits the largest value of a series keeps in the page's
// charts. Four digits are finer than any chart's pixels and any benchmark's noise (0.1 % of
// the largest value at worst), and keep 2,000 series x 500 runs well under 15 MB.
inline constexpr int k_chart_significant_digits = 4;

// The decimal exponent e such that values up to `max_abs` keep k_chart_significant_digits
// digits as integers times 10^e; 0 when max_abs is zero or not finite.
int quantisation_exponent(double max_abs);

nlohmann::json chart_data(const ReportModel& model);

}  // namespace perftrack::reports::render
