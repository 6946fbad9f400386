#include "core/json_util.hpp"

#include <cctype>

#include <fmt/format.h>

namespace perftrack::core {

namespace {

// Turns a byte offset into 1-based line and column.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
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

bool starts_with_at(std::string_view text, std::size_t pos, std::string_view word) {
    return pos <= text.size() && text.substr(pos).substr(0, word.size()) == word;
}

// nlohmann's dump() recurses once per nesting level, and perftrack dumps parts of its inputs
// (fingerprints, params) when it stores or spools them: a file of a few hundred thousand nested
// brackets would exhaust the stack there. No result file nests anywhere near this deep.
constexpr std::size_t k_max_json_depth = 256;

// Offset of the bracket that opens level k_max_json_depth + 1, or npos. Skips strings.
std::size_t too_deep_at(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > k_max_json_depth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

}  // namespace

std::string json_type_phrase(const nlohmann::json& v) {
    switch (v.type()) {
        case nlohmann::json::value_t::null:
            return "null";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::object:
            return "an object";
        default:
            return "a number";
    }
}

Result<nlohmann::json> parse_json_document(std::string_view text, std::string_view source) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return fail(ErrorKind::input, fmt::format("{}: file is empty, expected JSON", source));
    if (const std::size_t deep = too_deep_at(text); deep != std::string_view::npos) {
        const auto [line, col] = line_column(text, deep);
        return fail(ErrorKind::input,
                    fmt::format("{}: invalid JSON at line {}, column {}: nested more than {} "
                                "levels deep",
                                source, line, col, k_max_json_depth));
    }
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based and points just past the offending token.
        std::size_t offset = e.byte > 0 ? static_cast<std::size_t>(e.byte) - 1 : 0;
        if (offset > text.size()) offset = text.size();
        // Find the start of the token that failed, to recognise NaN / Infinity.
        std::size_t tok = offset;
        while (tok > 0 && std::isalnum(static_cast<unsigned char>(text[tok - 1]))) --tok;
        if (tok > 0 && (text[tok - 1] == '-' || text[tok - 1] == '+')) --tok;
        auto [line, col] = line_column(text, offset);
        std::string what;
        // tok is text.size() when the input ends right after a non-word character (found by
        // fuzzing: reading text[tok] there overflowed).
        const bool signed_word = tok < text.size() && (text[tok] == '-' || text[tok] == '+');
        const std::size_t word = signed_word ? tok + 1 : tok;
        if (starts_with_at(text, word, "NaN") || starts_with_at(text, word, "nan") ||
            starts_with_at(text, word, "Infinity") || starts_with_at(text, word, "inf")) {
            std::tie(line, col) = line_column(text, tok);
            what = "NaN and Infinity are not valid JSON numbers (a benchmark produced no value?)";
        } else if (offset >= text.size()) {
            what = "unexpected end of input: the file is truncated";
        } else {
            // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1,
            // column 5: syntax error while parsing value - invalid literal; last read: 'x'".
            std::string m = e.what();
            const auto dash = m.find(" - ");
            what = dash == std::string::npos ? m : m.substr(dash + 3);
        }
        return fail(ErrorKind::input,
                    fmt::format("{}: invalid JSON at line {}, column {}: {}", source, line, col,
                                what));
    } catch (const nlohmann::json::exception& e) {
        // Number overflow (out_of_range.406: "number overflow parsing '1e999'") carries no
        // position; find the literal it quotes to say where it is.
        std::string m = e.what();
        const auto q1 = m.find('\'');
        const auto q2 = q1 == std::string::npos ? q1 : m.find('\'', q1 + 1);
        if (q2 != std::string::npos) {
            const std::string literal = m.substr(q1 + 1, q2 - q1 - 1);
            if (const auto at = text.find(literal); at != std::string_view::npos) {
                auto [line, col] = line_column(text, at);
                return fail(ErrorKind::input,
                            fmt::format("{}: invalid JSON at line {}, column {}: number {} is out "
                                        "of range for a double",
                                        source, line, col, literal));
            }
        }
        const auto close = m.find("] ");
        return fail(ErrorKind::input, fmt::format("{}: invalid JSON: {}", source,
                                                  close == std::string::npos ? m : m.substr(close + 2)));
    }
}

}  // namespace perftrack::core
