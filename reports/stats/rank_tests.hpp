#pragma once
// Rank tests: Mann-Whitney U for two independent samples and the Wilcoxon signed-rank test for
// paired samples. Both reproduce scipy 1.10 (mannwhitneyu with use_continuity=True and
// method="auto"; wilcoxon with zero_method="wilcox", correction=False, method="auto") except
// where noted.
//
// Input errors: an empty sample, NaN, or (Wilcoxon) samples of different lengths. Infinite
// values are allowed (they only need an order).

#include <cstddef>
#include <span>

#include "core/error.hpp"
#include "reports/stats/common.hpp"

namespace perftrack::reports::stats {

enum class PValueMethod { exact, normal_approximation };

struct MannWhitneyResult {
    double u = 0;        // U statistic of the first sample x (scipy's statistic)
    double p_value = 1;  // for the chosen alternative; in [0, 1]
    PValueMethod method = PValueMethod::exact;
};

// Mann-Whitney U test of x against y. `greater`: x tends to be larger than y.
// Exact p-value when one sample has at most 8 values and there are no ties (the exact null
// distribution, Mann & Whitney 1947); otherwise the normal approximation with continuity and
// tie corrections. Samples made only of one repeated value give p = 1.
core::Result<MannWhitneyResult> mann_whitney_u(std::span<const double> x, std::span<const double> y,
                                               Alternative alternative = Alternative::two_sided);

struct WilcoxonResult {
    // two-sided: min(W+, W-); one-sided: W+ (the sum of the ranks of positive differences).
    double statistic = 0;
    double p_value = 1;
    PValueMethod method = PValueMethod::exact;
    std::size_t n_used = 0;  // non-zero differences
    double z = 0;            // the standardised statistic (normal approximation only)
};

// Wilcoxon signed-rank test of the differences d (x - y for paired samples). `greater`: the
// differences tend to be positive. Zero differences are dropped (Wilcoxon's method).
// Exact p-value when there are at most 50 differences, none zero and none tied; otherwise the
// normal approximation with tie correction and no continuity correction. (scipy 1.10 keeps
// the exact method when |d| has ties, with a truncated statistic; we switch to the tie-corrected
// approximation instead.) Error: every difference is zero.
core::Result<WilcoxonResult> wilcoxon_signed_rank(std::span<const double> differences,
                                                  Alternative alternative = Alternative::two_sided);
core::Result<WilcoxonResult> wilcoxon_signed_rank(std::span<const double> x,
                                                  std::span<const double> y,
                                                  Alternative alternative = Alternative::two_sided);

}  // namespace perftrack::reports::stats
