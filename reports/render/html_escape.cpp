#include "reports/render/html_escape.hpp"

#include <cstdint>

namespace perftrack::reports::render {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at text[i], or 0 when it is invalid (RFC 3629, table 3-7
// of the Unicode standard: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t valid_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char b0 = byte(0);
    if (b0 < 0x80) return 1;
    const std::size_t left = text.size() - i;
    auto cont = [&](std::size_t k) { return k < left && (byte(k) & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        const unsigned char b1 = byte(1);
        if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
        if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogates
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        const unsigned char b1 = byte(1);
        if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
        if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

// Calls on_char(piece) for each character of `text`: valid sequences as they are, each invalid
// byte and NUL as U+FFFD.
template <typename F>
void for_each_char(std::string_view text, F&& on_char) {
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t n = valid_sequence_length(text, i);
        if (n == 0 || text[i] == '\0') {
            on_char(k_replacement);
            ++i;
        } else {
            on_char(text.substr(i, n));
            i += n;
        }
    }
}

std::string escape_html(std::string_view text, bool attribute) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for_each_char(text, [&](std::string_view c) {
        if (c.size() != 1) {
            out += c;
            return;
        }
        switch (c[0]) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            case '\n':
                out += attribute ? "&#10;" : "\n";
                break;
            case '\r':
                out += attribute ? "&#13;" : "\r";
                break;
            case '\t':
                out += attribute ? "&#9;" : "\t";
                break;
            default:
                out += c[0];
        }
    });
    return out;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for_each_char(text, [&](std::string_view c) { out += c; });
    return out;
}

std::string escape_html_text(std::string_view text) {
    return escape_html(text, false);
}

std::string escape_html_attribute(std::string_view text) {
    return escape_html(text, true);
}

std::string escape_script_json(std::string_view json) {
    std::string out;
    out.reserve(json.size() + json.size() / 64);
    for_each_char(json, [&](std::string_view c) {
        if (c == "<") {
            out += "\\u003c";
        } else if (c == ">") {
            out += "\\u003e";
        } else if (c == "&") {
            out += "\\u0026";
        } else if (c == "\xE2\x80\xA8") {
            out += "\\u2028";
        } else if (c == "\xE2\x80\xA9") {
            out += "\\u2029";
        } else {
            out += c;
        }
    });
    return out;
}

std::string percent_encode(std::string_view text) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += ch;
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 0x0F];
        }
    }
    return out;
}

}  // namespace perftrack::reports::render
