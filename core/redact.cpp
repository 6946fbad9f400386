#include "core/redact.hpp"

#include <cctype>

namespace perftrack::core {

namespace {

// Replaces the value after "password=" (keyword form or URI query), quoted or not.
std::string redact_password_keyword(std::string s) {
    std::size_t pos = 0;
    for (;;) {
        pos = s.find("password", pos);
        if (pos == std::string::npos) return s;
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
            if (end < s.size()) ++end;
        } else {
            while (end < s.size() && s[end] != ' ' && s[end] != '&') ++end;
        }
        s.replace(i, end - i, "***");
        pos = i + 3;
    }
}

}  // namespace

std::string redact_database_url(std::string_view url) {
    std::string s(url);
    const auto scheme = s.find("://");
    if (scheme != std::string::npos) {
        const std::size_t auth_start = scheme + 3;
        std::size_t auth_end = s.find_first_of("/?", auth_start);
        if (auth_end == std::string::npos) auth_end = s.size();
        const std::size_t at = s.rfind('@', auth_end);
        if (at != std::string::npos && at >= auth_start) {
            const std::size_t colon = s.find(':', auth_start);
            if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
        }
    }
    return redact_password_keyword(std::move(s));
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
