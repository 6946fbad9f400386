#include "reports/detect/regressing_steps.hpp"

#include <algorithm>
#include <cmath>

#include "reports/detect/changepoints.hpp"
#include "reports/detect/parallel.hpp"
#include "reports/detect/series_data.hpp"
#include "reports/stats/fdr.hpp"

namespace perftrack::reports::detect {

namespace {

std::optional<double> finite(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

// The median of the mean run values of points [begin, end).
std::optional<double> level(const std::vector<SeriesPoint>& points, std::size_t begin,
                            std::size_t end) {
    std::vector<double> values;
    for (std::size_t i = begin; i < end && i < points.size(); ++i) {
        double sum = 0;
        for (const double r : points[i].runs) sum += r;
        values.push_back(sum / static_cast<double>(points[i].runs.size()));
    }
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

std::vector<RegressingStep> regressing_steps(const store::History& history, double alpha,
                                             double min_change) {
    std::vector<RegressingStep> candidates;
    // One p-value per analysed series (1 where it has no regressing step), so the correction
    // counts every series that could have raised an alert, not only those that did.
    std::vector<double> p_values(history.series.size(), 1.0);
    std::vector<std::size_t> candidate_series;
    const auto timeline = build_timeline(history);
    // The segmentation of each series is independent: over the machine's cores, first.
    std::vector<std::vector<SeriesPoint>> points_of(history.series.size());
    std::vector<std::vector<ChangePoint>> found(history.series.size());
    parallel_for(history.series.size(), [&](std::size_t s) {
        points_of[s] = series_points(history.series[s], timeline);
        found[s] = find_change_points(points_of[s]);
    });
    for (std::size_t s = 0; s < history.series.size(); ++s) {
        const auto& series = history.series[s];
        const auto& points = points_of[s];
        const auto& change_points = found[s];
        if (change_points.empty()) continue;
        const auto& last = change_points.back();
        if (!std::isfinite(last.change) || !core::is_worse(series.id.direction, last.change) ||
            std::abs(last.change) < min_change)
            continue;
        const std::size_t previous =
            change_points.size() > 1 ? change_points[change_points.size() - 2].point : 0;
        const auto& slot = timeline.commits.at(last.position);
        RegressingStep f;
        f.series = series.id;
        f.commit = slot.commit;
        f.commit_time_us = slot.commit_time_us;
        f.change = last.change;
        f.p_value = finite(last.p_value);
        f.level_before = level(points, previous, last.point);
        f.level_after = level(points, last.point, points.size());
        // The step's test ran at the position the segmentation chose as the best split out of
        // every position of the series, so its p-value is too small by up to that many
        // chances (Bonferroni over the positions). An exact change point (a deterministic
        // metric moved) has no p-value: certain.
        const double chances = static_cast<double>(points.size());
        p_values[s] = std::clamp(f.p_value.value_or(0.0) * chances, 0.0, 1.0);
        candidate_series.push_back(s);
        candidates.push_back(std::move(f));
    }
    if (candidates.empty()) return candidates;
    // Each change point passed its own test at a small per-series level; across hundreds of
    // series that level alone still lets a few noise steps through on every check. Alerts are
    // announced to people, so they get the check's false discovery rate control as well.
    const auto q_values = stats::benjamini_hochberg(p_values);
    if (!q_values) return candidates;  // p-values are clamped to [0, 1]: cannot happen
    std::vector<RegressingStep> steps;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if ((*q_values)[candidate_series[i]] <= alpha) steps.push_back(std::move(candidates[i]));
    return steps;
}

}  // namespace perftrack::reports::detect
