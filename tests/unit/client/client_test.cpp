// client/: the server target (URL and token from flags and environment), the token kept out of
// every message, the mapping of API failures to exit codes, and the retries against a real HTTP
// server on 127.0.0.1.
#include <map>

#include <gtest/gtest.h>

#include "alerts/retry_policy.hpp"
#include "client/api_calls.hpp"
#include "client/api_client.hpp"
#include "client/server_target.hpp"
#include "core/native_format.hpp"
#include "tests/support/http_recorder.hpp"

namespace perftrack::client {
namespace {

using namespace std::chrono_literals;
using testing::RecordingServer;
using testing::ScriptedResponse;

std::map<std::string, std::string> g_env;

std::optional<std::string> fake_env(const char* name) {
    const auto it = g_env.find(name);
    if (it == g_env.end()) return std::nullopt;
    return it->second;
}

ServerTarget target_of(const std::optional<std::string>& flag) {
    auto t = resolve_server_target(flag, fake_env);
    EXPECT_TRUE(t) << (t ? "" : t.error().message);
    EXPECT_TRUE(t && *t);
    return t && *t ? **t : ServerTarget{};
}

TEST(ServerTarget, FlagBeatsEnvironmentAndTheBaseIsNormalised) {
    g_env = {{"PERFTRACK_SERVER", "https://env.example"}, {"PERFTRACK_TOKEN", "tok\n"}};
    EXPECT_EQ(target_of(std::nullopt).base_url, "https://env.example");
    EXPECT_EQ(target_of("http://127.0.0.1:8080/").base_url, "http://127.0.0.1:8080");
    EXPECT_EQ(target_of("http://127.0.0.1:8080/api/v1/").base_url, "http://127.0.0.1:8080");
    EXPECT_EQ(target_of("https://h/perf").api_url("/health"), "https://h/perf/api/v1/health");
    EXPECT_EQ(target_of(std::nullopt).token, "tok");  // a newline from `$(cat file)` dropped
    g_env = {};
    auto none = resolve_server_target(std::nullopt, fake_env);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
}

TEST(ServerTarget, RefusesUrlsThatAreNotAServerBase) {
    g_env = {};
    for (const char* bad : {"127.0.0.1:8080", "ftp://h", "https://user:pw@h", "https://h/?x=1",
                            "https://h/#f", "https://"}) {
        auto t = resolve_server_target(std::string(bad), fake_env);
        ASSERT_FALSE(t) << bad;
        EXPECT_EQ(t.error().kind, core::ErrorKind::usage);
        EXPECT_EQ(t.error().message.find("pw"), std::string::npos);
    }
}

TEST(ServerTarget, ScrubsTheTokenAndEncodesQueryValues) {
    ServerTarget t;
    t.token = "s3cr3t";
    EXPECT_EQ(t.scrub("Bearer s3cr3t rejected; s3cr3t"), "Bearer *** rejected; ***");
    EXPECT_EQ(url_encode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
    EXPECT_EQ(query_string({{"branch", "feat/x"}, {"commit", "abc"}}),
              "?branch=feat%2Fx&commit=abc");
}

TEST(ApiErrors, StatusAndBodyGiveTheExitCode) {
    ServerTarget t;
    t.base_url = "http://127.0.0.1:1";
    t.token = "tok123";
    auto bad = error_from_reply(t, 400, R"({"error":"r.json: missing field","exit_code":2})");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(bad.message, "r.json: missing field");
    EXPECT_EQ(error_from_reply(t, 401, R"({"error":"token tok123 unknown"})").message,
              "token *** unknown");
    EXPECT_EQ(error_from_reply(t, 401, "").exit_code, 2);
    EXPECT_EQ(error_from_reply(t, 403, "").exit_code, 2);
    EXPECT_EQ(error_from_reply(t, 404, "").exit_code, 2);
    EXPECT_EQ(error_from_reply(t, 413, "").exit_code, 2);
    EXPECT_EQ(error_from_reply(t, 429, "").exit_code, 3);
    EXPECT_EQ(error_from_reply(t, 503, R"({"error":"database down","exit_code":3})").exit_code, 3);
    EXPECT_EQ(error_from_reply(t, 500, "<html>").message,
              "HTTP 500 from perftrack server " + t.base_url);
}

TEST(RetryPolicy, FiveAttemptsDoublingToEightSecondsWithinThreeMinutes) {
    const RetrySettings r;
    EXPECT_EQ(r.max_attempts, 5);
    EXPECT_EQ(r.initial_backoff, 500ms);
    EXPECT_EQ(r.max_backoff, 8000ms);
    EXPECT_EQ(r.max_retry_after, 60000ms);
    EXPECT_EQ(r.deadline, 180000ms);
    alerts::RetryPolicy p;
    p.initial_backoff = r.initial_backoff;
    p.max_backoff = r.max_backoff;
    // Equal jitter: between half and all of 0.5, 1, 2, 4, 8, 8 s.
    const std::int64_t full[] = {500, 1000, 2000, 4000, 8000, 8000};
    for (int next = 2; next <= 7; ++next) {
        EXPECT_EQ(alerts::backoff_delay(next, p, 0.0).count(), full[next - 2] / 2);
        EXPECT_EQ(alerts::backoff_delay(next, p, 1.0).count(), full[next - 2]);
    }
    // Retry-After in seconds or as an HTTP date (RFC 9110), relative to now.
    EXPECT_EQ(alerts::parse_retry_after("7", 0), 7000ms);
    EXPECT_EQ(alerts::parse_retry_after("Thu, 01 Jan 1970 00:00:30 GMT", 10), 20000ms);
    EXPECT_EQ(alerts::parse_retry_after("soon", 0), std::nullopt);
}

RetrySettings quick() {
    RetrySettings r;
    r.initial_backoff = 10ms;
    r.max_backoff = 40ms;
    r.deadline = 20000ms;
    return r;
}

TEST(ApiClient, RetriesOverloadAndHonoursRetryAfterThenSucceeds) {
    RecordingServer server;
    server.enqueue(ScriptedResponse(503, R"({"error":"database down","exit_code":3})",
                                    "application/json", {{"Retry-After", "1"}}));
    server.enqueue(ScriptedResponse(429, "{}", "application/json"));
    server.enqueue(
        ScriptedResponse(201, R"({"run_id":7,"stored":true,"samples":3})", "application/json"));
    ServerTarget t;
    t.base_url = server.url();
    t.token = "tok-abc";
    ApiClient api(t, quick());
    store::RunToStore run;
    run.project = "my proj";
    run.branch = "main";
    run.commit = "abc";
    run.testbed = "t";
    run.run_key = "local:1";
    run.results.measurements.push_back({});
    run.results.measurements.back().series = {"s", "b", nlohmann::json::object(), "m", "ns"};
    run.results.measurements.back().samples = {1.0, 2.0, 3.0};
    const auto started = std::chrono::steady_clock::now();
    auto reply = upload_run(api, run, false);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_TRUE(reply->stored);
    EXPECT_EQ(reply->run_id, 7);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 1000ms) << "Retry-After: 1 honoured";
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3U);
    EXPECT_EQ(requests[0].path, "/api/v1/projects/my proj/runs");  // sent as my%20proj
    EXPECT_EQ(requests[0].query.at("run-id"), "local:1");
    EXPECT_EQ(requests[0].query.at("format"), "perftrack");
    EXPECT_EQ(requests[0].header("authorization"), "Bearer tok-abc");
    // The same body each time, carrying the run key: a retry after a lost answer stores once.
    EXPECT_EQ(requests[0].body, requests[2].body);
    auto parsed = core::parse_native(requests[2].body, "body");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->context.run_id, "local:1");
}

