#include "reports/detect/settings.hpp"

#include <fmt/format.h>

namespace perftrack::reports::detect {

MetricThresholds thresholds_for(const DetectionSettings& settings, const std::string& metric) {
    MetricThresholds t = settings.defaults;
    if (auto it = settings.per_metric.find(metric); it != settings.per_metric.end()) {
        if (it->second.min_change) t.min_change = *it->second.min_change;
        if (it->second.exact_tolerance) t.exact_tolerance = *it->second.exact_tolerance;
    }
    return t;
}

std::string settings_problem(const DetectionSettings& s) {
    if (!(s.alpha > 0.0 && s.alpha < 1.0))
        return fmt::format("alpha must be in (0, 1), got {}", s.alpha);
    if (s.baseline_runs < 3)
        return fmt::format("baseline runs must be at least 3, got {}", s.baseline_runs);
    auto check = [](const MetricThresholds& t, const std::string& where) -> std::string {
        if (!(t.min_change >= 0.0 && t.min_change < 10.0))
            return fmt::format("{}min change must be in [0, 10) (a fraction: 0.02 = 2 %), got {}",
                               where, t.min_change);
        if (!(t.exact_tolerance >= 0.0 && t.exact_tolerance < 10.0))
            return fmt::format("{}exact tolerance must be in [0, 10), got {}", where,
                               t.exact_tolerance);
        return {};
    };
    if (auto p = check(s.defaults, ""); !p.empty()) return p;
    for (const auto& [metric, o] : s.per_metric) {
        if (auto p = check(thresholds_for(s, metric), "metric " + metric + ": "); !p.empty())
            return p;
    }
    if (s.confirm_commits < 2) return "the confirmation window must be at least 2 commits";
    if (!(s.late_alpha > 0.0 && s.late_alpha < 1.0)) return "late alpha must be in (0, 1)";
    return {};
}

}  // namespace perftrack::reports::detect
