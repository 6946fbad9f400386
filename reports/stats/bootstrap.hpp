#pragma once
// Deterministic percentile bootstrap (Efron & Tibshirani 1993, ch. 13): the same inputs and
// seed give the same interval on every machine, because the generator (xoshiro256**, seeded by
// splitmix64) and the index draw (Lemire's unbiased bounded integers) are our own code, not
// the implementation-defined std:: distributions.
//
// Input errors: an empty sample, NaN or infinite values, fewer than 100 resamples, a confidence
// outside (0, 1), paired samples of different lengths. One value (n = 1): every resample is
// that value, so the interval is a point.

#include <cstdint>
#include <functional>
#include <span>

#include "core/error.hpp"

namespace perftrack::reports::stats {

inline constexpr std::uint64_t k_default_bootstrap_seed = 0x9e3779b97f4a7c15ull;

struct BootstrapOptions {
    std::size_t resamples = 10000;
    double confidence = 0.95;
    std::uint64_t seed = k_default_bootstrap_seed;
};

struct BootstrapInterval {
    double estimate = 0;  // the statistic on the original sample
    double ci_low = 0;    // percentiles (1-c)/2 and (1+c)/2 of the resampled statistics,
    double ci_high = 0;   // linear interpolation as numpy.percentile
};

using SampleStatistic = std::function<double(std::span<const double>)>;
// Of two equally long samples resampled by the same indices (pairs stay together).
using PairedStatistic = std::function<double(std::span<const double>, std::span<const double>)>;

// Resamples x with replacement.
core::Result<BootstrapInterval> bootstrap_ci(std::span<const double> x,
                                             const SampleStatistic& statistic,
                                             const BootstrapOptions& options = {});

// Resamples pairs (a_i, b_i) with replacement. For the A/B mode: with a = baseline and b =
// candidate times of the same rounds, relative_change_of_means (below) gives the interval of
// the candidate's relative change.
core::Result<BootstrapInterval> paired_bootstrap_ci(std::span<const double> a,
                                                    std::span<const double> b,
                                                    const PairedStatistic& statistic,
                                                    const BootstrapOptions& options = {});

// mean(b) / mean(a) - 1: the relative change of b against a (a's mean must not be 0).
double relative_change_of_means(std::span<const double> a, std::span<const double> b);

// The generator itself, exposed for tests and for other deterministic resampling.
class Xoshiro256 {
  public:
    explicit Xoshiro256(std::uint64_t seed);
    std::uint64_t next();
    // Uniform in [0, bound), bound > 0, without modulo bias.
    std::uint64_t below(std::uint64_t bound);

  private:
    std::uint64_t m_s[4];
};

}  // namespace perftrack::reports::stats
