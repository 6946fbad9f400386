#pragma once
// Offline change points: the commits where a series stepped to a new level, over its whole
// history (perftrack report; later alerting on the baseline branch).
//
// Method (on one value per commit, the log of the metric when it is positive):
//  1. noise scale from the first differences (robust to steps: a step moves one difference);
//  2. one-commit spikes -- a commit far from both its neighbourhoods while those agree with
//     each other -- are replaced by the local median, so they cannot become short segments;
//  3. optimal partitioning with an L2 cost and a BIC-style penalty (Jackson et al. 2005, with
//     PELT pruning, Killick et al. 2012), segments of at least 3 commits;
//  3b. when the values jump between two machine modes (a CI pool of two kinds of host: two
//     levels a fixed gap apart, commits scattered over both), the gap is taken out of the upper
//     mode's commits and steps 1-3 run again, so steps smaller than the gap can show;
//  4. every change point must then pass a test of the step between its two neighbouring
//     segments in a regression that also allows a common linear trend, so slow drift (which
//     the L2 cost cuts into a staircase) is not reported as steps, and a minimum relative size.
//     The weakest failing change point is removed and its segments merged until all pass.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "reports/detect/series_data.hpp"
#include "reports/detect/settings.hpp"
#include "store/store.hpp"

namespace perftrack::reports::detect {

struct ChangePointSettings {
    // Penalty per change point, in units of noise variance x log(n).
    double penalty_factor = 2.0;
    std::size_t min_segment = 3;
    // Step test level (two-sided) and smallest relative step reported.
    double alpha = 0.001;
    double min_change = 0.01;
    // Metrics that never vary between runs (instruction counts, bytes): any change beyond this
    // relative tolerance is a change point (as --exact-tolerance for the check).
    double exact_tolerance = 0.0;
    // A commit is a spike when it is this many noise deviations from the median of its
    // neighbours on both sides, and those two medians agree to within a third of that.
    double spike_deviations = 5.0;
};

struct ChangePoint {
    std::size_t position = 0;  // timeline position of the first commit at the new level
    std::size_t point = 0;     // index into the series' points
    double change = 0;         // relative change of the metric's level (+0.1 = 10 % larger)
    double p_value = 1;
};

std::vector<ChangePoint> find_change_points(std::span<const SeriesPoint> points,
                                            const ChangePointSettings& settings = {});

// Convenience: the change points of one series of a history.
std::vector<ChangePoint> find_change_points(const store::History& history,
                                            const store::SeriesHistory& series,
                                            const ChangePointSettings& settings = {});

}  // namespace perftrack::reports::detect
