#pragma once
// The dashboard of `perftrack serve`: server-rendered HTML pages over the same store as the
// API (docs/dashboard.md). Routes:
//   GET  /                                  projects this browser may read
//   GET  /p/{project}                       branches x testbeds, newest verdicts, open alerts
//   GET  /p/{project}/report?testbed=&branch=&commit=   the report (reports/render)
//   GET  /p/{project}/series?testbed=&branch=&suite=&benchmark=&params=&metric=&unit=&point=
//   POST /p/{project}/alerts/{id}/ack       (admin token cookie + CSRF field)
//   POST /p/{project}/login, /p/{project}/logout
// `?token=T` on a GET is exchanged for a cookie (server/dashboard_session.hpp).

#include <memory>

#include "server/rate_limiter.hpp"
#include "server/router.hpp"
#include "server/store_pool.hpp"

namespace perftrack::server::dashboard {

class Dashboard {
  public:
    Dashboard(StorePool& pool, RateLimiter& limiter);
    ~Dashboard();
    Dashboard(const Dashboard&) = delete;
    Dashboard& operator=(const Dashboard&) = delete;
    void add_routes(Router& router);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace perftrack::server::dashboard
