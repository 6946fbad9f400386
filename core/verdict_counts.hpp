#pragma once
// How many series of a check or report got each verdict: the summary line of the report, the
// PR comment and the Slack message.

#include <cstddef>

namespace perftrack::core {

struct VerdictCounts {
    std::size_t regressions = 0;
    std::size_t improvements = 0;
    std::size_t unchanged = 0;
    std::size_t insufficient_data = 0;
    std::size_t new_series = 0;
};

}  // namespace perftrack::core
