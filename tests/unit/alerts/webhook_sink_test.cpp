#include "alerts/webhook_sink.hpp"

#include <gtest/gtest.h>

#include "alerts/signature.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/http_recorder.hpp"
#include "tests/unit/alerts/fast_http.hpp"
#include "tests/unit/alerts/sample_notice.hpp"

namespace perftrack::alerts {
namespace {

using testing::with_stdin;

// What a receiver does: HMAC the raw body with its copy of the secret (here with the openssl
// command, independent of perftrack's code) and compare.
std::string receiver_signature(const std::string& secret, const std::string& body) {
    auto r = testing::run_process({"/usr/bin/openssl", "dgst", "-sha256", "-hmac", secret},
                                  with_stdin(body));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return "sha256=" + r.out.substr(r.out.rfind(' ') + 1);
}

TEST(WebhookSink, PostsTheCheckJsonVerdictUnsignedWithoutSecret) {
    testing::RecordingServer server;
    HttpClient client(test::fast_http(), {});
    WebhookSink sink(client, server.url("/perf"), std::nullopt);
    const auto notice = test::sample_notice();
    const auto result = sink.deliver(notice);
    ASSERT_TRUE(result.ok) << result.error;
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].header("content-type"), "application/json");
    EXPECT_EQ(requests[0].header("x-perftrack-event"), "check");
    EXPECT_EQ(requests[0].header("x-perftrack-signature"), "");
    // Same shape as `check --format json`: the verdict itself, byte for byte.
    EXPECT_EQ(requests[0].body, notice.check_json.dump());
    const auto body = nlohmann::json::parse(requests[0].body);
    EXPECT_TRUE(body["results"].is_array());
    EXPECT_TRUE(body["summary"].is_object());
}

TEST(WebhookSink, SignsTheBodyAndTheSignatureVerifies) {
    testing::RecordingServer server;
    const std::string secret = "whsec-5up3r-s3cret";
    HttpClient client(test::fast_http(), {secret});
    WebhookSink sink(client, server.url("/perf"), secret);
    ASSERT_TRUE(sink.deliver(test::sample_notice()).ok);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const std::string header = requests[0].header("x-perftrack-signature");
    ASSERT_EQ(header.rfind("sha256=", 0), 0u);
    EXPECT_EQ(header.size(), 7u + 64u);
    EXPECT_EQ(header, receiver_signature(secret, requests[0].body));
    // A receiver with another secret, or a tampered body, does not verify.
    EXPECT_NE(header, receiver_signature("wrong", requests[0].body));
    EXPECT_NE(header, receiver_signature(secret, requests[0].body + " "));
}

}  // namespace
}  // namespace perftrack::alerts
