#pragma once
// How a browser holds a token for the dashboard, without a server-side session table (several
// `perftrack serve` instances share nothing but the database):
// - `?token=T` on any /p/{project} page, or the login form (POST /p/{project}/login), is
//   exchanged for a cookie named after the project (perftrack_t_<hash of the name>) holding the
//   token: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
//   Path=/ and Secure behind TLS. The answer is a 303 to the same page without the token, so
//   the token never stays in the address bar, the history, a Referer or the access log.
// - CSRF: every form that writes carries a synchronizer token derived from the cookie's token,
//   SHA-256("perftrack-csrf\0" + token). Only the holder of the token can compute it, it needs
//   no storage, and it is the same on every instance. A POST whose field does not match (in
//   constant time) is refused with 403 before anything is written.

#include <optional>
#include <string>

#include "server/router.hpp"
#include "store/store.hpp"

namespace perftrack::server::dashboard {

std::string cookie_name(const std::string& project);

// The value of cookie `name` in the request's Cookie header(s), if any.
std::optional<std::string> cookie_value(const Request& request, const std::string& name);

// Set-Cookie values: the token (session cookie, no expiry of its own: the token has one) and
// the deletion of it.
std::string token_cookie(const Request& request, const std::string& project,
                         const std::string& token);
std::string clear_cookie(const Request& request, const std::string& project);

std::string csrf_token(const std::string& token);
bool csrf_matches(const std::string& token, const std::string& presented);

enum class Access { granted, needs_token, bad_token, forbidden };

struct Viewer {
    Access access = Access::needs_token;
    std::string token;   // the cookie's token (empty: none)
    bool admin = false;  // the token may acknowledge alerts of this project
};

// What the browser of `request` may do on `project`: read when the project is public or the
// cookie holds a valid read or admin token of the project. `need_admin`: only an admin token
// grants access. Never puts the token into any message.
Viewer viewer(store::Store& db, const Request& request, const std::string& project,
              bool need_admin);

// application/x-www-form-urlencoded body -> fields; nullopt when it is not valid.
std::optional<std::map<std::string, std::string>> form_fields(const std::string& body);

}  // namespace perftrack::server::dashboard
