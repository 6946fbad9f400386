#pragma once
// Where a byte offset lies in a text, for error messages of every parser (JSON and XML alike):
// "line L, column C".

#include <cstddef>
#include <string_view>
#include <utility>

namespace perftrack::core {

// 1-based line and column of byte `offset` in `text` (columns count bytes).
inline std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

}  // namespace perftrack::core
