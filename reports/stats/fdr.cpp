#include "reports/stats/fdr.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace perftrack::reports::stats {

core::Result<std::vector<double>> benjamini_hochberg(std::span<const double> p_values) {
    const std::size_t m = p_values.size();
    for (std::size_t i = 0; i < m; ++i) {
        const double p = p_values[i];
        if (!(p >= 0.0 && p <= 1.0))
            return core::fail(core::ErrorKind::input,
                              "Benjamini-Hochberg: p-value " + std::to_string(i) +
                                  (std::isnan(p) ? " is NaN" : " is outside [0, 1]"));
    }
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
    std::vector<double> q(m);
    double running = 1.0;
    for (std::size_t rank = m; rank-- > 0;) {
        const std::size_t i = order[rank];
        const double adjusted =
            p_values[i] * static_cast<double>(m) / static_cast<double>(rank + 1);
        running = std::min(running, adjusted);
        q[i] = std::min(1.0, running);
    }
    return q;
}

}  // namespace perftrack::reports::stats
