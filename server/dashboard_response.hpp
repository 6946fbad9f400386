#pragma once
// HTML responses of the dashboard: the security headers every page carries, and PageError, a
// handler's early exit with a status and a message page.

#include <string>

#include "server/router.hpp"

namespace perftrack::server::dashboard {

// `csp`: the page's Content-Security-Policy (also in its <meta>); `private_page`: a page of a
// non-public project or one that depends on the browser's token, never stored by caches.
Response html_response(int status, std::string body, const std::string& csp, bool private_page);

// 303 See Other to a site-relative `location`.
Response redirect(const std::string& location);

struct PageError {
    int status;
    std::string title;
    std::string message;
    std::string login_project;  // 401: offer the token form for this project
};

[[noreturn]] inline void page_fail(int status, std::string title, std::string message,
                                   std::string login_project = {}) {
    throw PageError{status, std::move(title), std::move(message), std::move(login_project)};
}

}  // namespace perftrack::server::dashboard
