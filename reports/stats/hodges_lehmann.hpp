#pragma once
// Hodges-Lehmann location-shift estimates with distribution-free confidence intervals
// (Hodges & Lehmann 1963; Bauer 1972; Hollander & Wolfe, "Nonparametric Statistical Methods",
// 4.3 and 3.3).
//
// Input errors: an empty sample, NaN or infinite values, a confidence outside (0, 1).
// When the samples are too small for the requested confidence, the interval is unbounded on
// that side (-inf / +inf) rather than pretending.

#include <span>

#include "core/error.hpp"

namespace perftrack::reports::stats {

struct ShiftEstimate {
    double estimate = 0;  // the shift
    double ci_low = 0;
    double ci_high = 0;
    double confidence = 0.95;  // requested confidence
};

// Two independent samples: the median of all differences candidate_j - baseline_i (how much
// the candidate is shifted from the baseline). The interval takes the order statistics of those
// differences given by the Mann-Whitney distribution: exact when a sample has at most 8 values,
// else the normal approximation (no tie correction).
core::Result<ShiftEstimate> hodges_lehmann_shift(std::span<const double> baseline,
                                                 std::span<const double> candidate,
                                                 double confidence = 0.95);

// Paired samples (the differences d_i = candidate_i - baseline_i, as the A/B mode measures
// them): the median of the Walsh averages (d_i + d_j) / 2, i <= j, with the interval from the
// Wilcoxon signed-rank distribution (exact for n <= 50, else normal).
core::Result<ShiftEstimate> hodges_lehmann_paired(std::span<const double> differences,
                                                  double confidence = 0.95);

}  // namespace perftrack::reports::stats
