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

std::vector<std::optional<PointWindow>> rolling_windows(std::span<const std::size_t> window_start,
                                                        const BandRule& rule) {
    std::vector<std::optional<PointWindow>> out(window_start.size());
    for (std::size_t i = 0; i < window_start.size(); ++i) {
        std::size_t first = std::min(window_start[i], i);
        if (i - first > rule.window) first = i - rule.window;
        out[i] = PointWindow{first, i};
    }
    return out;
}

std::vector<std::optional<BaselineBand>> bands_over(
    std::span<const double> medians, std::span<const std::optional<PointWindow>> windows,
    const BandRule& rule) {
    std::vector<std::optional<BaselineBand>> bands(medians.size());
    // medians[lo, hi) are in `sorted`, kept in order by inserting and erasing one value at a
    // time while the window slides forward.
    std::vector<double> sorted;
    std::size_t lo = 0, hi = 0;
    auto erase_one = [&](double v) {
        const auto it = std::lower_bound(sorted.begin(), sorted.end(), v);
        if (it != sorted.end() && *it == v) sorted.erase(it);
    };
    for (std::size_t i = 0; i < medians.size() && i < windows.size(); ++i) {
        if (!windows[i]) continue;
        const std::size_t begin = std::min(windows[i]->begin, medians.size());
        const std::size_t end = std::min(std::max(windows[i]->end, begin), medians.size());
        if (begin < lo || end < hi || begin >= hi) {  // moved back, or past everything: refill
            sorted.clear();
            lo = hi = begin;
        }
        for (; lo < begin; ++lo) erase_one(medians[lo]);
        for (; hi < end; ++hi)
            sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), medians[hi]), medians[hi]);
        if (sorted.size() < std::max<std::size_t>(rule.min_points, 1)) continue;
        bands[i] = BaselineBand{
            quantile_sorted(sorted, 0.5), quantile_sorted(sorted, rule.low_quantile),
            quantile_sorted(sorted, rule.high_quantile), static_cast<std::uint32_t>(sorted.size())};
    }
    return bands;
}

}  // namespace perftrack::reports::render
