#include "alerts/http_client.hpp"

#include <chrono>

#include <gtest/gtest.h>

#include "tests/support/http_recorder.hpp"
#include "tests/unit/alerts/fast_http.hpp"

namespace perftrack::alerts {
namespace {

using testing::RecordingServer;
using testing::ScriptedResponse;
using Clock = std::chrono::steady_clock;

HttpRequest post(const std::string& url, std::string body = R"({"a":1})") {
    HttpRequest r;
    r.url = url;
    r.body = std::move(body);
    r.endpoint = "test endpoint";
    r.headers = {{"Content-Type", "application/json"}, {"X-Custom", "yes"}};
    return r;
}

long ms_since(Clock::time_point t) {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

TEST(HttpClient, SendsMethodHeadersAndBodyAndReadsTheAnswer) {
    RecordingServer server;
    server.enqueue({201, R"({"id":7})", "application/json", {{"X-Answer", "42"}}});
    HttpClient client(test::fast_http(), {});
    const auto outcome = client.send(post(server.url("/hook?x=1")));
    ASSERT_TRUE(outcome.ok()) << outcome.error;
    EXPECT_EQ(outcome.attempts, 1);
    EXPECT_EQ(outcome.response->status, 201);
    EXPECT_EQ(outcome.response->body, R"({"id":7})");
    EXPECT_EQ(outcome.response->headers.at("x-answer"), "42");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, "/hook");
    EXPECT_EQ(requests[0].query.at("x"), "1");
    EXPECT_EQ(requests[0].body, R"({"a":1})");
    EXPECT_EQ(requests[0].header("x-custom"), "yes");
    EXPECT_EQ(requests[0].header("content-type"), "application/json");
    EXPECT_EQ(requests[0].header("user-agent").rfind("perftrack/", 0), 0u);
    EXPECT_EQ(requests[0].header("expect"), "");  // no 100-continue round trip
}

TEST(HttpClient, PatchAndGetUseTheirMethods) {
    RecordingServer server;
    HttpClient client(test::fast_http(), {});
    auto patch = post(server.url("/x"));
    patch.method = "PATCH";
    ASSERT_TRUE(client.send(patch).ok());
    HttpRequest get;
    get.method = "GET";
    get.url = server.url("/y");
    get.endpoint = "test";
    ASSERT_TRUE(client.send(get).ok());
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "PATCH");
    EXPECT_EQ(requests[0].body, R"({"a":1})");
    EXPECT_EQ(requests[1].method, "GET");
    EXPECT_EQ(requests[1].body, "");
}

TEST(HttpClient, TwoServerErrorsThenSuccessDeliversOnceAfterRetries) {
    RecordingServer server;
    server.enqueue({500, "boom"});
    server.enqueue({500, "boom"});
    server.enqueue({200, "ok"});
    std::vector<std::string> retry_messages;
    HttpClient client(test::fast_http(4), {});
    client.set_retry_observer([&](const std::string& m) { retry_messages.push_back(m); });
    const auto outcome = client.send(post(server.url("/hook")));
    ASSERT_TRUE(outcome.ok()) << outcome.error;
    EXPECT_EQ(outcome.attempts, 3);
    EXPECT_EQ(outcome.response->status, 200);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);  // exactly one successful delivery, after two failures
    for (const auto& r : requests) EXPECT_EQ(r.body, R"({"a":1})");
    ASSERT_EQ(retry_messages.size(), 2u);
    EXPECT_NE(retry_messages[0].find("HTTP 500"), std::string::npos);
    EXPECT_NE(retry_messages[0].find("attempt 2 of 4"), std::string::npos);
    // Backoff: at least half the nominal first wait (20 ms) between the first two requests.
    EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(requests[1].received_at -
                                                                    requests[0].received_at)
                  .count(),
              10);
}

TEST(HttpClient, StopsAfterTheBoundedNumberOfAttempts) {
    RecordingServer server;
    server.set_handler([](const testing::RecordedRequest&) {
        return ScriptedResponse{503, "down"};
    });
    HttpClient client(test::fast_http(3), {});
    const auto outcome = client.send(post(server.url("/hook")));
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.attempts, 3);
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_EQ(outcome.error, "test endpoint: HTTP 503 (3 attempts)");
    ASSERT_TRUE(outcome.response);
    EXPECT_EQ(outcome.response->body, "down");
}

TEST(HttpClient, ClientErrorsAreNotRetried) {
    RecordingServer server;
    server.enqueue({404, "no such hook"});
    HttpClient client(test::fast_http(4), {});
    const auto outcome = client.send(post(server.url("/hook")));
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.attempts, 1);
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_EQ(outcome.error, "test endpoint: HTTP 404 (1 attempt)");
}

