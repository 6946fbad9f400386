#include "server/dashboard_response.hpp"

namespace perftrack::server::dashboard {

Response html_response(int status, std::string body, const std::string& csp, bool private_page) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Content-Security-Policy", csp);
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Cache-Control", private_page ? "private, no-store" : "no-cache");
    return r;
}

Response redirect(const std::string& location) {
    Response r;
    r.status = 303;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", location);
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace perftrack::server::dashboard
