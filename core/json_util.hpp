#pragma once
// Helpers shared by every JSON reader (native format and the JSON adapters): parse with a
// message that names the file, line and column, and build JSON paths for error messages.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace perftrack::core {

// Parses `text` as one JSON document. On failure the error (kind input) reads
// "<source>: invalid JSON at line L, column C: <what>"; NaN/Infinity literals are named as such.
Result<nlohmann::json> parse_json_document(std::string_view text, std::string_view source);

// "results[3].samples[1]" style paths.
inline std::string json_path(std::string_view parent, std::string_view key) {
    if (parent.empty()) return std::string(key);
    return std::string(parent) + "." + std::string(key);
}
inline std::string json_path(std::string_view parent, std::size_t index) {
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

// "<source>: <path>: <problem>" as an input error.
inline tl::unexpected<Error> input_error(std::string_view source, std::string_view path,
                                         std::string_view problem) {
    std::string msg(source);
    msg += ": ";
    if (!path.empty()) {
        msg += path;
        msg += ": ";
    }
    msg += problem;
    return fail(ErrorKind::input, std::move(msg));
}

// "a string", "a number", ... for "expected X, got Y" messages.
std::string json_type_phrase(const nlohmann::json& value);

}  // namespace perftrack::core