TEST(ApiClient, RefusalsAreFinalAndNeverEchoTheToken) {
    RecordingServer server;
    server.set_handler([](const testing::RecordedRequest& r) {
        return ScriptedResponse(
            401, R"({"error":"unknown token )" + r.header("authorization") + R"(","exit_code":2})",
            "application/json");
    });
    ServerTarget t;
    t.base_url = server.url();
    t.token = "pt_live_xyz";
    ApiClient api(t, quick());
    auto reply = api.get("/projects/p/check");
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().exit_code, 2);
    EXPECT_EQ(reply.error().message.find("pt_live_xyz"), std::string::npos)
        << reply.error().message;
    EXPECT_EQ(server.request_count(), 1U) << "a 401 is not retried";
}

TEST(ApiClient, NoServerMeansUnavailableAfterTheRetries) {
    ServerTarget t;
    t.base_url = "http://127.0.0.1:" + std::to_string(testing::closed_port());
    t.token = "tok";
    ApiClient api(t, quick());
    int retries = 0;
    api.on_retry([&](const std::string&) { ++retries; });
    auto reply = api.get("/health");
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().exit_code, 3);
    EXPECT_TRUE(reply.error().unavailable());
    EXPECT_EQ(retries, 4);
}

}  // namespace
}  // namespace perftrack::client
