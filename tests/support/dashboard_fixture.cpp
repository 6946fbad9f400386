#include "tests/support/dashboard_fixture.hpp"

#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/render/html_escape.hpp"
#include "store/pg/pg_store.hpp"
#include "tests/support/serve_client.hpp"

namespace perftrack::testing {

namespace {

std::string doc(int i) {
    nlohmann::json samples = nlohmann::json::array();
    nlohmann::json steady = nlohmann::json::array();
    for (int k = 0; k < 5; ++k) {
        const double wobble = 1.0 + 0.004 * std::sin(i * 7919.0 + k * 104729.0);
        samples.push_back(1000.0 * (i >= k_dashboard_step ? 1.2 : 1.0) * wobble);
        steady.push_back(500.0 * wobble);
    }
    return nlohmann::json{{"version", 1},
                          {"results",
                           {{{"suite", "s<1>"},
                             {"benchmark", k_hostile_benchmark},
                             {"params", {{"n", 1024}, {"mode", "a&b \"c\""}}},
                             {"metric", "real_time"},
                             {"unit", "ns"},
                             {"direction", "lower"},
                             {"samples", samples}},
                            {{"suite", "s<1>"},
                             {"benchmark", "BM_Steady"},
                             {"params", nlohmann::json::object()},
                             {"metric", "real_time"},
                             {"unit", "ns"},
                             {"direction", "lower"},
                             {"samples", steady}}}}}
        .dump();
}

void upload(httplib::Client& client, const std::string& token, const std::string& project,
            const std::string& branch, int i) {
    const std::string target = fmt::format(
        "/api/v1/projects/{}/runs?format=perftrack&testbed=ci&branch={}&commit={}"
        "&commit-time=2024-03-{:02d}T12:00:00Z",
        url_encode(project), url_encode(branch), DashboardData::sha(i), 1 + i);
    const auto r = client.Post(target, bearer(token), doc(i), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
}

}  // namespace

std::string url_encode(const std::string& text) {
    return reports::render::percent_encode(text);
}

std::string DashboardData::sha(int i) {
    return fmt::format("{:08x}{:032x}", 0xc0ffee00 + i, 0);
}

DashboardData::DashboardData() {
    const auto ingest = create_token(dsn(), k_hostile_project, "ingest");
    const auto private_ingest = create_token(dsn(), k_private_project, "ingest");
    m_tokens.admin = create_token(dsn(), k_hostile_project, "admin");
    m_tokens.read = create_token(dsn(), k_hostile_project, "read");
    m_tokens.private_read = create_token(dsn(), k_private_project, "read");
    m_tokens.private_admin = create_token(dsn(), k_private_project, "admin");
    const auto pub = run_perftrack({"project", "public", k_hostile_project, "--db", dsn(), "-q"});
    EXPECT_EQ(pub.exit_code, 0) << pub.err;
    m_server = std::make_unique<ServeProcess>(dsn(), std::vector<std::string>{"--rate-limit", "0"});
    httplib::Client client("127.0.0.1", m_server->port());
    for (int i = 0; i < k_dashboard_commits; ++i) {
        upload(client, ingest, k_hostile_project, "main", i);
        upload(client, private_ingest, k_private_project, "main", i);
    }
    upload(client, ingest, k_hostile_project, k_hostile_branch, k_dashboard_commits);

    auto db = store::pg::connect(dsn());
    store::AlertObservation o;
    o.project = k_hostile_project;
    o.testbed = "ci";
    o.branch = "main";
    o.series.suite = "s<1>";
    o.series.benchmark = k_hostile_benchmark;
    o.series.params = {{"n", 1024}, {"mode", "a&b \"c\""}};
    o.series.metric = "real_time";
    o.series.unit = "ns";
    o.since_commit = sha(k_dashboard_step);
    o.seen_commit = sha(k_dashboard_step);
    o.change_pct = 20.0;
    m_alert_id = db->record_alert(o).alert.id;
}

std::string DashboardData::base() const {
    return fmt::format("http://127.0.0.1:{}", m_server->port());
}

std::string DashboardData::alert_status() const {
    return m_schema.scalar(fmt::format("SELECT status FROM alert WHERE id = {}", m_alert_id));
}

}  // namespace perftrack::testing
