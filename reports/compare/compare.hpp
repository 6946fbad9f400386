#pragma once
// Comparing two groups of measurements with confidence ("is the candidate faster than the
// reference, by how much, and is the difference real?"): the statistics behind
// `perftrack compare`. Pure functions; the grouping of series into rows is in grouping.hpp and
// the renderings in compare_output.hpp.
//
// For each row (one series measured on the reference and on the candidate side):
//
//   centres   the median of each side
//   ratio     candidate / reference as a Hodges-Lehmann estimate on log values: exp of the
//             median of all differences log(c_j) - log(r_i) (unpaired), or of the Walsh averages
//             of log(c_i) - log(r_i) (paired). Scale-free, robust to outliers, and equal to the
//             ratio of the sides when one is a multiple of the other.
//   interval  the distribution-free interval of that shift, exponentiated: from the
//             Mann-Whitney distribution (unpaired) or the Wilcoxon signed-rank distribution
//             (paired), exact for small samples (stats/hodges_lehmann.hpp). When the samples
//             are too few for the confidence, an end is unbounded (0 or inf) rather than
//             invented.
//   p_value   the test that matches the interval, two-sided: Mann-Whitney U (unpaired; scipy's
//             mannwhitneyu) or Wilcoxon signed-rank on the log differences (paired; scipy's
//             wilcoxon). Logs do not change the ranks of the unpaired test.
//   q_value   Benjamini-Hochberg across every tested row of the table
//
// A row differs when q <= alpha; the verdict then follows the metric's direction: a ratio above
// 1 of a lower-is-better metric is worse. Rows pair (`paired`) only when asked and both sides
// have the same number of samples, as when round i of both sides ran together; otherwise
// unpaired, and the row's note says why.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/series_id.hpp"

namespace perftrack::reports::compare {

struct CompareSettings {
    double alpha = 0.05;       // false discovery rate across the rows
    double confidence = 0.95;  // of each row's interval (not adjusted for multiplicity)
    bool paired = false;       // sample i of both sides belongs together
};

// One row to judge: the series (as the reference side names it), a label for the candidate
// when the rows differ in more than the side (e.g. "mode=compile"), and both sides' samples.
struct RowInput {
    core::SeriesId series;
    std::string candidate_label;
    std::vector<double> reference;
    std::vector<double> candidate;
};

enum class Verdict { better, worse, no_difference, insufficient };

// The verdict in words for this metric: "faster"/"slower" for times and rates (units of time,
// or ending in "/s"), "better"/"worse" otherwise (memory, sizes, scores);
// "no significant difference"; "not compared".
std::string_view verdict_words(Verdict verdict, const core::SeriesId& series);
// The verdict's stable name for JSON: "better", "worse", "no_difference", "insufficient".
std::string_view to_string(Verdict verdict);

enum class Method { unpaired, paired };
std::string_view to_string(Method method);

struct Side {
    std::size_t n = 0;
    double median = 0;
};

struct Row {
    core::SeriesId series;
    std::string candidate_label;
    Side reference;
    Side candidate;
    Method method = Method::unpaired;
    std::optional<double> ratio;  // candidate / reference; empty when not compared
    double ci_low = 0;            // of the ratio; 0 or inf when unbounded
    double ci_high = 0;
    std::optional<double> p_value;
    std::optional<double> q_value;
    Verdict verdict = Verdict::insufficient;
    std::string note;  // why a row was judged differently or not at all
};

struct Comparison {
    std::vector<Row> rows;  // in the order of the inputs
    CompareSettings settings;
    std::size_t count(Verdict verdict) const;
};

// Judges every row. Rows with an empty side or a value that is not positive and finite are
// `insufficient` with a note (a ratio needs positive values). Errors (kind input) only for
// settings out of range.
core::Result<Comparison> compare_rows(std::vector<RowInput> rows, const CompareSettings& settings);

}  // namespace perftrack::reports::compare
