#include "runner/suite_outcome.hpp"

#include <string_view>

namespace perftrack::runner {

std::string tail_for_message(const std::string& text, std::size_t max_bytes) {
    std::string_view t(text);
    while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.remove_suffix(1);
    if (t.size() > max_bytes) {
        t = t.substr(t.size() - max_bytes);
        if (const auto nl = t.find('\n'); nl != std::string_view::npos) t.remove_prefix(nl + 1);
    }
    return std::string(t);
}

}  // namespace perftrack::runner
