// perftrack serve under faults: killed with SIGKILL during uploads and restarted (clients
// retry; every run stored exactly once), and its PostgreSQL restarted under load (503 with
// Retry-After while it is down, never a hang; recovery without restarting the server). The
// database of the second test is private to it, so other tests running in parallel see
// nothing of the restart.
#include <atomic>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/support/private_postgres.hpp"
#include "tests/support/serve_client.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

using namespace std::chrono_literals;

struct UploadStats {
    std::atomic<int> unavailable{0};  // 503 answers
    std::atomic<int> without_retry_after{0};
    std::atomic<int> stored{0};             // uploads answered 200 or 201
    std::atomic<int> connection_errors{0};  // server gone (killed)
    std::atomic<int> failures{0};           // given up, or an unexpected status
    std::atomic<double> slowest_ms{0};
};

// Uploads run `i` of client `c` until the server says stored (201) or already stored (200),
// retrying on connection errors and 503 as a CI client would.
void upload_with_retry(int port, const std::string& token, const std::string& body, int c, int i,
                       UploadStats& stats) {
    const auto give_up = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < give_up) {
        httplib::Client client("127.0.0.1", port);
        client.set_connection_timeout(2, 0);
        client.set_read_timeout(20, 0);
        const auto t0 = std::chrono::steady_clock::now();
        auto r = client.Post(fmt::format("/api/v1/projects/demo/runs?branch=main&commit=c{}"
                                         "&testbed=ci&run-id=fault-{}-{}",
                                         i, c, i),
                             bearer(token), body, "application/json");
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        double seen = stats.slowest_ms.load();
        while (ms > seen && !stats.slowest_ms.compare_exchange_weak(seen, ms)) {
        }
        if (!r) {
            ++stats.connection_errors;
        } else if (r->status == 200 || r->status == 201) {
            ++stats.stored;
            return;
        } else if (r->status == 503) {
            ++stats.unavailable;
            if (r->get_header_value("Retry-After").empty()) ++stats.without_retry_after;
        } else {
            ADD_FAILURE() << "status " << r->status << ": " << r->body;
            ++stats.failures;
            return;
        }
        std::this_thread::sleep_for(100ms);
    }
    ++stats.failures;
}

TEST(ServeFaults, SigkillDuringUploadsThenRestartStoresEveryRunOnce) {
    TestSchema schema;
    const std::string token = create_token(schema.dsn(), "demo", "ingest");
    // The rate limit is not what this test is about (it has tests of its own): the 8 clients'
    // 240 uploads from one token would pass 50 requests/s whenever the server is fast enough.
    const std::vector<std::string> no_rate_limit = {"--rate-limit", "0"};
    auto server = std::make_unique<ServeProcess>(schema.dsn(), no_rate_limit);
    const int port = server->port();
    constexpr int k_clients = 8;
    constexpr int k_runs = 30;
    const std::string body = gbench_fixture();
    UploadStats stats;
    std::vector<std::thread> clients;
    for (int c = 0; c < k_clients; ++c)
        clients.emplace_back([&, c] {
            for (int i = 0; i < k_runs; ++i) upload_with_retry(port, token, body, c, i, stats);
        });
    // Killed once some uploads are stored and most are not: a fixed sleep let a fast server
    // finish all 240 first.
    const auto wait_until = std::chrono::steady_clock::now() + 60s;
    while (stats.stored.load() < 20 && std::chrono::steady_clock::now() < wait_until)
        std::this_thread::sleep_for(1ms);
    EXPECT_EQ(server->stop(SIGKILL), 128 + SIGKILL);
    std::this_thread::sleep_for(500ms);
    server = std::make_unique<ServeProcess>(schema.dsn(), no_rate_limit, port);
    for (auto& t : clients) t.join();
    fmt::print("sigkill: {} connection errors retried\n", stats.connection_errors.load());
    EXPECT_EQ(stats.failures.load(), 0);
    EXPECT_GT(stats.connection_errors.load(), 0) << "the kill came after every upload";
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM run"), std::to_string(k_clients * k_runs));
    EXPECT_EQ(schema.scalar("SELECT count(DISTINCT run_key) FROM run"),
              std::to_string(k_clients * k_runs));
}

TEST(ServeFaults, PostgresRestartUnderLoadGives503ThenRecovers) {
    PrivatePostgres pg;
    ASSERT_TRUE(pg.ok());
    const auto migrated = run_perftrack({"db", "migrate", "--db", pg.dsn()});
    ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
    const std::string token = create_token(pg.dsn(), "demo", "ingest");
    ServeProcess server(pg.dsn(), {"--threads", "4", "--rate-limit", "0"});
    constexpr int k_clients = 6;
    constexpr int k_runs = 40;
    const std::string body = gbench_fixture();
    UploadStats stats;
    std::vector<std::thread> clients;
    for (int c = 0; c < k_clients; ++c)
        clients.emplace_back([&, c] {
            for (int i = 0; i < k_runs; ++i) {
                upload_with_retry(server.port(), token, body, c, i, stats);
                std::this_thread::sleep_for(20ms);
            }
        });
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(pg.stop());
    // While it is down: health says 503 at once.
    httplib::Client probe("127.0.0.1", server.port());
    const auto t0 = std::chrono::steady_clock::now();
    auto health = probe.Get("/api/v1/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 503);
    EXPECT_FALSE(health->get_header_value("Retry-After").empty());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s);
    std::this_thread::sleep_for(1500ms);
    ASSERT_TRUE(pg.start());
    for (auto& t : clients) t.join();
    fmt::print("postgres restart: {} answers 503, slowest request {:.0f} ms\n",
               stats.unavailable.load(), stats.slowest_ms.load());
    EXPECT_EQ(stats.failures.load(), 0);
    EXPECT_GT(stats.unavailable.load(), 0);
    EXPECT_EQ(stats.without_retry_after.load(), 0);
    EXPECT_LT(stats.slowest_ms.load(), 5000.0);
    auto after = probe.Get("/api/v1/health");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 200);
    const auto count = run_process({"/bin/sh", "-c",
                                    fmt::format("{} -d '{}' -Atc 'SELECT count(*), count(DISTINCT "
                                                "run_key) FROM run'",
                                                program_path("psql"), pg.dsn())});
    EXPECT_EQ(count.out, fmt::format("{0}|{0}\n", k_clients * k_runs)) << count.err;
}

}  // namespace
}  // namespace perftrack::testing
