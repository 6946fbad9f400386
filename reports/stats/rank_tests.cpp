#include "reports/stats/rank_tests.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "reports/stats/distributions.hpp"
#include "reports/stats/ranks.hpp"

namespace perftrack::reports::stats {

namespace {

// scipy's exact Mann-Whitney rule: exact unless both samples are larger than 8.
constexpr std::size_t k_mwu_exact_max_small_sample = 8;
// scipy's exact Wilcoxon rule: up to 50 differences.
constexpr std::size_t k_wilcoxon_exact_max_n = 50;

bool has_ties(std::span<const double> x) {
    std::vector<double> s(x.begin(), x.end());
    std::sort(s.begin(), s.end());
    return std::adjacent_find(s.begin(), s.end()) != s.end();
}

double clip01(double p) {
    return std::clamp(p, 0.0, 1.0);
}

}  // namespace

core::Result<MannWhitneyResult> mann_whitney_u(std::span<const double> x, std::span<const double> y,
                                               Alternative alternative) {
    if (auto ok = require_values(x, "Mann-Whitney x", 1, true); !ok)
        return tl::unexpected(ok.error());
    if (auto ok = require_values(y, "Mann-Whitney y", 1, true); !ok)
        return tl::unexpected(ok.error());
    const std::size_t n1 = x.size(), n2 = y.size();
    std::vector<double> xy(x.begin(), x.end());
    xy.insert(xy.end(), y.begin(), y.end());
    const auto ranks = average_ranks(xy);
    double r1 = 0.0;
    for (std::size_t i = 0; i < n1; ++i) r1 += ranks[i];
    const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
    const double u1 = r1 - dn1 * (dn1 + 1.0) / 2.0;
    const double u2 = dn1 * dn2 - u1;

    double u = u1, factor = 1.0;
    if (alternative == Alternative::less) u = u2;
    if (alternative == Alternative::two_sided) {
        u = std::max(u1, u2);
        factor = 2.0;
    }

    MannWhitneyResult result;
    result.u = u1;
    const bool small = n1 <= k_mwu_exact_max_small_sample || n2 <= k_mwu_exact_max_small_sample;
    std::optional<std::vector<double>> pmf;
    if (small && !has_ties(xy)) pmf = mann_whitney_null_pmf(n1, n2);
    if (pmf) {
        // P(U >= u): u is an integer without ties.
        const auto from = static_cast<std::size_t>(std::llround(u));
        double sf = 0.0;
        for (std::size_t k = from; k < pmf->size(); ++k) sf += (*pmf)[k];
        result.method = PValueMethod::exact;
        result.p_value = clip01(factor * sf);
        return result;
    }
    result.method = PValueMethod::normal_approximation;
    const double n = dn1 + dn2;
    const double s = std::sqrt(dn1 * dn2 / 12.0 * ((n + 1.0) - tie_term(xy) / (n * (n - 1.0))));
    if (!(s > 0.0)) {
        // Every value is the same: nothing distinguishes the samples.
        result.p_value = 1.0;
        return result;
    }
    // Continuity correction: the survival function is always used, so always subtract 1/2.
    const double z = (u - dn1 * dn2 / 2.0 - 0.5) / s;
    result.p_value = clip01(factor * normal_sf(z));
    return result;
}

core::Result<WilcoxonResult> wilcoxon_signed_rank(std::span<const double> differences,
                                                  Alternative alternative) {
    if (auto ok = require_values(differences, "Wilcoxon differences", 1, true); !ok)
        return tl::unexpected(ok.error());
    std::vector<double> d;
    for (double v : differences)
        if (v != 0.0) d.push_back(v);
    if (d.empty())
        return core::fail(core::ErrorKind::input,
                          "Wilcoxon: every difference is zero; the test is undefined");
    const bool had_zeros = d.size() != differences.size();
    std::vector<double> abs_d(d.size());
    for (std::size_t i = 0; i < d.size(); ++i) abs_d[i] = std::fabs(d[i]);
    const auto ranks = average_ranks(abs_d);
    double r_plus = 0.0, r_minus = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) (d[i] > 0 ? r_plus : r_minus) += ranks[i];

    WilcoxonResult result;
    result.n_used = d.size();
    result.statistic = alternative == Alternative::two_sided ? std::min(r_plus, r_minus) : r_plus;
    const double count = static_cast<double>(d.size());
    const bool exact = d.size() <= k_wilcoxon_exact_max_n && !had_zeros && !has_ties(abs_d);
    if (exact) {
        result.method = PValueMethod::exact;
        const auto pmf = signed_rank_null_pmf(d.size());
        const auto w = static_cast<std::size_t>(std::llround(r_plus));
        double p_less = 0.0, p_greater = 0.0;
        for (std::size_t k = 0; k <= w; ++k) p_less += pmf[k];
        for (std::size_t k = w; k < pmf.size(); ++k) p_greater += pmf[k];
        if (alternative == Alternative::greater) {
            result.p_value = clip01(p_greater);
        } else if (alternative == Alternative::less) {
            result.p_value = clip01(p_less);
        } else if (w == (pmf.size() - 1) / 2) {
            result.p_value = 1.0;  // the centre of the distribution
        } else {
            result.p_value = clip01(2.0 * std::min(p_less, p_greater));
        }
        return result;
    }
    result.method = PValueMethod::normal_approximation;
    const double mean = count * (count + 1.0) * 0.25;
    double var24 = count * (count + 1.0) * (2.0 * count + 1.0) - 0.5 * tie_term(ranks);
    const double se = std::sqrt(var24 / 24.0);
    const double z = (result.statistic - mean) / se;
    result.z = z;
    if (alternative == Alternative::two_sided) {
        result.p_value = clip01(2.0 * normal_sf(std::fabs(z)));
    } else if (alternative == Alternative::greater) {
        result.p_value = clip01(normal_sf(z));
    } else {
        result.p_value = clip01(normal_cdf(z));
    }
    return result;
}

core::Result<WilcoxonResult> wilcoxon_signed_rank(std::span<const double> x,
                                                  std::span<const double> y,
                                                  Alternative alternative) {
    if (x.size() != y.size())
        return core::fail(core::ErrorKind::input, "Wilcoxon: paired samples differ in length (" +
                                                      std::to_string(x.size()) + " and " +
                                                      std::to_string(y.size()) + ")");
    if (auto ok = require_values(x, "Wilcoxon x", 1, true); !ok) return tl::unexpected(ok.error());
    if (auto ok = require_values(y, "Wilcoxon y", 1, true); !ok) return tl::unexpected(ok.error());
    std::vector<double> d(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) d[i] = x[i] - y[i];
    return wilcoxon_signed_rank(d, alternative);
}

}  // namespace perftrack::reports::stats
