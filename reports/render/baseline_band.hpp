#pragma once
// The baseline band drawn behind each trend chart: for every commit, the range of the commits
// it was compared against. The report builder takes the windows from the detector's replay
// (the commits of the current level, at most the baseline window of 30, restarting at a confirmed
// step or a baseline reset), so the band shows exactly what the check used; rolling_windows() is
// the same rule without the detector's steps (for histories built without it). The band spans the
// 10th to 90th percentile of the window's medians (a range one outlier commit cannot stretch),
// around their median.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

struct BandRule {
    std::size_t window = 30;     // the check's default baseline length, in commits
    std::size_t min_points = 3;  // fewer: no band (a band of 1-2 commits says nothing)
    double low_quantile = 0.10;
    double high_quantile = 0.90;
};

// The points [begin, end) of one series that form a baseline.
struct PointWindow {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Quantile q in [0, 1] of `sorted` (ascending, non-empty) by linear interpolation between
// order statistics (Hyndman & Fan type 7, the default of R and numpy).
double quantile_sorted(std::span<const double> sorted, double q);

// Median of `values` (non-empty); the mean of the two middle values for an even count.
double median_of(std::vector<double> values);

// windows[i] = the up to rule.window points before i, none before window_start[i] (the first
// point a baseline reset lets point i use; window_start[i] <= i).
std::vector<std::optional<PointWindow>> rolling_windows(std::span<const std::size_t> window_start,
                                                        const BandRule& rule);

// bands[i] summarises medians[windows[i]]; nullopt when there is no window or it holds fewer
// than rule.min_points points. Windows that only move forward (the usual case) cost O(window)
// per point; others are refilled.
std::vector<std::optional<BaselineBand>> bands_over(
    std::span<const double> medians, std::span<const std::optional<PointWindow>> windows,
    const BandRule& rule);

}  // namespace perftrack::reports::render
