#pragma once
// The rolling baseline band drawn behind each trend chart: for every run, the range the run was
// compared against. It follows DESIGN.md's baseline: the medians of the previous runs of the
// series, at most `window_runs` of them, none before the newest baseline reset that applies.
// The band spans the 10th to 90th percentile of those run medians (a range that one outlier
// run cannot stretch), around their median.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

struct BandRule {
    std::size_t window_runs = 30;  // DESIGN.md's default baseline length
    std::size_t min_runs = 3;      // fewer earlier runs: no band (a band of 1-2 runs says nothing)
    double low_quantile = 0.10;
    double high_quantile = 0.90;
};

// Quantile q in [0, 1] of `sorted` (ascending, non-empty) by linear interpolation between
// order statistics (Hyndman & Fan type 7, the default of R and numpy).
double quantile_sorted(std::span<const double> sorted, double q);

// Median of `values` (non-empty); the mean of the two middle values for an even count.
double median_of(std::vector<double> values);

// bands[i] is the band of medians[window_start[i] .. i-1] limited to the last
// rule.window_runs of them; nullopt when fewer than rule.min_runs remain. window_start[i] <= i
// is the first point the baseline of point i may use (the newest applicable reset).
std::vector<std::optional<BaselineBand>> rolling_bands(std::span<const double> medians,
                                                       std::span<const std::size_t> window_start,
                                                       const BandRule& rule);

}  // namespace perftrack::reports::render
