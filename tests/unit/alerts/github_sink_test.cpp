#include "alerts/github_sink.hpp"

#include <gtest/gtest.h>

#include "tests/unit/alerts/fake_github.hpp"
#include "tests/unit/alerts/fast_http.hpp"
#include "tests/unit/alerts/sample_notice.hpp"

namespace perftrack::alerts {
namespace {

constexpr const char* k_token = "ghs_testtoken0123456789";

GitHubTarget target_for(test::FakeGitHub& gh, std::optional<std::string> pr = "42") {
    GitHubTarget t;
    t.api_url = gh.api_url();
    t.repository = "octo/demo";
    t.token = k_token;
    t.pull_request = std::move(pr);
    return t;
}

TEST(GitHubPayloads, StatusIsFailureOnRegressionWithDescriptionAndReportLink) {
    const auto notice = test::sample_notice();
    const auto status = status_payload(notice);
    EXPECT_EQ(status["state"], "failure");
    EXPECT_EQ(status["description"], "2 regressions, 1 improvement, 1 unchanged");
    EXPECT_EQ(status["target_url"], "https://ci.example/runs/7");
    EXPECT_EQ(status["context"], "perftrack/ci-x86");
}

TEST(GitHubPayloads, StatusIsSuccessWithoutRegressionAndStaysWithin140Characters) {
    auto notice = test::sample_notice();
    notice.report_url.clear();
    notice.verdicts = {test::verdict("a", "m", "unchanged", 0.1)};
    const auto status = status_payload(notice);
    EXPECT_EQ(status["state"], "success");
    EXPECT_EQ(status["description"], "No regressions: 1 unchanged");
    EXPECT_FALSE(status.contains("target_url"));
    for (int i = 0; i < 2000; ++i) notice.verdicts.push_back(test::verdict("x", "m", "new", {}));
    EXPECT_LE(status_payload(notice)["description"].get<std::string>().size(), 140u);
}

TEST(GitHubPayloads, CommentStartsWithTheHiddenMarkerAndEndsWithTheReportLink) {
    const auto notice = test::sample_notice();
    const std::string body = comment_body(notice);
    EXPECT_EQ(body.rfind("<!-- perftrack:sticky-comment project=demo testbed=ci_x86 -->\n", 0), 0u)
        << body;
    EXPECT_NE(body.find(notice.markdown), std::string::npos);
    EXPECT_NE(body.find("[Open the full report](https://ci.example/runs/7)"), std::string::npos);
}

TEST(GitHubPayloads, MarkerCannotBeClosedByAName) {
    auto notice = test::sample_notice();
    notice.testbed = "evil --> <b>";
    EXPECT_EQ(sticky_marker(notice),
              "<!-- perftrack:sticky-comment project=demo testbed=evil______b_ -->");
}

TEST(GitHubPayloads, OverlongMarkdownIsCutToGitHubsLimit) {
    auto notice = test::sample_notice();
    notice.markdown = std::string(70000, 'x');
    const std::string body = comment_body(notice);
    EXPECT_LE(body.size(), k_comment_body_limit);
    EXPECT_NE(body.find("cut to fit"), std::string::npos);
    EXPECT_NE(body.find("Open the full report"), std::string::npos);
}

TEST(GitHubPayloads, AHugeReportUrlCannotWrapTheRoomForTheVerdict) {
    auto notice = test::sample_notice();
    notice.report_url = "https://ci.example/" + std::string(2 * k_comment_body_limit, 'a');
    std::string body = comment_body(notice);
    EXPECT_LE(body.size(), k_comment_body_limit);
    EXPECT_NE(body.find(notice.markdown), std::string::npos);  // the verdict, whole
    EXPECT_EQ(body.find("Open the full report"), std::string::npos);
    // Just too long to leave room for the cut note; with overlong Markdown too.
    notice.report_url = "https://ci.example/" + std::string(k_comment_body_limit - 120, 'a');
    notice.markdown = std::string(70000, 'x');
    body = comment_body(notice);
    EXPECT_LE(body.size(), k_comment_body_limit);
    EXPECT_NE(body.find("cut to fit"), std::string::npos);
    // A link that fits beside the cut Markdown stays.
    notice.report_url = "https://ci.example/" + std::string(1000, 'a');
    body = comment_body(notice);
    EXPECT_LE(body.size(), k_comment_body_limit);
    EXPECT_NE(body.find("Open the full report"), std::string::npos);
}

TEST(GitHubPayloads, HugeNamesKeepTheMarkerBounded) {
    auto notice = test::sample_notice();
    notice.project = std::string(100000, 'p');
    notice.testbed = std::string(100000, 't');
    notice.markdown = std::string(70000, 'x');
    const std::string body = comment_body(notice);
    EXPECT_LE(body.size(), k_comment_body_limit);
    EXPECT_EQ(sticky_marker(notice).size(),
              std::string("<!-- perftrack:sticky-comment project= testbed= -->").size() +
                  2 * k_marker_name_limit);
}

TEST(GitHubPayloads, FallbackMarkdownEscapesHostileNames) {
    auto notice = test::sample_notice();
    notice.markdown.clear();
    notice.verdicts = {
        test::verdict("BM_`code`|pipe\n<img src=x onerror=alert(1)>*[link](http://evil)",
                      "time|`x`", "regression", 30.0),
        test::verdict("BM_plain", "real_time", "regression", 10.0)};
    const std::string fallback = fallback_markdown(notice);
    EXPECT_EQ(fallback,
              "**perftrack**: 2 regressions\n"
              "- BM\\_\\`code\\`\\|pipe &lt;img src=x onerror=alert(1)&gt;\\*\\[link\\]"
              "(http://evil) time\\|\\`x\\`: +30.0%\n"
              "- BM\\_plain real\\_time: +10.0%\n");
    const std::string body = comment_body(notice);
    EXPECT_NE(body.find(fallback), std::string::npos);
    EXPECT_EQ(body.find("<img"), std::string::npos);
    EXPECT_EQ(body.find("`code`"), std::string::npos);
}

TEST(GitHubSink, PostsTheStatusOnTheCheckedShaWithTheToken) {
    test::FakeGitHub gh(k_token);
    HttpClient client(test::fast_http(), {k_token});
    GitHubSink sink(client, target_for(gh, std::nullopt));
    const auto notice = test::sample_notice();
    const auto result = sink.deliver(notice);
    ASSERT_TRUE(result.ok) << result.error;
    const auto statuses = gh.statuses(notice.commit);
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_EQ(statuses[0], status_payload(notice));
    const auto requests = gh.server().requests();
    ASSERT_EQ(requests.size(), 1u);  // no PR: no comment traffic
    EXPECT_EQ(requests[0].header("accept"), "application/vnd.github+json");
    EXPECT_EQ(requests[0].header("x-github-api-version"), "2022-11-28");
}

TEST(GitHubSink, StatusGoesOnThePrHeadShaWhenTheEventNamesIt) {
    test::FakeGitHub gh(k_token);
    HttpClient client(test::fast_http(), {k_token});
    auto target = target_for(gh, std::nullopt);
    target.status_sha = "feedfacefeedfacefeedfacefeedfacefeedface";
    GitHubSink sink(client, target);
    ASSERT_TRUE(sink.deliver(test::sample_notice()).ok);
    EXPECT_EQ(gh.statuses(target.status_sha).size(), 1u);
}

TEST(GitHubSink, TheStickyCommentIsEditedNotDuplicatedAcrossThreePushes) {
    test::FakeGitHub gh(k_token);
    gh.add_comment("42", "LGTM, but is it fast?");
    HttpClient client(test::fast_http(), {k_token});
    GitHubSink sink(client, target_for(gh));
    for (int push = 1; push <= 3; ++push) {
        auto notice = test::sample_notice();
        notice.commit = std::string(39, '0') + std::to_string(push);
        notice.markdown = "push " + std::to_string(push) + "\n";
        const auto result = sink.deliver(notice);
        ASSERT_TRUE(result.ok) << result.error;
        EXPECT_NE(result.detail.find(push == 1 ? "commented on PR #42" : "edited comment"),
                  std::string::npos)
            << result.detail;
    }
    const auto comments = gh.comments("42");
    ASSERT_EQ(comments.size(), 2u);  // the human's and exactly one of perftrack's
    EXPECT_EQ(comments[0].body, "LGTM, but is it fast?");
    EXPECT_NE(comments[1].body.find("push 3"), std::string::npos);
    EXPECT_EQ(comments[1].body.find("push 1"), std::string::npos);
    std::size_t posts = 0, patches = 0;
    for (const auto& r : gh.server().requests()) {
        if (r.path.find("/comments") == std::string::npos) continue;
        posts += r.method == "POST";
        patches += r.method == "PATCH";
    }
    EXPECT_EQ(posts, 1u);
    EXPECT_EQ(patches, 2u);
}

TEST(GitHubSink, FindsTheStickyCommentOnALaterPage) {
    test::FakeGitHub gh(k_token);
    gh.set_page_size_limit(100);
    for (int i = 0; i < 150; ++i) gh.add_comment("42", "chatter " + std::to_string(i));
    HttpClient client(test::fast_http(), {k_token});
    GitHubSink sink(client, target_for(gh));
    ASSERT_TRUE(sink.deliver(test::sample_notice()).ok);
    ASSERT_TRUE(sink.deliver(test::sample_notice()).ok);
    EXPECT_EQ(gh.comments("42").size(), 151u);
}

TEST(GitHubSink, KeepsSeparateStickyCommentsPerTestbed) {
    test::FakeGitHub gh(k_token);
    HttpClient client(test::fast_http(), {k_token});
    GitHubSink sink(client, target_for(gh));
    auto a = test::sample_notice();
    auto b = test::sample_notice();
    b.testbed = "ci-arm";
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(sink.deliver(a).ok);
        ASSERT_TRUE(sink.deliver(b).ok);
    }
    EXPECT_EQ(gh.comments("42").size(), 2u);
}

TEST(GitHubSink, MissingPermissionsGetAHint) {
    test::FakeGitHub gh(k_token);
    gh.server().enqueue({403, R"({"message":"Resource not accessible by integration"})"});
    HttpClient client(test::fast_http(), {k_token});
    GitHubSink sink(client, target_for(gh, std::nullopt));
    const auto result = sink.deliver(test::sample_notice());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error,
              "GitHub commit status: HTTP 403 (1 attempt) (does the token have 'statuses: write' "
              "and 'pull-requests: write' on octo/demo?)");
}

TEST(GitHubSink, RefusesToPutANonShaIntoTheRequestPath) {
    test::FakeGitHub gh(k_token);
    HttpClient client(test::fast_http(), {k_token});
    GitHubSink sink(client, target_for(gh, std::nullopt));
    auto notice = test::sample_notice();
    notice.commit = "../../orgs/x";
    const auto result = sink.deliver(notice);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error, "GitHub commit status: '../../orgs/x' is not a commit sha");
    EXPECT_EQ(gh.server().request_count(), 0u);
}

TEST(GitHubSink, ABadTokenIsReportedWithoutTheToken) {
    test::FakeGitHub gh("the-right-token");
    HttpClient client(test::fast_http(), {k_token});
    GitHubSink sink(client, target_for(gh));
    const auto result = sink.deliver(test::sample_notice());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error,
              "GitHub commit status: HTTP 401 (1 attempt); GitHub PR comments: HTTP 401 (1 "
              "attempt)");
    EXPECT_EQ(result.error.find(k_token), std::string::npos);
}

}  // namespace
}  // namespace perftrack::alerts
