// perftrack serve against a real PostgreSQL, through real HTTP on 127.0.0.1: authentication
// and authorisation, bad input and abuse (nothing written, the server stays responsive),
// idempotent uploads, and a load of 32 concurrent uploaders.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/serve_client.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

constexpr const char* k_upload = "/api/v1/projects/demo/runs?branch=main&commit=c0ffee&testbed=ci";

class ServeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        admin = create_token(schema.dsn(), "demo", "admin");
        ingest = create_token(schema.dsn(), "demo", "ingest");
        read = create_token(schema.dsn(), "demo", "read");
        other = create_token(schema.dsn(), "other", "admin");
    }
    std::string runs() const { return schema.scalar("SELECT count(*) FROM run"); }
    static int exit_code_of(const httplib::Result& r) {
        return nlohmann::json::parse(r->body).at("exit_code").get<int>();
    }
    static std::string error_of(const httplib::Result& r) {
        return nlohmann::json::parse(r->body).at("error").get<std::string>();
    }

    TestSchema schema;
    std::string admin, ingest, read, other;
};

TEST_F(ServeTest, UploadIsStoredOnceAndRetriesAnswer200) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    const std::string body = gbench_fixture();
    auto first =
        client.Post(std::string(k_upload) + "&run-id=r1", bearer(ingest), body, "application/json");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 201) << first->body;
    const auto j = nlohmann::json::parse(first->body);
    EXPECT_TRUE(j.at("stored").get<bool>());
    EXPECT_GT(j.at("samples").get<int>(), 0);
    auto again =
        client.Post(std::string(k_upload) + "&run-id=r1", bearer(ingest), body, "application/json");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
    EXPECT_FALSE(nlohmann::json::parse(again->body).at("stored").get<bool>());
    // Without a run id the content decides: a retried upload is the same run.
    auto keyless = client.Post(k_upload, bearer(ingest), body, "application/json");
    auto keyless_again = client.Post(k_upload, bearer(ingest), body, "application/json");
    ASSERT_TRUE(keyless && keyless_again);
    EXPECT_EQ(keyless->status, 201);
    EXPECT_EQ(keyless_again->status, 200);
    EXPECT_EQ(runs(), "2");
}

TEST_F(ServeTest, UploadWithCheckReturnsTheVerdictAndExitCode) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    auto r = client.Post(std::string(k_upload) + "&check=1", bearer(ingest), gbench_fixture(),
                         "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
    EXPECT_TRUE(nlohmann::json::parse(r->body).contains("check"));
    EXPECT_EQ(r->get_header_value("X-Perftrack-Exit-Code"), "0");
    auto check = client.Get("/api/v1/projects/demo/check?branch=main&testbed=ci&commit=c0ffee",
                            bearer(read));
    ASSERT_TRUE(check);
    EXPECT_EQ(check->status, 200) << check->body;
    EXPECT_EQ(check->get_header_value("X-Perftrack-Exit-Code"), "0");
    for (const char* path :
         {"/api/v1/projects/demo/report?testbed=ci", "/api/v1/projects/demo/backtest?testbed=ci",
          "/api/v1/projects/demo/alerts?state=open",
          "/api/v1/projects/demo/series?testbed=ci&benchmark=BM_Copy/64"}) {
        auto g = client.Get(path, bearer(read));
        ASSERT_TRUE(g);
        EXPECT_EQ(g->status, 200) << path << ": " << g->body;
        EXPECT_TRUE(nlohmann::json::accept(g->body)) << path;
    }
}

