#pragma once
// Shared by the statistics functions: input validation with one wording everywhere, and the
// alternative hypotheses of the tests.

#include <cmath>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace perftrack::reports::stats {

// Which way a test looks. `greater`: the first sample (or the differences) tends to be larger.
enum class Alternative { two_sided, less, greater };

// Empty input and NaN are rejected with an input error that names `what` ("x", "baseline"...).
// Infinities are allowed where a function says so (ranks handle them); the others reject them.
inline core::Result<void> require_values(std::span<const double> x, std::string_view what,
                                         std::size_t min_count = 1, bool allow_infinite = false) {
    if (x.size() < min_count)
        return core::fail(core::ErrorKind::input, std::string(what) + ": needs at least " +
                                                      std::to_string(min_count) +
                                                      (min_count == 1 ? " value" : " values") +
                                                      ", got " + std::to_string(x.size()));
    for (double v : x) {
        if (std::isnan(v))
            return core::fail(core::ErrorKind::input, std::string(what) + ": contains NaN");
        if (!allow_infinite && std::isinf(v))
            return core::fail(core::ErrorKind::input,
                              std::string(what) + ": contains an infinite value");
    }
    return {};
}

}  // namespace perftrack::reports::stats
