#include "reports/stats/distributions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace perftrack::reports::stats {

namespace {

namespace bm = boost::math;
// Errors become return values (NaN / infinities) instead of exceptions: these functions sit in
// inner loops and every caller checks its inputs. Double precision throughout: Boost's default
// promotion to long double costs 5x in the detector's inner loop and buys nothing measurable
// here (the scipy reference tests pass at 1e-11).
using quiet_policy =
    bm::policies::policy<bm::policies::promote_double<false>,
                         bm::policies::domain_error<bm::policies::ignore_error>,
                         bm::policies::overflow_error<bm::policies::ignore_error>,
                         bm::policies::underflow_error<bm::policies::ignore_error>,
                         bm::policies::evaluation_error<bm::policies::ignore_error>,
                         bm::policies::pole_error<bm::policies::ignore_error>>;
using normal_dist = bm::normal_distribution<double, quiet_policy>;
using t_dist = bm::students_t_distribution<double, quiet_policy>;

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();

bool bad_probability(double p) {
    return !(p >= 0.0 && p <= 1.0);
}

}  // namespace

double normal_cdf(double x) {
    if (std::isnan(x)) return k_nan;
    if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double normal_sf(double x) {
    if (std::isnan(x)) return k_nan;
    if (std::isinf(x)) return x > 0 ? 0.0 : 1.0;
    return 0.5 * std::erfc(x / std::sqrt(2.0));
}

double normal_quantile(double p) {
    if (bad_probability(p)) return k_nan;
    if (p == 0.0) return -k_inf;
    if (p == 1.0) return k_inf;
    return bm::quantile(normal_dist(0.0, 1.0), p);
}

double normal_pdf(double x) {
    if (std::isnan(x)) return k_nan;
    return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

namespace {

// Closed form of P(|T| <= t) for a whole number of degrees of freedom (Abramowitz & Stegun
// 26.7.3 and 26.7.4), a finite trigonometric sum: far cheaper than the incomplete beta function
// the general case needs, and the detector evaluates it for every run it judges.
double two_sided_central_integer_df(double t, int df) {
    const double theta = std::atan(t / std::sqrt(static_cast<double>(df)));
    const double s = std::sin(theta), c = std::cos(theta), c2 = c * c;
    if (df % 2 == 1) {
        if (df == 1) return 2.0 * theta / std::numbers::pi;
        double term = c, sum = c;
        for (int k = 3; k <= df - 2; k += 2) {
            term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
            sum += term;
        }
        return 2.0 / std::numbers::pi * (theta + s * sum);
    }
    double term = 1.0, sum = 1.0;
    for (int k = 2; k <= df - 2; k += 2) {
        term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
        sum += term;
    }
    return s * sum;
}

// Whole df up to this use the closed form (the sum has df / 2 terms).
constexpr double k_closed_form_max_df = 200;
// Below this tail the closed form's 1 - A cancellation would cost digits (relative error
// 1e-16 / tail): use Boost there.
constexpr double k_closed_form_min_tail = 1e-4;

}  // namespace

double students_t_sf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return k_nan;
    if (std::isinf(df)) return normal_sf(t);
    if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
    if (df <= k_closed_form_max_df && df == std::floor(df)) {
        const double central = two_sided_central_integer_df(std::fabs(t), static_cast<int>(df));
        const double upper = 0.5 * (1.0 - central);
        if (upper >= k_closed_form_min_tail) return t >= 0 ? upper : 1.0 - upper;
    }
    return bm::cdf(bm::complement(t_dist(df), t));
}

double students_t_cdf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return k_nan;
    if (std::isinf(df)) return normal_cdf(t);
    if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
    return students_t_sf(-t, df);
}

double students_t_quantile(double p, double df) {
    if (bad_probability(p) || !(df > 0)) return k_nan;
    if (std::isinf(df)) return normal_quantile(p);
    if (p == 0.0) return -k_inf;
    if (p == 1.0) return k_inf;
    return bm::quantile(t_dist(df), p);
}

double students_t_pdf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return k_nan;
    if (std::isinf(df)) return normal_pdf(t);
    return bm::pdf(t_dist(df), t);
}

}  // namespace perftrack::reports::stats