TEST_F(ServeTest, EveryAuthFailureGetsItsStatusAndNothingIsWritten) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    const std::string body = gbench_fixture();
    const auto post = [&](const httplib::Headers& h) {
        return client.Post(k_upload, h, body, "application/json");
    };
    auto missing = post({});
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 401);
    EXPECT_EQ(exit_code_of(missing), 2);
    auto wrong = post(bearer("ptk_" + std::string(64, '0')));
    EXPECT_EQ(wrong->status, 401);
    EXPECT_EQ(error_of(wrong), "invalid token");
    auto malformed_header = post({{"Authorization", "Basic abc"}});
    EXPECT_EQ(malformed_header->status, 401);
    auto other_project = post(bearer(other));
    EXPECT_EQ(other_project->status, 403);
    auto read_scope = post(bearer(read));
    EXPECT_EQ(read_scope->status, 403);
    // Expired and revoked tokens.
    const std::string expiring = create_token(schema.dsn(), "demo", "ingest");
    schema.scalar(
        "UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = "
        "(SELECT max(id) FROM api_token)");
    auto expired = post(bearer(expiring));
    EXPECT_EQ(expired->status, 401);
    EXPECT_EQ(error_of(expired), "the token has expired");
    const std::string revoked = create_token(schema.dsn(), "demo", "ingest");
    const std::string id = schema.scalar("SELECT max(id) FROM api_token");
    const auto revoke = run_perftrack({"token", "revoke", "--db", schema.dsn(), id});
    EXPECT_EQ(revoke.exit_code, 0) << revoke.err;
    auto revoked_r = post(bearer(revoked));
    EXPECT_EQ(revoked_r->status, 401);
    EXPECT_EQ(error_of(revoked_r), "the token was revoked");
    // Tokens never appear in what the server answers or lists.
    for (const auto* r : {&missing, &wrong, &other_project, &expired, &revoked_r})
        EXPECT_EQ((*r)->body.find("ptk_"), std::string::npos);
    const auto list = run_perftrack({"token", "list", "--db", schema.dsn()});
    EXPECT_EQ(list.out.find(ingest), std::string::npos);
    EXPECT_EQ(runs(), "0");
    // Writes of other scopes: an ingest token cannot acknowledge or reset.
    auto ack =
        client.Post("/api/v1/projects/demo/alerts/1/ack?note=x", bearer(ingest), "", "text/plain");
    EXPECT_EQ(ack->status, 403);
    auto reset =
        client.Post("/api/v1/projects/demo/baseline/reset?benchmark=*&commit=c0ffee&reason=x",
                    bearer(other), "", "text/plain");
    EXPECT_EQ(reset->status, 403);
}

TEST_F(ServeTest, PublicProjectsAreReadableWithoutAToken) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    auto before = client.Get("/api/v1/projects/demo/alerts");
    EXPECT_EQ(before->status, 401);
    const auto made_public = run_perftrack({"project", "public", "--db", schema.dsn(), "demo"});
    ASSERT_EQ(made_public.exit_code, 0) << made_public.err;
    auto after = client.Get("/api/v1/projects/demo/alerts");
    EXPECT_EQ(after->status, 200);
    // Writes still need a token.
    auto upload = client.Post(k_upload, gbench_fixture(), "application/json");
    EXPECT_EQ(upload->status, 401);
}

TEST_F(ServeTest, BadBodiesAndFormatsAre400WithTheIngestMessage) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    auto broken = client.Post(k_upload, bearer(ingest), "{\"benchmarks\": [", "application/json");
    EXPECT_EQ(broken->status, 400);
    EXPECT_EQ(exit_code_of(broken), 2);
    auto unknown = client.Post(std::string(k_upload) + "&format=nosuchtool", bearer(ingest),
                               gbench_fixture(), "application/json");
    EXPECT_EQ(unknown->status, 400);
    EXPECT_NE(error_of(unknown).find("nosuchtool"), std::string::npos) << error_of(unknown);
    auto no_branch = client.Post("/api/v1/projects/demo/runs?commit=c0ffee&testbed=ci",
                                 bearer(ingest), gbench_fixture(), "application/json");
    EXPECT_EQ(no_branch->status, 400);
    EXPECT_NE(error_of(no_branch).find("no branch"), std::string::npos);
    auto bad_time = client.Post(std::string(k_upload) + "&commit-time=yesterday", bearer(ingest),
                                gbench_fixture(), "application/json");
    EXPECT_EQ(bad_time->status, 400);
    auto unknown_route = client.Get("/api/v1/nothing");
    EXPECT_EQ(unknown_route->status, 404);
    auto wrong_method = client.Delete("/api/v1/projects/demo/runs");
    EXPECT_EQ(wrong_method->status, 405);
    EXPECT_EQ(runs(), "0");
}

