#include "core/redact.hpp"

#include <algorithm>

namespace perftrack::core {

namespace {

// The values after "password=" (keyword form or URI query), quoted or not.
void add_password_keyword_ranges(std::string_view s,
                                 std::vector<std::pair<std::size_t, std::size_t>>& out) {
    std::size_t pos = 0;
    for (;;) {
        pos = s.find("password", pos);
        if (pos == std::string_view::npos) return;
        std::size_t i = pos + 8;
        while (i < s.size() && s[i] == ' ') ++i;
        if (i >= s.size() || s[i] != '=') {
            pos = i;
            continue;
        }
        ++i;
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t end = i;
        if (i < s.size() && s[i] == '\'') {
            end = i + 1;
            while (end < s.size() && s[end] != '\'') {
                if (s[end] == '\\') ++end;
                ++end;
            }
            end = std::min(end + 1, s.size());
        } else {
            while (end < s.size() && s[end] != ' ' && s[end] != '&') ++end;
        }
        if (end > i) out.emplace_back(i, end);
        pos = end;
    }
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> password_ranges(std::string_view s) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    const auto scheme = s.find("://");
    if (scheme != std::string_view::npos) {
        // user:password@ in the authority (the last '@' before the path or query).
        const std::size_t auth_start = scheme + 3;
        std::size_t auth_end = s.find_first_of("/?", auth_start);
        if (auth_end == std::string_view::npos) auth_end = s.size();
        const std::size_t at = s.rfind('@', auth_end);
        if (at != std::string_view::npos && at >= auth_start) {
            const std::size_t colon = s.find(':', auth_start);
            if (colon != std::string_view::npos && colon < at) out.emplace_back(colon + 1, at);
        }
    }
    add_password_keyword_ranges(s, out);
    std::sort(out.begin(), out.end());
    return out;
}

std::string redact_database_url(std::string_view url) {
    std::string out;
    std::size_t copied = 0;
    for (const auto& [begin, end] : password_ranges(url)) {
        if (begin < copied) continue;  // overlapping forms: the first one covers it
        out.append(url.substr(copied, begin - copied));
        out += "***";
        copied = end;
    }
    out.append(url.substr(copied));
    return out;
}

std::string redact_secrets(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets) {
        if (secret.empty()) continue;
        std::size_t pos = 0;
        while ((pos = text.find(secret, pos)) != std::string::npos) {
            text.replace(pos, secret.size(), "***");
            pos += 3;
        }
    }
    return text;
}

}  // namespace perftrack::core
