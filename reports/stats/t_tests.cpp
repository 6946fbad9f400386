#include "reports/stats/t_tests.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "reports/stats/descriptive.hpp"
#include "reports/stats/distributions.hpp"

namespace perftrack::reports::stats {

namespace {

struct Moments {
    double n, mean, var;
};

core::Result<Moments> moments(std::span<const double> x, const char* what) {
    if (auto ok = require_values(x, what, 2); !ok) return tl::unexpected(ok.error());
    return Moments{static_cast<double>(x.size()), *stats::mean(x), *stats::variance(x)};
}

TTestResult finish(double difference, double se, double df, Alternative alternative,
                   double confidence) {
    TTestResult r;
    r.difference = difference;
    r.df = df;
    if (se == 0.0) {
        // Both samples constant: the difference is either certain or nothing.
        r.t = difference == 0.0
                  ? 0.0
                  : std::copysign(std::numeric_limits<double>::infinity(), difference);
    } else {
        r.t = difference / se;
    }
    switch (alternative) {
        case Alternative::two_sided:
            r.p_value =
                difference == 0.0 && se == 0.0 ? 1.0 : 2.0 * students_t_sf(std::fabs(r.t), df);
            break;
        case Alternative::greater:
            r.p_value = difference == 0.0 && se == 0.0 ? 1.0 : students_t_sf(r.t, df);
            break;
        case Alternative::less:
            r.p_value = difference == 0.0 && se == 0.0 ? 1.0 : students_t_cdf(r.t, df);
            break;
    }
    r.p_value = std::min(1.0, r.p_value);
    const double q = students_t_quantile(0.5 + confidence / 2.0, df);
    r.ci_low = difference - q * se;
    r.ci_high = difference + q * se;
    return r;
}

core::Result<void> check_confidence(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0))
        return core::fail(core::ErrorKind::input, "t-test: confidence must be in (0, 1), got " +
                                                      std::to_string(confidence));
    return {};
}

// The checks and moments both tests start from.
core::Result<std::pair<Moments, Moments>> both_moments(std::span<const double> x,
                                                       std::span<const double> y,
                                                       double confidence) {
    if (auto ok = check_confidence(confidence); !ok) return tl::unexpected(ok.error());
    auto a = moments(x, "t-test x");
    if (!a) return tl::unexpected(a.error());
    auto b = moments(y, "t-test y");
    if (!b) return tl::unexpected(b.error());
    return std::pair{*a, *b};
}

}  // namespace

core::Result<TTestResult> student_t_test(std::span<const double> x, std::span<const double> y,
                                         Alternative alternative, double confidence) {
    auto ab = both_moments(x, y, confidence);
    if (!ab) return tl::unexpected(ab.error());
    const auto& [a, b] = *ab;
    const double df = a.n + b.n - 2.0;
    const double pooled = ((a.n - 1.0) * a.var + (b.n - 1.0) * b.var) / df;
    const double se = std::sqrt(pooled * (1.0 / a.n + 1.0 / b.n));
    return finish(a.mean - b.mean, se, df, alternative, confidence);
}

core::Result<TTestResult> welch_t_test(std::span<const double> x, std::span<const double> y,
                                       Alternative alternative, double confidence) {
    auto ab = both_moments(x, y, confidence);
    if (!ab) return tl::unexpected(ab.error());
    const auto& [a, b] = *ab;
    const double va = a.var / a.n, vb = b.var / b.n;
    const double se = std::sqrt(va + vb);
    // Welch-Satterthwaite; with both variances zero the formula is 0/0: use n1 + n2 - 2.
    const double denom = va * va / (a.n - 1.0) + vb * vb / (b.n - 1.0);
    const double df = denom > 0.0 ? (va + vb) * (va + vb) / denom : a.n + b.n - 2.0;
    return finish(a.mean - b.mean, se, df, alternative, confidence);
}

}  // namespace perftrack::reports::stats