TEST_F(ServeTest, OversizedBodiesAndTooManySeriesAre413AndNothingIsWritten) {
    ServeProcess server(schema.dsn(), {"--max-body-size", "64KiB", "--max-series", "2"});
    httplib::Client client("127.0.0.1", server.port());
    auto big =
        client.Post(k_upload, bearer(ingest), std::string(200 * 1024, ' '), "application/json");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    EXPECT_NE(big->body.find("--max-body-size"), std::string::npos) << big->body;
    auto many = client.Post(k_upload, bearer(ingest), gbench_fixture(), "application/json");
    ASSERT_TRUE(many);
    EXPECT_EQ(many->status, 413);
    EXPECT_NE(error_of(many).find("--max-series"), std::string::npos);
    EXPECT_EQ(runs(), "0");
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM sample"), "0");
}

// Found by ci/fuzz_api.sh: a decoded CR or LF in the path, and the OPTIONS method, got
// httplib's own 404 ("bad request (404)") instead of the router's answer.
TEST_F(ServeTest, ControlCharactersInThePathAndOptionsGetTheRoutersAnswer) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    for (const char* path : {"/api/v1/projects/de%0Amo/alerts", "/api/v1/projects/de%0Dmo/alerts",
                             "/api/v1/projects/demo/alerts?branch=a%0Ab"}) {
        auto r = client.Get(path, bearer(admin));
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 400) << path;
        EXPECT_NE(error_of(r).find("percent-encoded UTF-8"), std::string::npos) << r->body;
    }
    auto options = client.Options("/api/v1/projects/demo/runs");
    ASSERT_TRUE(options);
    EXPECT_EQ(options->status, 405);
    EXPECT_NE(error_of(options).find("method OPTIONS is not allowed"), std::string::npos)
        << options->body;
}

TEST_F(ServeTest, PathTraversalInNamesIsRefused) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    for (const char* path :
         {"/api/v1/projects/..%2F..%2Fetc/runs?branch=main&commit=c&testbed=t",
          "/api/v1/projects/../runs?branch=main&commit=c&testbed=t",
          "/api/v1/projects/demo%2F..%2Fother/runs?branch=main&commit=c&testbed=x",
          "/api/v1/projects/de%00mo/runs", "/api/v1/projects/demo%zz/runs"}) {
        auto r = client.Post(path, bearer(admin), gbench_fixture(), "application/json");
        ASSERT_TRUE(r) << path;
        EXPECT_TRUE(r->status == 400 || r->status == 404) << path << ": " << r->status;
    }
    EXPECT_EQ(runs(), "0");
}

