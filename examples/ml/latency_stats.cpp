#include "examples/ml/latency_stats.hpp"

#include <algorithm>
#include <cmath>

namespace perftrack::examples::ml {

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    // Type 7: rank h = (n - 1) p / 100, interpolate between floor(h) and floor(h) + 1.
    const double rank = (static_cast<double>(values.size()) - 1) * std::clamp(p, 0.0, 100.0) / 100;
    const auto below = static_cast<std::size_t>(std::floor(rank));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = rank - static_cast<double>(below);
    return values[below] + (values[above] - values[below]) * fraction;
}

double p50(const std::vector<double>& values) {
    return percentile(values, 50);
}
double p95(const std::vector<double>& values) {
    return percentile(values, 95);
}
double p99(const std::vector<double>& values) {
    return percentile(values, 99);
}

}  // namespace perftrack::examples::ml
