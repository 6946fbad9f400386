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
// inner loops and every caller checks its inputs.
using quiet_policy =
    bm::policies::policy<bm::policies::domain_error<bm::policies::ignore_error>,
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

double students_t_cdf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return k_nan;
    if (std::isinf(df)) return normal_cdf(t);
    if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
    return bm::cdf(t_dist(df), t);
}

double students_t_sf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return k_nan;
    if (std::isinf(df)) return normal_sf(t);
    if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
    return bm::cdf(bm::complement(t_dist(df), t));
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
