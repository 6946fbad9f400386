#include "core/json_util.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include <fmt/format.h>

#include "core/text_position.hpp"

namespace perftrack::core {

namespace {

bool starts_with_at(std::string_view text, std::size_t pos, std::string_view word) {
    return pos <= text.size() && text.substr(pos).substr(0, word.size()) == word;
}

// nlohmann's dump() recurses once per nesting level, and perftrack dumps parts of its inputs
// (fingerprints, params) when it stores or spools them: a file of a few hundred thousand nested
// brackets would exhaust the stack there. No result file nests anywhere near this deep.
constexpr std::size_t k_max_json_depth = 256;

// A character iterator that records how far the parser has read, so an error the SAX handler
// finds itself (nesting too deep) has a position like the parser's own errors.
class CountingIterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    // `read` receives the number of characters consumed from `begin`.
    CountingIterator(const char* begin, const char* at, std::size_t* read)
        : m_begin(begin), m_at(at), m_read(read) {}
    reference operator*() const { return *m_at; }
    CountingIterator& operator++() {
        ++m_at;
        *m_read = static_cast<std::size_t>(m_at - m_begin);
        return *this;
    }
    CountingIterator operator++(int) {
        CountingIterator before = *this;
        ++*this;
        return before;
    }
    bool operator==(const CountingIterator& other) const { return m_at == other.m_at; }
    bool operator!=(const CountingIterator& other) const { return m_at != other.m_at; }

  private:
    const char* m_begin;
    const char* m_at;
    std::size_t* m_read;
};

// The first thing that went wrong, with the byte offset where it was found.
struct SaxError {
    enum class Kind { none, too_deep, syntax, number_overflow };
    Kind kind = Kind::none;
    std::size_t position = 0;  // bytes read when it was found (1-based position of the culprit)
    std::string token;         // the token that failed, as nlohmann read it
    std::string what;          // nlohmann's message
};

// nlohmann's own DOM builder behind a depth limit: every event is passed on, except an object or
// array that would open level k_max_json_depth + 1, and errors, which are kept with their
// position instead of thrown.
class DepthLimitedDom {
  public:
    using json = nlohmann::json;
    DepthLimitedDom(json& root, const std::size_t* chars_read)
        : m_dom(root, /*allow_exceptions=*/false), m_chars_read(chars_read) {}

    bool null() { return m_dom.null(); }
    bool boolean(bool v) { return m_dom.boolean(v); }
    bool number_integer(json::number_integer_t v) { return m_dom.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return m_dom.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) {
        return m_dom.number_float(v, s);
    }
    bool string(json::string_t& v) { return m_dom.string(v); }
    bool binary(json::binary_t& v) { return m_dom.binary(v); }
    bool key(json::string_t& v) { return m_dom.key(v); }
    bool start_object(std::size_t n) { return enter() && m_dom.start_object(n); }
    bool end_object() {
        --m_depth;
        return m_dom.end_object();
    }
    bool start_array(std::size_t n) { return enter() && m_dom.start_array(n); }
    bool end_array() {
        --m_depth;
        return m_dom.end_array();
    }
    template <typename Exception>
    bool parse_error(std::size_t position, const std::string& last_token, const Exception& e) {
        // 406: a number literal too large for a double; everything else is a syntax error.
        m_error = {e.id == 406 ? SaxError::Kind::number_overflow : SaxError::Kind::syntax, position,
                   last_token, e.what()};
        return false;
    }
    const SaxError& error() const { return m_error; }

  private:
    bool enter() {
        if (++m_depth <= k_max_json_depth) return true;
        m_error = {SaxError::Kind::too_deep, *m_chars_read, "", ""};
        return false;
    }
    nlohmann::detail::json_sax_dom_parser<json> m_dom;
    const std::size_t* m_chars_read;
    std::size_t m_depth = 0;
    SaxError m_error;
};

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
    nlohmann::json root;
    std::size_t chars_read = 0;
    DepthLimitedDom dom(root, &chars_read);
    const CountingIterator first(text.data(), text.data(), &chars_read);
    const CountingIterator last(text.data(), text.data() + text.size(), &chars_read);
    if (nlohmann::json::sax_parse(first, last, &dom)) return root;

    const SaxError& e = dom.error();
    const auto at = [&](std::size_t offset, std::string_view what) {
        const auto [line, col] = line_column(text, offset);
        return fail(ErrorKind::input, fmt::format("{}: invalid JSON at line {}, column {}: {}",
                                                  source, line, col, what));
    };
    // Positions count the bytes read, so the culprit is the byte before.
    const std::size_t offset = std::min(e.position > 0 ? e.position - 1 : 0, text.size());
    switch (e.kind) {
        case SaxError::Kind::too_deep:
            return at(offset, fmt::format("nested more than {} levels deep", k_max_json_depth));
        case SaxError::Kind::number_overflow: {
            // The position is the end of the literal.
            const std::size_t start = std::min(e.position, text.size()) -
                                      std::min(e.token.size(), std::min(e.position, text.size()));
            return at(start, fmt::format("number {} is out of range for a double", e.token));
        }
        case SaxError::Kind::none:
        case SaxError::Kind::syntax:
            break;
    }
    // Find the start of the token that failed, to recognise NaN / Infinity.
    std::size_t tok = offset;
    while (tok > 0 && std::isalnum(static_cast<unsigned char>(text[tok - 1]))) --tok;
    if (tok > 0 && (text[tok - 1] == '-' || text[tok - 1] == '+')) --tok;
    // tok is text.size() when the input ends right after a non-word character (found by
    // fuzzing: reading text[tok] there overflowed).
    const bool signed_word = tok < text.size() && (text[tok] == '-' || text[tok] == '+');
    const std::size_t word = signed_word ? tok + 1 : tok;
    if (starts_with_at(text, word, "NaN") || starts_with_at(text, word, "nan") ||
        starts_with_at(text, word, "Infinity") || starts_with_at(text, word, "inf"))
        return at(tok,
                  "NaN and Infinity are not valid JSON numbers (a benchmark produced no value?)");
    if (offset >= text.size()) return at(offset, "unexpected end of input: the file is truncated");
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 5:
    // syntax error while parsing value - invalid literal; last read: 'x'"; the part after " - "
    // says what was wrong.
    const auto dash = e.what.find(" - ");
    return at(offset, dash == std::string::npos ? e.what : e.what.substr(dash + 3));
}

}  // namespace perftrack::core
