// The CLI as a client of the real `perftrack serve` on 127.0.0.1 (with a project token from
// `perftrack token create`): stored once, check byte-identical to --db, a refused token, and
// the server killed with SIGKILL mid-way and restarted: every run stored exactly once after
// `push --server`. Skips, saying so, when this build has no `perftrack serve`.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include "core/process.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/http_recorder.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/three_benchmark_run.hpp"

namespace perftrack::testing {
namespace {

using namespace std::chrono_literals;

std::string server_url(int port) {
    return fmt::format("http://127.0.0.1:{}", port);
}

bool build_has_serve() {
    // `perftrack serve --help` would print the top-level help (exit 0) in a build without it.
    static const bool has = run_perftrack({"--help"}).out.find("\n  serve ") != std::string::npos;
    return has;
}

#define SKIP_WITHOUT_SERVE()                                                                  \
    if (!build_has_serve())                                                                   \
    GTEST_SKIP() << "this build has no `perftrack serve` (issue 14's server); the client is " \
                    "tested against the contract's stand-in in ServerClientTest"

class RealServerClientTest : public ::testing::Test {
  protected:
    void SetUp() override {
        SKIP_WITHOUT_SERVE();
        auto created = run_perftrack(
            {"token", "create", "--db", m_schema.dsn(), "--project", "p", "--scope", "admin"});
        ASSERT_EQ(created.exit_code, 0) << created.err;
        // The token is the one line printed on stdout.
        m_token = created.out.substr(0, created.out.find('\n'));
        ASSERT_FALSE(m_token.empty());
    }
    ProcessResult cli(std::vector<std::string> args, const std::string& home = "client",
                      std::optional<std::string> token = std::nullopt) {
        ProcessOptions options;
        options.env = {{"PERFTRACK_HOME", (m_dir / home).string()},
                       {"PERFTRACK_TOKEN", token.value_or(m_token)},
                       {"NO_COLOR", "1"}};
        options.unset_env = {"PERFTRACK_SERVER", "GITHUB_ACTIONS", "CI"};
        options.cwd = m_dir.path();
        options.timeout_seconds = 120;
        return run_perftrack(args, options);
    }

    TestSchema m_schema;
    TempDir m_dir;
    std::string m_token;
};

TEST_F(RealServerClientTest, StoresOnceChecksLikeTheDatabaseAndRefusesAWrongToken) {
    ServeProcess server(m_schema.dsn());
    const std::string url = server_url(server.port());
    for (int c = 0; c < 18; ++c) {
        const auto file =
            m_dir.write(fmt::format("c{}.json", c), three_benchmark_run(c, c < 16 ? 100 : 125));
        const std::vector<std::string> args = {"ingest",     "-q",
                                               "--server",   url,
                                               "--project",  "p",
                                               "--branch",   "main",
                                               "--commit",   fmt::format("c{:07}", c),
                                               "--testbed",  "t",
                                               "--run-id",   fmt::format("r{}", c),
                                               file.string()};
        auto r = cli(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        if (c == 0) {
            auto again = cli(args);
            EXPECT_EQ(again.exit_code, 0) << again.err;
        }
    }
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), "18");
    for (const std::string format : {"text", "markdown", "json"}) {
        const std::vector<std::string> tail = {"--project", "p",    "--branch", "main",
                                               "--testbed", "t",    "--commit", "c0000017",
                                               "--format",  format, "--no-fail"};
        std::vector<std::string> via_server = {"check", "--server", url};
        std::vector<std::string> via_db = {"check", "--db", m_schema.dsn(), "--no-notify"};
        via_server.insert(via_server.end(), tail.begin(), tail.end());
        via_db.insert(via_db.end(), tail.begin(), tail.end());
        auto s = cli(via_server);
        auto d = cli(via_db);
        EXPECT_EQ(s.exit_code, 0) << s.err;
        EXPECT_EQ(s.out, d.out) << format;
        std::printf("real server: check --server vs --db, %s: %zu bytes, identical: %s\n",
                    format.c_str(), s.out.size(), s.out == d.out ? "yes" : "no");
    }
    auto alerts = cli({"alerts", "list", "--server", url, "--project", "p"});
    auto alerts_db = cli({"alerts", "list", "--db", m_schema.dsn(), "--project", "p"});
    EXPECT_EQ(alerts.exit_code, 0) << alerts.err;
    EXPECT_EQ(alerts.out, alerts_db.out);
    auto report = cli({"report", "--server", url, "--project", "p", "--testbed", "t"});
    EXPECT_EQ(report.exit_code, 0) << report.err;
    EXPECT_TRUE(nlohmann::json::accept(report.out));
    const auto file = m_dir.write("x.json", three_benchmark_run(30, 100));
    auto wrong = cli({"ingest", "--server", url, "--project", "p", "--branch", "main", "--commit",
                      "cx", "--testbed", "t", file.string()},
                     "client", std::string("pt_not_a_token"));
    EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
    EXPECT_EQ(wrong.err.find("pt_not_a_token"), std::string::npos);
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), "18");
}

TEST_F(RealServerClientTest, KilledAndRestartedServerLosesAndDuplicatesNothing) {
    std::optional<ServeProcess> server(std::in_place, m_schema.dsn());
    const int port = server->port();
    const std::string url = server_url(port);
    constexpr int k_clients = 6, k_runs = 20;
    const auto file = m_dir.write("r.json", three_benchmark_run(1, 100));
    std::atomic<int> direct{0}, spooled{0}, other{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < k_clients; ++c)
        clients.emplace_back([&, c] {
            for (int i = 0; i < k_runs; ++i) {
                auto r = cli({"ingest", "-q", "--server", url, "--project", "p", "--branch", "main",
                              "--commit", fmt::format("{:02}{:02}000", c, i), "--testbed", "t",
                              "--run-id", fmt::format("c{}-r{}", c, i), file.string()},
                             fmt::format("client{}", c));
                (r.exit_code == 0 ? direct : r.exit_code == 3 ? spooled : other)++;
            }
        });
    std::this_thread::sleep_for(600ms);
    server->stop(SIGKILL);
    server.reset();
    std::this_thread::sleep_for(9s);  // longer than the clients' retries: some runs spool
    server.emplace(m_schema.dsn(), std::vector<std::string>{}, port);
    for (auto& t : clients) t.join();
    EXPECT_EQ(other.load(), 0);
    for (int c = 0; c < k_clients; ++c) {
        auto push = cli({"push", "--server", url}, fmt::format("client{}", c));
        EXPECT_EQ(push.exit_code, 0) << push.err;
    }
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), std::to_string(k_clients * k_runs));
    std::printf("real server killed: %d stored directly, %d spooled then pushed, %s stored\n",
                direct.load(), spooled.load(), m_schema.scalar("SELECT count(*) FROM run").c_str());
}

}  // namespace
}  // namespace perftrack::testing
