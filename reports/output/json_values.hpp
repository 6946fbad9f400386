#pragma once
// JSON helpers for the renderers: numbers that may be unknown become null, never NaN.

#include <cmath>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace perftrack::reports::output {

inline nlohmann::json number_or_null(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

inline nlohmann::json string_or_null(const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

}  // namespace perftrack::reports::output
