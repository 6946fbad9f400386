#include "reports/render/baseline_band.hpp"

#include <algorithm>
#include <cmath>

namespace perftrack::reports::render {

double quantile_sorted(std::span<const double> sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

double median_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return quantile_sorted(values, 0.5);
}

std::vector<std::optional<BaselineBand>> rolling_bands(std::span<const double> medians,
                                                       std::span<const std::size_t> window_start,
                                                       const BandRule& rule) {
    std::vector<std::optional<BaselineBand>> bands(medians.size());
    // The window [first, i) only moves forward, so it is kept sorted incrementally: each step
    // inserts one value and erases the ones that left, O(window) instead of a sort per point.
    std::vector<double> window;
    window.reserve(rule.window_runs + 1);
    std::size_t lo = 0, hi = 0;  // medians[lo, hi) are in `window`
    auto erase_one = [&](double v) {
        const auto it = std::lower_bound(window.begin(), window.end(), v);
        if (it != window.end() && *it == v) window.erase(it);
    };
    for (std::size_t i = 0; i < medians.size(); ++i) {
        std::size_t first = std::min(window_start[i], i);
        if (i - first > rule.window_runs) first = i - rule.window_runs;
        if (first < lo || first >= hi) {  // moved back (not expected) or past everything: refill
            window.clear();
            lo = hi = first;
        }
        for (; lo < first; ++lo) erase_one(medians[lo]);
        for (; hi < i; ++hi)
            window.insert(std::upper_bound(window.begin(), window.end(), medians[hi]), medians[hi]);
        const std::size_t count = window.size();
        if (count < std::max<std::size_t>(rule.min_runs, 1)) continue;
        bands[i] = BaselineBand{
            quantile_sorted(window, 0.5), quantile_sorted(window, rule.low_quantile),
            quantile_sorted(window, rule.high_quantile), static_cast<std::uint32_t>(count)};
    }
    return bands;
}

}  // namespace perftrack::reports::render
