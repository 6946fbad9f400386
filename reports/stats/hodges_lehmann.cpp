#include "reports/stats/hodges_lehmann.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "reports/stats/common.hpp"
#include "reports/stats/distributions.hpp"
#include "reports/stats/ranks.hpp"

namespace perftrack::reports::stats {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();
constexpr std::size_t k_exact_max_small_sample = 8;  // as the Mann-Whitney test
constexpr std::size_t k_exact_max_pairs = 50;        // as the signed-rank test

double sorted_median(const std::vector<double>& s) {
    const std::size_t n = s.size();
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

// The largest c such that P(S <= c - 1) <= alpha/2 under the exact null pmf of S: the interval
// is [D_(c), D_(N+1-c)] (1-based order statistics). 0 when even c = 1 is too wide.
std::size_t exact_order_index(const std::vector<double>& pmf, double alpha) {
    double cdf = 0.0;
    std::size_t c = 0;
    for (std::size_t k = 0; k < pmf.size(); ++k) {
        cdf += pmf[k];
        // P(S <= k) <= alpha/2 allows c = k + 1. The tiny slack absorbs rounding of the sums.
        if (cdf <= alpha / 2.0 * (1.0 + 1e-12)) {
            c = k + 1;
        } else {
            break;
        }
    }
    return c;
}

// Normal approximation of the same index: floor(mean - z * sd), at least 0.
std::size_t normal_order_index(double mean, double sd, double alpha) {
    const double c = std::floor(mean - normal_quantile(1.0 - alpha / 2.0) * sd);
    return c < 0.0 ? 0 : static_cast<std::size_t>(c);
}

ShiftEstimate interval(std::vector<double>& d, std::size_t c, double confidence) {
    std::sort(d.begin(), d.end());
    ShiftEstimate r;
    r.confidence = confidence;
    r.estimate = sorted_median(d);
    const std::size_t n = d.size();
    if (c == 0) {
        r.ci_low = -k_inf;
        r.ci_high = k_inf;
    } else {
        c = std::min(c, (n + 1) / 2);
        r.ci_low = d[c - 1];
        r.ci_high = d[n - c];
    }
    return r;
}

core::Result<void> check_confidence(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0))
        return core::fail(
            core::ErrorKind::input,
            "Hodges-Lehmann: confidence must be in (0, 1), got " + std::to_string(confidence));
    return {};
}

}  // namespace

core::Result<ShiftEstimate> hodges_lehmann_shift(std::span<const double> baseline,
                                                 std::span<const double> candidate,
                                                 double confidence) {
    if (auto ok = check_confidence(confidence); !ok) return tl::unexpected(ok.error());
    if (auto ok = require_values(baseline, "Hodges-Lehmann baseline"); !ok)
        return tl::unexpected(ok.error());
    if (auto ok = require_values(candidate, "Hodges-Lehmann candidate"); !ok)
        return tl::unexpected(ok.error());
    const std::size_t n1 = baseline.size(), n2 = candidate.size();
    std::vector<double> d;
    d.reserve(n1 * n2);
    for (double b : baseline)
        for (double c : candidate) d.push_back(c - b);
    const double alpha = 1.0 - confidence;
    std::size_t c = 0;
    std::optional<std::vector<double>> pmf;
    if (n1 <= k_exact_max_small_sample || n2 <= k_exact_max_small_sample)
        pmf = mann_whitney_null_pmf(n1, n2);
    if (pmf) {
        c = exact_order_index(*pmf, alpha);
    } else {
        const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
        c = normal_order_index(dn1 * dn2 / 2.0, std::sqrt(dn1 * dn2 * (dn1 + dn2 + 1.0) / 12.0),
                               alpha);
    }
    return interval(d, c, confidence);
}

core::Result<ShiftEstimate> hodges_lehmann_paired(std::span<const double> differences,
                                                  double confidence) {
    if (auto ok = check_confidence(confidence); !ok) return tl::unexpected(ok.error());
    if (auto ok = require_values(differences, "Hodges-Lehmann differences"); !ok)
        return tl::unexpected(ok.error());
    const std::size_t n = differences.size();
    std::vector<double> walsh;
    walsh.reserve(n * (n + 1) / 2);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i; j < n; ++j)
            walsh.push_back(0.5 * (differences[i] + differences[j]));
    const double alpha = 1.0 - confidence;
    std::size_t c = 0;
    if (n <= k_exact_max_pairs) {
        c = exact_order_index(signed_rank_null_pmf(n), alpha);
    } else {
        const double dn = static_cast<double>(n);
        c = normal_order_index(dn * (dn + 1.0) / 4.0,
                               std::sqrt(dn * (dn + 1.0) * (2.0 * dn + 1.0) / 24.0), alpha);
    }
    return interval(walsh, c, confidence);
}

}  // namespace perftrack::reports::stats
