#pragma once
// The HTTP API v1 (docs/api.yaml, also the contract with the CLI as a client): routes,
// authentication and authorisation per project, rate limits, and handlers that return what the
// CLI's JSON outputs print. Errors are
// {"error", "exit_code"} with the exit code the same failure gives on the command line.

#include <cstddef>
#include <memory>
#include <string>

#include "server/dashboard.hpp"
#include "server/rate_limiter.hpp"
#include "server/router.hpp"
#include "server/store_pool.hpp"

namespace perftrack::server {

struct ApiOptions {
    std::size_t max_series = 100'000;  // series (benchmark x metric) in one upload
    int retry_after_seconds = 5;       // Retry-After of a 503 while the database is down
};

class Api {
  public:
    Api(StorePool& pool, RateLimiter& limiter, ApiOptions options);
    // Never throws: every failure becomes an error response.
    Response handle(const Request& request) const;
    const Router& router() const { return m_router; }

  private:
    StorePool& m_pool;
    RateLimiter& m_limiter;
    ApiOptions m_options;
    // The HTML pages (docs/dashboard.md) share the router, the store pool and the limiter.
    std::unique_ptr<dashboard::Dashboard> m_dashboard;
    Router m_router;
};

}  // namespace perftrack::server
