#pragma once
// The normal and Student t distributions (Boost.Math, header-only), with the tails computed
// directly so that small p-values keep their precision (sf(x) is not 1 - cdf(x)).
//
// Edge cases: quantile(0) = -inf and quantile(1) = +inf; probabilities outside [0, 1] and
// df <= 0 give NaN (no exceptions). df = +inf is the normal distribution.

namespace perftrack::reports::stats {

double normal_cdf(double x);
double normal_sf(double x);        // 1 - cdf(x), accurate in the upper tail
double normal_quantile(double p);  // inverse cdf
double normal_pdf(double x);

double students_t_cdf(double t, double df);
double students_t_sf(double t, double df);  // 1 - cdf(t), accurate in the upper tail
double students_t_quantile(double p, double df);
double students_t_pdf(double t, double df);

}  // namespace perftrack::reports::stats