TEST_F(ServeTest, SqlAndHtmlInFieldsAreStoredLiterally) {
    ServeProcess server(schema.dsn());
    httplib::Client client("127.0.0.1", server.port());
    const std::string hostile = "x'); DROP TABLE run; --<script>alert(1)</script>";
    const std::string path =
        "/api/v1/projects/demo/runs?branch=" + httplib::detail::encode_query_param(hostile) +
        "&commit=" + httplib::detail::encode_query_param(hostile) +
        "&testbed=" + httplib::detail::encode_query_param("<b>tb</b>");
    auto r = client.Post(path, bearer(ingest), gbench_fixture(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
    EXPECT_EQ(schema.scalar("SELECT name FROM branch"), hostile);
    EXPECT_EQ(schema.scalar("SELECT sha FROM commit"), hostile);
    EXPECT_EQ(schema.scalar("SELECT name FROM testbed"), "<b>tb</b>");
    EXPECT_EQ(runs(), "1");
}

// A client that opens connections and never finishes its request holds no worker for longer
// than the read timeout; others are served meanwhile.
TEST_F(ServeTest, SlowClientsDoNotBlockOthers) {
    ServeProcess server(schema.dsn(), {"--threads", "4", "--read-timeout", "2"});
    std::vector<int> slow;
    for (int i = 0; i < 3; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        const std::string partial = "POST /api/v1/projects/demo/runs HTTP/1.1\r\nHost: x\r\n";
        ASSERT_GT(::send(fd, partial.data(), partial.size(), 0), 0);
        slow.push_back(fd);
    }
    httplib::Client client("127.0.0.1", server.port());
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) {
        auto r = client.Get("/api/v1/health");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
    // The server drops them after the read timeout: recv sees the close.
    for (const int fd : slow) {
        timeval tv{10, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[256];
        const auto t0 = std::chrono::steady_clock::now();
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        EXPECT_GE(n, 0);
        EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(8));
        ::close(fd);
    }
}

TEST_F(ServeTest, RateLimitAnswers429WithRetryAfter) {
    ServeProcess server(schema.dsn(), {"--rate-limit", "1", "--rate-burst", "3"});
    httplib::Client client("127.0.0.1", server.port());
    int limited = 0;
    std::string retry_after;
    for (int i = 0; i < 6; ++i) {
        auto r = client.Get("/api/v1/projects/demo/alerts", bearer(read));
        ASSERT_TRUE(r);
        if (r->status == 429) {
            ++limited;
            retry_after = r->get_header_value("Retry-After");
        }
    }
    EXPECT_GE(limited, 2);
    EXPECT_FALSE(retry_after.empty());
}

TEST_F(ServeTest, SigtermFinishesAndExitsZero) {
    ServeProcess server(schema.dsn());
    EXPECT_EQ(server.stop(SIGTERM), 0);
}

// 32 uploaders x 50 runs: every run stored exactly once; latency and throughput printed.
TEST_F(ServeTest, LoadOf32UploadersStoresEveryRunExactlyOnce) {
    ServeProcess server(schema.dsn(), {"--threads", "8", "--rate-limit", "0"});
    constexpr int k_clients = 32;
    constexpr int k_runs = 50;
    const std::string body = gbench_fixture();
    std::vector<std::vector<double>> latencies(k_clients);
    std::atomic<int> failures{0};
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < k_clients; ++c)
        threads.emplace_back([&, c] {
            httplib::Client client("127.0.0.1", server.port());
            client.set_read_timeout(60, 0);
            for (int i = 0; i < k_runs; ++i) {
                const auto t0 = std::chrono::steady_clock::now();
                auto r = client.Post(fmt::format("/api/v1/projects/demo/runs?branch=main&commit="
                                                 "c{}&testbed=ci&run-id=load-{}-{}",
                                                 i, c, i),
                                     bearer(ingest), body, "application/json");
                latencies[c].push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count());
                if (!r || r->status != 201) ++failures;
            }
        });
    for (auto& t : threads) t.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::vector<double> all;
    for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    const double p50 = all[all.size() / 2];
    const double p99 = all[all.size() * 99 / 100];
    fmt::print("load: {} uploads in {:.2f} s = {:.0f} runs/s; p50 {:.1f} ms, p99 {:.1f} ms\n",
               all.size(), seconds, static_cast<double>(all.size()) / seconds, p50, p99);
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(runs(), std::to_string(k_clients * k_runs));
    EXPECT_EQ(schema.scalar("SELECT count(DISTINCT run_key) FROM run"),
              std::to_string(k_clients * k_runs));
}

}  // namespace
}  // namespace perftrack::testing
