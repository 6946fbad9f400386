#include "alerts/slack_sink.hpp"

#include <gtest/gtest.h>

#include "tests/support/http_recorder.hpp"
#include "tests/unit/alerts/fast_http.hpp"
#include "tests/unit/alerts/sample_notice.hpp"

namespace perftrack::alerts {
namespace {

TEST(SlackPayload, HasTextAndBlocksWithSummaryTopRegressionsAndReportLink) {
    const auto payload = slack_payload(test::sample_notice());
    ASSERT_TRUE(payload["text"].is_string());
    const std::string text = payload["text"];
    EXPECT_NE(text.find("perftrack: 2 regressions in demo on feature/faster (PR #42) at "
                        "0123456789ab, testbed ci-x86"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("https://ci.example/runs/7"), std::string::npos);

    const auto& blocks = payload["blocks"];
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[0]["type"], "section");
    EXPECT_EQ(blocks[0]["text"]["type"], "mrkdwn");
    EXPECT_EQ(blocks[0]["text"]["text"],
              "*perftrack*: *2 regressions* in `demo` on `feature/faster` (PR #42) at "
              "`0123456789ab`, testbed `ci-x86` — 2 regressions, 1 improvement, 1 unchanged");
    // Largest change first, with the change and its interval; untrusted names escaped.
    EXPECT_EQ(blocks[1]["text"]["text"],
              "• `parse&lt;json&gt; &amp; \"friends\"` (mode=fast, size=64) · cpu_time: *+25.0%* "
              "(95 % CI [+23.5%, +26.5%])\n"
              "• `BM_Sort/1024` · real_time: *+12.3%* (95 % CI [+10.8%, +13.8%])");
    EXPECT_EQ(blocks[2]["type"], "context");
    EXPECT_EQ(blocks[2]["elements"][0]["text"], "<https://ci.example/runs/7|Open the report>");
}

TEST(SlackPayload, ListsTheTopRegressionsAndCountsTheRest) {
    auto notice = test::sample_notice();
    notice.verdicts.clear();
    for (int i = 1; i <= 8; ++i)
        notice.verdicts.push_back(
            test::verdict("BM_" + std::to_string(i), "real_time", "regression", 10.0 * i));
    const auto payload = slack_payload(notice, 3);
    const std::string list = payload["blocks"][1]["text"]["text"];
    EXPECT_EQ(list.rfind("• `BM_8`", 0), 0u) << list;
    EXPECT_NE(list.find("• `BM_6`"), std::string::npos);
    EXPECT_EQ(list.find("• `BM_5`"), std::string::npos);
    EXPECT_NE(list.find("… and 5 more"), std::string::npos);
}

TEST(SlackPayload, SaysHowManyAreNewWhenSomeWereAnnouncedBefore) {
    auto notice = test::sample_notice();
    notice.new_alerts = 1;
    const std::string head = slack_payload(notice)["blocks"][0]["text"]["text"];
    EXPECT_NE(head.find("*2 regressions (1 new)*"), std::string::npos) << head;
}

TEST(SlackPayload, WithoutReportLinkThereIsNoContextBlock) {
    auto notice = test::sample_notice();
    notice.report_url.clear();
    const auto payload = slack_payload(notice);
    EXPECT_EQ(payload["blocks"].size(), 2u);
}

TEST(SlackSink, PostsThePayloadAsJson) {
    testing::RecordingServer server;
    HttpClient client(test::fast_http(), {});
    SlackSink sink(client, server.url("/services/T1/B2/c3"));
    const auto notice = test::sample_notice();
    const auto result = sink.deliver(notice);
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.channel, "slack");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, "/services/T1/B2/c3");
    EXPECT_EQ(requests[0].header("content-type"), "application/json");
    EXPECT_EQ(nlohmann::json::parse(requests[0].body), slack_payload(notice));
}

TEST(SlackSink, AFailureIsAResultWithoutTheWebhookUrl) {
    testing::RecordingServer server;
    server.set_handler([](const auto&) { return testing::ScriptedResponse{500, "oops"}; });
    const std::string url = server.url("/services/T1/B2/s3cr3tpart");
    HttpClient client(test::fast_http(2), {url});
    SlackSink sink(client, url);
    const auto result = sink.deliver(test::sample_notice());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.attempts, 2);
    EXPECT_EQ(result.error, "Slack webhook: HTTP 500 (2 attempts)");
}

}  // namespace
}  // namespace perftrack::alerts
