#pragma once
// Requests and responses as the API sees them (independent of the HTTP library, so the request
// handlers are testable and fuzzable without sockets), and the route table: method + path
// pattern with {name} segments.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace perftrack::server {

struct Request {
    std::string method;
    std::string target;  // path and query as in the request line; the query is read from here
                         // only (never from a form body)
    std::map<std::string, std::string> headers;  // names lowercase
    std::string body;
    std::string remote_addr;
};

struct Response {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
};

// The target split and percent-decoded. nullopt when the path or a query item is not valid
// percent-encoding, or decodes to a NUL or control character or to bytes that are not UTF-8.
struct ParsedTarget {
    std::vector<std::string> segments;         // "/api/v1/health" -> {"api", "v1", "health"}
    std::map<std::string, std::string> query;  // the last of repeated names wins
};
std::optional<ParsedTarget> parse_target(std::string_view target);

struct RouteMatch {
    std::map<std::string, std::string> params;  // {project} -> value
    ParsedTarget target;
};

using Handler = std::function<Response(const Request&, const RouteMatch&)>;

struct Route {
    std::string method;   // "GET", "POST"
    std::string pattern;  // "/api/v1/projects/{project}/runs"
    Handler handler;
};

class Router {
  public:
    void add(std::string method, std::string pattern, Handler handler);
    // 404 for an unknown path, 405 for a known path with another method, 400 for a target
    // that is not valid percent-encoding; else the route's handler.
    Response dispatch(const Request& request) const;
    const std::vector<Route>& routes() const { return m_routes; }

  private:
    std::vector<Route> m_routes;
};

// {"error": message, "exit_code": n} with the status.
Response error_response(int status, const std::string& message, int exit_code);

}  // namespace perftrack::server
