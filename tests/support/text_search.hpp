#pragma once
// Counting a string's occurrences in a page or output: how the report and browser tests assert
// "exactly one chart per series", "no second <script>".

#include <cstddef>
#include <string>

namespace perftrack::testing {

// Occurrences of `needle` in `haystack`, overlapping ones included.
inline std::size_t count_occurrences(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

}  // namespace perftrack::testing
