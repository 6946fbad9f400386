#include "server/router.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

namespace perftrack::server {

namespace {

constexpr int k_exit_usage = 2;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). Names and
// parameters are stored in a UTF-8 database, which refuses anything else.
bool valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            extra = 1;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + extra >= text.size()) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xc0u) != 0x80u) return false;
            cp = (cp << 6) | (cc & 0x3fu);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += extra + 1;
    }
    return true;
}

// Percent-decoding; '+' is a space only in the query. Control characters are refused: names
// travel into logs and pages.
std::optional<std::string> decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_digit(text[i + 1]);
            const int lo = hex_digit(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
        out += c;
    }
    if (!valid_utf8(out)) return std::nullopt;
    return out;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(sep, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

std::vector<std::string> pattern_segments(std::string_view pattern) {
    std::vector<std::string> out;
    for (auto s : split(pattern.substr(1), '/')) out.emplace_back(s);
    return out;
}

// Matches segments against a pattern; fills {name} parameters.
bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             std::map<std::string, std::string>& params) {
    if (pattern.size() != segments.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const auto& p = pattern[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (segments[i].empty()) return false;
            found[p.substr(1, p.size() - 2)] = segments[i];
        } else if (p != segments[i]) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

}  // namespace

std::optional<ParsedTarget> parse_target(std::string_view target) {
    if (target.empty() || target.front() != '/') return std::nullopt;
    const auto q = target.find('?');
    const auto path = target.substr(0, q);
    ParsedTarget out;
    // Segments are decoded one by one: an encoded "%2F" stays inside its segment (and is then
    // refused by the name checks), never becomes a path separator.
    for (auto raw : split(path.substr(1), '/')) {
        auto seg = decode(raw, false);
        if (!seg) return std::nullopt;
        out.segments.push_back(std::move(*seg));
    }
    if (q != std::string_view::npos) {
        for (auto item : split(target.substr(q + 1), '&')) {
            if (item.empty()) continue;
            const auto eq = item.find('=');
            auto name = decode(item.substr(0, eq), true);
            auto value = decode(
                eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1), true);
            if (!name || !value) return std::nullopt;
            out.query[*name] = std::move(*value);
        }
    }
    return out;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
    m_routes.push_back({std::move(method), std::move(pattern), std::move(handler)});
}

Response Router::dispatch(const Request& request) const {
    auto target = parse_target(request.target);
    if (!target)
        return error_response(400, "the request path or query is not valid percent-encoded UTF-8",
                              k_exit_usage);
    bool path_known = false;
    for (const auto& route : m_routes) {
        std::map<std::string, std::string> params;
        if (!matches(pattern_segments(route.pattern), target->segments, params)) continue;
        path_known = true;
        if (route.method != request.method) continue;
        return route.handler(request, RouteMatch{std::move(params), std::move(*target)});
    }
    if (path_known)
        return error_response(405, "method " + request.method + " is not allowed here",
                              k_exit_usage);
    return error_response(404, "no such API endpoint (see docs/api.yaml)", k_exit_usage);
}

Response error_response(int status, const std::string& message, int exit_code) {
    Response r;
    r.status = status;
    // Messages may quote the request: bytes that are not UTF-8 become U+FFFD, not a throw.
    r.body = nlohmann::json{{"error", message}, {"exit_code", exit_code}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

}  // namespace perftrack::server
