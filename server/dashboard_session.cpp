#include "server/dashboard_session.hpp"

#include "core/time.hpp"
#include "server/token.hpp"

namespace perftrack::server::dashboard {

namespace {

constexpr std::size_t k_cookie_hash_chars = 16;

bool secure_transport(const Request& request) {
    // Behind the documented nginx (docs/deploy.md), which sets X-Forwarded-Proto.
    const auto it = request.headers.find("x-forwarded-proto");
    return it != request.headers.end() && it->second == "https";
}

std::string trim(std::string_view text) {
    const auto b = text.find_first_not_of(' ');
    if (b == std::string_view::npos) return {};
    const auto e = text.find_last_not_of(' ');
    return std::string(text.substr(b, e - b + 1));
}

}  // namespace

std::string cookie_name(const std::string& project) {
    // Cookie names allow few characters; the hash of the name also keeps it out of the header.
    return "perftrack_t_" + token_hash_hex(project).substr(0, k_cookie_hash_chars);
}

std::optional<std::string> cookie_value(const Request& request, const std::string& name) {
    const auto it = request.headers.find("cookie");
    if (it == request.headers.end()) return std::nullopt;
    std::string_view rest = it->second;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        const std::string item = trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        const auto eq = item.find('=');
        if (eq != std::string::npos && item.substr(0, eq) == name) return item.substr(eq + 1);
    }
    return std::nullopt;
}

std::string token_cookie(const Request& request, const std::string& project,
                         const std::string& token) {
    return cookie_name(project) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
           (secure_transport(request) ? "; Secure" : "");
}

std::string clear_cookie(const Request& request, const std::string& project) {
    return cookie_name(project) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
           (secure_transport(request) ? "; Secure" : "");
}

std::string csrf_token(const std::string& token) {
    return token_hash_hex(std::string("perftrack-csrf") + '\0' + token);
}

bool csrf_matches(const std::string& token, const std::string& presented) {
    return !token.empty() && same_hash(csrf_token(token), presented);
}

Viewer viewer(store::Store& db, const Request& request, const std::string& project,
              bool need_admin) {
    Viewer v;
    // Tokens are "ptk_" and hex digits: anything else in the cookie is not one (and is never
    // looked up or echoed).
    if (auto t = cookie_value(request, cookie_name(project));
        t && !t->empty() && t->find_first_not_of("ptk_0123456789abcdef") == std::string::npos)
        v.token = *t;
    if (!v.token.empty()) {
        const auto info = db.find_token(token_hash_hex(v.token));
        const bool valid = info && !info->revoked_at_us &&
                           !(info->expires_at_us && *info->expires_at_us <= core::now_epoch_us());
        if (!valid) {
            v.access = Access::bad_token;
            return v;
        }
        if (info->project != project) {
            v.access = Access::forbidden;
            return v;
        }
        v.admin = info->scope == store::TokenScope::admin;
        if (need_admin && !v.admin) {
            v.access = Access::forbidden;
            return v;
        }
        if (info->scope == store::TokenScope::read || v.admin) {
            v.access = Access::granted;
            return v;
        }
        // An ingest token does not read; the project may still be public.
    }
    if (need_admin) {
        v.access = v.token.empty() ? Access::needs_token : Access::forbidden;
        return v;
    }
    v.access = db.project_public(project).value_or(false) ? Access::granted
               : v.token.empty()                          ? Access::needs_token
                                                          : Access::forbidden;
    return v;
}

std::optional<std::map<std::string, std::string>> form_fields(const std::string& body) {
    auto parsed = parse_target("/?" + body);
    if (!parsed) return std::nullopt;
    return parsed->query;
}

}  // namespace perftrack::server::dashboard
