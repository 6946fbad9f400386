#pragma once
// Descriptive statistics of one sample. Every function rejects empty input and NaN (and
// infinities) with an input error; other edge cases are listed per function. Inputs are not
// modified; functions that need order sort a copy.

#include <span>

#include "core/error.hpp"

namespace perftrack::reports::stats {

// The factor that makes the MAD a consistent estimator of the standard deviation of normal
// data: 1 / Phi^-1(3/4) (Rousseeuw & Croux 1993; scipy's median_abs_deviation(scale='normal')).
inline constexpr double k_mad_normal_scale = 1.482602218505602;

// Arithmetic mean. n = 1: that value.
core::Result<double> mean(std::span<const double> x);

// Sample variance with n - 1 in the denominator (numpy var(ddof=1)). Needs n >= 2; all values
// equal gives exactly 0.
core::Result<double> variance(std::span<const double> x);

// sqrt(variance). Needs n >= 2.
core::Result<double> stddev(std::span<const double> x);

// Median; the mean of the two middle values when n is even. n = 1: that value.
core::Result<double> median(std::span<const double> x);

// Median absolute deviation from the median, times `scale` (1 = raw MAD, k_mad_normal_scale
// for a standard-deviation estimate). n = 1 or all values equal: 0. More than half the values
// equal: 0 as well (the MAD's breakdown; callers must handle a zero scale).
core::Result<double> mad(std::span<const double> x, double scale = 1.0);

// Mean after cutting floor(proportion * n) values from each end of the sorted sample, as
// scipy.stats.trim_mean. proportion in [0, 0.5); a cut that would leave nothing is an error.
core::Result<double> trimmed_mean(std::span<const double> x, double proportion);

// Mean after cutting `cut` values from each end of the sorted sample (needs n > 2 * cut).
core::Result<double> trimmed_mean_count(std::span<const double> x, std::size_t cut);

}  // namespace perftrack::reports::stats
