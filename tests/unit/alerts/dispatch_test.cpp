#include "alerts/dispatch.hpp"

#include <gtest/gtest.h>

#include "alerts/github_sink.hpp"
#include "alerts/slack_sink.hpp"
#include "alerts/webhook_sink.hpp"
#include "tests/unit/alerts/fake_github.hpp"
#include "tests/unit/alerts/fast_http.hpp"
#include "tests/unit/alerts/memory_alert_store.hpp"
#include "tests/unit/alerts/sample_notice.hpp"

namespace perftrack::alerts {
namespace {

struct Channels {
    testing::RecordingServer slack;
    testing::RecordingServer webhook;
    test::FakeGitHub github{"tok"};
    HttpClient client{test::fast_http(2), {"tok"}};
    std::vector<std::unique_ptr<AlertSink>> sinks;

    Channels() {
        sinks.push_back(std::make_unique<SlackSink>(client, slack.url("/slack")));
        sinks.push_back(std::make_unique<WebhookSink>(client, webhook.url("/hook"), "sec"));
        GitHubTarget t{github.api_url(), "octo/demo", "tok", "42", ""};
        sinks.push_back(std::make_unique<GitHubSink>(client, t));
    }
};

CheckNotice notice_for(const CheckScope& scope, std::vector<NoticeVerdict> verdicts) {
    CheckNotice n = test::sample_notice();
    n.project = scope.project;
    n.testbed = scope.testbed;
    n.branch = scope.branch;
    n.commit = scope.commit;
    n.verdicts = std::move(verdicts);
    return n;
}

// Runs the lifecycle and delivery of one check, as `check` does.
std::vector<ChannelReport> check(test::MemoryAlertStore& store, Channels& ch, std::string commit,
                                 std::vector<NoticeVerdict> verdicts) {
    const CheckScope scope{"demo", "ci-x86", "main", std::move(commit)};
    const auto changes = apply_check(store, scope, verdicts);
    return dispatch(ch.sinks, store, scope, changes, notice_for(scope, std::move(verdicts)));
}

TEST(Dispatch, ARegressionIsAnnouncedOnceAcrossRepeatedChecks) {
    test::MemoryAlertStore store;
    Channels ch;
    const auto regressed = test::verdict("BM_Sort", "real_time", "regression", 20.0);
    for (const std::string commit : {"aaaa01", "aaaa02", "aaaa03"}) {
        const auto reports = check(store, ch, commit, {regressed});
        ASSERT_EQ(reports.size(), 3u);
        for (const auto& r : reports) EXPECT_TRUE(r.result.ok) << r.result.error;
    }
    EXPECT_EQ(ch.slack.request_count(), 1u);
    EXPECT_EQ(ch.webhook.request_count(), 1u);
    // GitHub shows every check's state: three statuses, still one PR comment.
    EXPECT_EQ(ch.github.statuses("aaaa03").size(), 1u);
    EXPECT_EQ(ch.github.comments("42").size(), 1u);
    const auto alerts = store.list_alerts({});
    ASSERT_EQ(alerts.size(), 1u);
    ASSERT_EQ(alerts[0].deliveries.size(), 3u);
    for (const auto& d : alerts[0].deliveries) EXPECT_TRUE(d.delivered) << d.channel;
}

TEST(Dispatch, ASecondRegressionIsAnnouncedWithTheCountOfNewOnes) {
    test::MemoryAlertStore store;
    Channels ch;
    const auto a = test::verdict("BM_A", "real_time", "regression", 20.0);
    const auto b = test::verdict("BM_B", "real_time", "regression", 30.0);
    check(store, ch, "aaaa01", {a});
    check(store, ch, "aaaa02", {a, b});
    const auto requests = ch.slack.requests();
    ASSERT_EQ(requests.size(), 2u);
    const auto head = nlohmann::json::parse(requests[1].body)["blocks"][0]["text"]["text"];
    EXPECT_NE(head.get<std::string>().find("*2 regressions (1 new)*"), std::string::npos) << head;
}

TEST(Dispatch, NothingIsAnnouncedWhenNothingRegressed) {
    test::MemoryAlertStore store;
    Channels ch;
    const auto reports =
        check(store, ch, "aaaa01", {test::verdict("BM_A", "real_time", "unchanged", 0.5)});
    EXPECT_EQ(ch.slack.request_count(), 0u);
    EXPECT_EQ(ch.webhook.request_count(), 0u);
    EXPECT_FALSE(reports[0].sent);
    EXPECT_EQ(reports[0].result.detail, "nothing new to announce");
    // GitHub still gets its green status and the comment.
    ASSERT_EQ(ch.github.statuses("aaaa01").size(), 1u);
    EXPECT_EQ(ch.github.statuses("aaaa01")[0]["state"], "success");
}

TEST(Dispatch, AFailedDeliveryIsRecordedAndRetriedByTheNextCheck) {
    test::MemoryAlertStore store;
    Channels ch;
    ch.slack.enqueue({500, "down"});
    ch.slack.enqueue({500, "down"});  // both attempts of the first check fail
    const auto regressed = test::verdict("BM_Sort", "real_time", "regression", 20.0);
    const auto first = check(store, ch, "aaaa01", {regressed});
    EXPECT_FALSE(first[0].result.ok);
    EXPECT_EQ(first[0].result.error, "Slack webhook: HTTP 500 (2 attempts)");
    EXPECT_TRUE(first[1].result.ok);  // other channels are unaffected
    auto alerts = store.list_alerts(test::pending_on("slack"));
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].deliveries[0].last_error, "Slack webhook: HTTP 500 (2 attempts)");

    // Next check: no new alert, but the pending Slack announcement goes out; the webhook,
    // which got it the first time, stays quiet.
    const auto second = check(store, ch, "aaaa02", {regressed});
    EXPECT_TRUE(second[0].sent);
    EXPECT_TRUE(second[0].result.ok);
    EXPECT_EQ(second[0].announced, 1u);
    EXPECT_FALSE(second[1].sent);
    EXPECT_EQ(ch.slack.request_count(), 3u);
    EXPECT_EQ(ch.webhook.request_count(), 1u);
    EXPECT_TRUE(store.list_alerts(test::pending_on("slack")).empty());
    alerts = store.list_alerts({});
    EXPECT_EQ(alerts[0].deliveries[0].attempts, 3);  // 2 failed + 1 delivered

    // And a third check announces nothing more.
    check(store, ch, "aaaa03", {regressed});
    EXPECT_EQ(ch.slack.request_count(), 3u);
}

}  // namespace
}  // namespace perftrack::alerts
