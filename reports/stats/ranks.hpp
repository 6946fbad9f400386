#pragma once
// Ranks with ties averaged (scipy.stats.rankdata, method "average"), and the exact null
// distributions of the rank-sum and signed-rank statistics. Shared by the rank tests and the
// Hodges-Lehmann intervals.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace perftrack::reports::stats {

// 1-based ranks of `x`; tied values share the mean of their ranks.
std::vector<double> average_ranks(std::span<const double> x);

// Sum over groups of tied values of (t^3 - t), t the group size: the tie correction term.
double tie_term(std::span<const double> x);

// Exact null distribution of the Mann-Whitney U statistic for samples of sizes n1 and n2 (no
// ties): element u is P(U = u), u = 0 .. n1*n2. Computed with exact integer counts (the
// q-binomial coefficient); nullopt when the counts would overflow 127 bits (then use the normal
// approximation).
std::optional<std::vector<double>> mann_whitney_null_pmf(std::size_t n1, std::size_t n2);

// Exact null distribution of the Wilcoxon signed-rank statistic W+ for n non-zero, untied
// differences: element w is P(W+ = w), w = 0 .. n(n+1)/2. Needs n <= 62.
std::vector<double> signed_rank_null_pmf(std::size_t n);

}  // namespace perftrack::reports::stats