TEST(HttpClient, HonoursRetryAfterOnTooManyRequests) {
    RecordingServer server;
    server.enqueue({429, "slow down", "text/plain", {{"Retry-After", "1"}}});
    server.enqueue({200, "ok"});
    HttpClient client(test::fast_http(3), {});
    const auto outcome = client.send(post(server.url("/hook")));
    ASSERT_TRUE(outcome.ok()) << outcome.error;
    EXPECT_EQ(outcome.attempts, 2);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    // Backoff alone would have waited at most 20 ms; the server asked for a second.
    EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(requests[1].received_at -
                                                                    requests[0].received_at)
                  .count(),
              990);
}

TEST(HttpClient, GivesUpWhenRetryAfterExceedsTheLimitInsteadOfStallingCi) {
    RecordingServer server;
    server.enqueue({429, "slow down", "text/plain", {{"Retry-After", "3600"}}});
    HttpClient client(test::fast_http(3), {});
    const auto started = Clock::now();
    const auto outcome = client.send(post(server.url("/hook")));
    EXPECT_LT(ms_since(started), 1000);
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_NE(outcome.error.find("retry after 3600 s"), std::string::npos) << outcome.error;
}

TEST(HttpClient, AServerThatNeverAnswersTimesOutWithinTheConfiguredBound) {
    testing::SilentServer silent;
    auto settings = test::fast_http(2);
    settings.total_timeout = Milliseconds(300);
    HttpClient client(settings, {});
    const auto started = Clock::now();
    const auto outcome = client.send(post(silent.url("/hook")));
    const long elapsed = ms_since(started);
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.attempts, 2);
    // Two attempts of 300 ms and one short backoff (<= 20 ms), plus scheduling slack.
    EXPECT_GE(elapsed, 600);
    EXPECT_LT(elapsed, 1500);
    EXPECT_NE(outcome.error.find("timed out after 300 ms"), std::string::npos) << outcome.error;
}

TEST(HttpClient, TheDeadlineBoundsAllAttemptsTogether) {
    testing::SilentServer silent;
    auto settings = test::fast_http(10);
    settings.total_timeout = Milliseconds(400);
    settings.retry.deadline = Milliseconds(700);
    HttpClient client(settings, {});
    const auto started = Clock::now();
    const auto outcome = client.send(post(silent.url("/hook")));
    EXPECT_FALSE(outcome.ok());
    EXPECT_LT(ms_since(started), 1200);
    EXPECT_LE(outcome.attempts, 2);
}

TEST(HttpClient, RefusedConnectionsAreRetriedThenReported) {
    const std::string url = "http://127.0.0.1:" + std::to_string(testing::closed_port()) + "/hook";
    HttpClient client(test::fast_http(3), {});
    const auto outcome = client.send(post(url));
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.attempts, 3);
    EXPECT_FALSE(outcome.response);
    EXPECT_NE(outcome.error.find("(3 attempts)"), std::string::npos) << outcome.error;
}

TEST(HttpClient, MessagesNeverQuoteTheUrlOrOtherSecrets) {
    // libcurl names the host and port in connection errors; the path holds the secret.
    const std::string secret_path = "/services/T000/B000/XXXXsecretXXXX";
    const std::string url =
        "http://127.0.0.1:" + std::to_string(testing::closed_port()) + secret_path;
    HttpClient client(test::fast_http(2), {url, "XXXXsecretXXXX"});
    std::vector<std::string> messages;
    client.set_retry_observer([&](const std::string& m) { messages.push_back(m); });
    const auto outcome = client.send(post(url));
    messages.push_back(outcome.error);
    for (const auto& m : messages) {
        EXPECT_EQ(m.find("XXXXsecretXXXX"), std::string::npos) << m;
        EXPECT_EQ(m.find("/services/"), std::string::npos) << m;
    }
}

TEST(HttpClient, RefusesProtocolsOtherThanHttp) {
    HttpClient client(test::fast_http(3), {});
    auto request = post("file:///etc/passwd");
    const auto outcome = client.send(request);
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.attempts, 1);  // not a transient failure
}

TEST(HttpClient, DoesNotFollowRedirects) {
    RecordingServer target;
    RecordingServer server;
    server.enqueue({302, "", "text/plain", {{"Location", target.url("/elsewhere")}}});
    HttpClient client(test::fast_http(3), {});
    const auto outcome = client.send(post(server.url("/hook")));
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(target.request_count(), 0u);
    EXPECT_EQ(outcome.error, "test endpoint: HTTP 302 (1 attempt)");
}

}  // namespace
}  // namespace perftrack::alerts
