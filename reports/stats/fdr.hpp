#pragma once
// Benjamini-Hochberg false discovery rate control (Benjamini & Hochberg 1995).

#include <span>
#include <vector>

#include "core/error.hpp"

namespace perftrack::reports::stats {

// BH-adjusted p-values (q-values), in the order of `p_values`: q_(i) = min over j >= i of
// m * p_(j) / j, capped at 1 (as R's p.adjust(method = "BH")). Rejecting every hypothesis with
// q <= alpha controls the false discovery rate at alpha for independent or positively
// dependent tests. Empty input gives an empty result; NaN or values outside [0, 1] are errors.
core::Result<std::vector<double>> benjamini_hochberg(std::span<const double> p_values);

}  // namespace perftrack::reports::stats
