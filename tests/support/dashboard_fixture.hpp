#pragma once
// The data of the dashboard tests: a public project and a private one, both with names that
// try to break out of HTML ("<img onerror>", quotes, '&', unicode), uploaded through the API
// of a real `perftrack serve`: a main branch of 16 commits with a 20 % step at commit 8 (a
// change point) and an open alert there, and a feature branch of one commit.

#include <cstdint>
#include <memory>
#include <string>

#include <httplib.h>

#include "tests/support/serve_process.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {

inline const std::string k_hostile_project =
    "<img src=x onerror=alert(1)> \"q\" & 'p' \u00fc\u2713";
inline const std::string k_private_project = "secret <b>&amp; \"p\"";
inline const std::string k_hostile_benchmark = "<script>alert(\"b\")</script>&'x' \u00e9";
inline const std::string k_hostile_branch = "feat/<i>\"&'\u00fc";
inline constexpr int k_dashboard_commits = 16;
inline constexpr int k_dashboard_step = 8;

struct DashboardTokens {
    std::string admin;  // of k_hostile_project
    std::string read;   // of k_hostile_project
    std::string private_read;
    std::string private_admin;
};

class DashboardData {
  public:
    DashboardData();
    const std::string& dsn() const { return m_schema.dsn(); }
    const TestSchema& schema() const { return m_schema; }
    const DashboardTokens& tokens() const { return m_tokens; }
    ServeProcess& server() { return *m_server; }
    std::string base() const;  // http://127.0.0.1:PORT
    std::int64_t alert_id() const { return m_alert_id; }
    // "open", "acknowledged" or "resolved"
    std::string alert_status() const;
    static std::string sha(int i);

  private:
    TestSchema m_schema;
    DashboardTokens m_tokens;
    std::unique_ptr<ServeProcess> m_server;
    std::int64_t m_alert_id = 0;
};

// Percent-encoding for URLs of the tests (everything but unreserved characters).
std::string url_encode(const std::string& text);

}  // namespace perftrack::testing
