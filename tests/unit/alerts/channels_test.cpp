#include "alerts/channels.hpp"

#include <map>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::alerts {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}

TEST(Channels, NothingConfiguredMeansNoChannel) {
    const auto s = resolve_channels({}, env_of({}));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_FALSE(s->any());
    EXPECT_TRUE(s->secrets().empty());
}

TEST(Channels, WebhooksFromTheEnvironmentWithTheSecret) {
    const auto s = resolve_channels(
        {}, env_of({{"PERFTRACK_WEBHOOK_URL", "https://hooks.example/perf"},
                    {"PERFTRACK_WEBHOOK_SECRET", "whsec"},
                    {"PERFTRACK_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/x"}}));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->webhook_url, "https://hooks.example/perf");
    EXPECT_EQ(s->webhook_secret, "whsec");
    EXPECT_EQ(s->slack_webhook_url, "https://hooks.slack.com/services/T/B/x");
    EXPECT_FALSE(s->github);
    const auto secrets = s->secrets();
    EXPECT_EQ(secrets.size(), 3u);
    // Longest first, so a URL is scrubbed whole.
    EXPECT_EQ(secrets.front(), "https://hooks.slack.com/services/T/B/x");
}

TEST(Channels, FlagsWinOverTheEnvironment) {
    ChannelFlags flags;
    flags.webhook_url = "http://10.0.0.5/hook";
    flags.slack_webhook_url = "https://chat.example/hooks/abc";
    const auto s =
        resolve_channels(flags, env_of({{"PERFTRACK_WEBHOOK_URL", "https://other/"},
                                        {"PERFTRACK_SLACK_WEBHOOK_URL", "https://other-slack/"}}));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->webhook_url, "http://10.0.0.5/hook");
    EXPECT_EQ(s->slack_webhook_url, "https://chat.example/hooks/abc");
}

TEST(Channels, NoNotifyTurnsEveryChannelOff) {
    ChannelFlags flags;
    flags.no_notify = true;
    flags.github = true;
    const auto s = resolve_channels(flags, env_of({{"PERFTRACK_WEBHOOK_URL", "https://x/"},
                                                   {"GITHUB_ACTIONS", "true"},
                                                   {"GITHUB_TOKEN", "t"}}));
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->any());
}

TEST(Channels, ABadUrlIsAUsageErrorThatDoesNotQuoteIt) {
    const auto s = resolve_channels(
        {}, env_of({{"PERFTRACK_SLACK_WEBHOOK_URL", "hooks.slack.com/services/SECRETPART"}}));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, core::ErrorKind::usage);
    EXPECT_EQ(s.error().message, "PERFTRACK_SLACK_WEBHOOK_URL is not an http:// or https:// URL");
    EXPECT_EQ(s.error().message.find("SECRETPART"), std::string::npos);
}

TEST(Channels, GitHubTurnsOnInActionsWithAToken) {
    const auto s = resolve_channels({}, env_of({{"GITHUB_ACTIONS", "true"},
                                                {"GITHUB_TOKEN", "ghs_abc"},
                                                {"GITHUB_REPOSITORY", "octo/demo"},
                                                {"GITHUB_REF", "refs/pull/17/merge"}}));
    ASSERT_TRUE(s) << s.error().message;
    ASSERT_TRUE(s->github);
    EXPECT_EQ(s->github->api_url, "https://api.github.com");
    EXPECT_EQ(s->github->repository, "octo/demo");
    EXPECT_EQ(s->github->token, "ghs_abc");
    EXPECT_EQ(s->github->pull_request, "17");
    EXPECT_EQ(s->secrets(), std::vector<std::string>{"ghs_abc"});
}

TEST(Channels, GitHubStaysOffInActionsWithoutAToken) {
    const auto s = resolve_channels(
        {}, env_of({{"GITHUB_ACTIONS", "true"}, {"GITHUB_REPOSITORY", "octo/demo"}}));
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->github);
}

TEST(Channels, ExplicitGitHubWithoutTokenOrRepositoryIsAUsageError) {
    ChannelFlags flags;
    flags.github = true;
    auto s = resolve_channels(flags, env_of({{"GITHUB_REPOSITORY", "octo/demo"}}));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message, "--github needs GITHUB_TOKEN in the environment");
    s = resolve_channels(flags, env_of({{"GITHUB_TOKEN", "t"}}));
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("GITHUB_REPOSITORY"), std::string::npos);
    s = resolve_channels(flags, env_of({{"GITHUB_TOKEN", "t"}, {"GITHUB_REPOSITORY", "../x"}}));
    ASSERT_FALSE(s);
}

TEST(Channels, TheTokenNeverTravelsOverPlainHttpToAnotherMachine) {
    ChannelFlags flags;
    flags.github = true;
    const auto base = std::map<std::string, std::string>{{"GITHUB_TOKEN", "t"},
                                                         {"GITHUB_REPOSITORY", "octo/demo"}};
    auto vars = base;
    vars["GITHUB_API_URL"] = "http://ghe.example/api/v3";
    auto s = resolve_channels(flags, env_of(vars));
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("https"), std::string::npos);
    vars["GITHUB_API_URL"] = "http://127.0.0.1:8080/api/v3/";
    s = resolve_channels(flags, env_of(vars));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->github->api_url, "http://127.0.0.1:8080/api/v3");  // trailing '/' dropped
    vars["GITHUB_API_URL"] = "https://ghe.example/api/v3";
    EXPECT_TRUE(resolve_channels(flags, env_of(vars)));
}

TEST(Channels, PullRequestAndHeadShaFromTheEventPayload) {
    testing::TempDir dir;
    const auto event = dir.write(
        "event.json",
        R"({"action":"synchronize","number":5,"pull_request":{"number":5,"head":{"sha":"abc123"}}})");
    ChannelFlags flags;
    flags.github = true;
    const auto s = resolve_channels(flags, env_of({{"GITHUB_TOKEN", "t"},
                                                   {"GITHUB_REPOSITORY", "octo/demo"},
                                                   {"GITHUB_REF", "refs/heads/main"},
                                                   {"GITHUB_EVENT_PATH", event.string()}}));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->github->pull_request, "5");
    EXPECT_EQ(s->github->status_sha, "abc123");
}

TEST(Channels, AnUnreadableEventPayloadIsANoteNotAFailure) {
    ChannelFlags flags;
    flags.github = true;
    const auto s =
        resolve_channels(flags, env_of({{"GITHUB_TOKEN", "t"},
                                        {"GITHUB_REPOSITORY", "octo/demo"},
                                        {"GITHUB_EVENT_PATH", "/nonexistent/event.json"}}));
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->github->pull_request);
    ASSERT_FALSE(s->notes.empty());
}

TEST(Channels, EventInfoFromIssueCommentEvents) {
    const auto info = github_event_info(
        nlohmann::json::parse(R"({"issue":{"number":9,"pull_request":{"url":"..."}}})"));
    EXPECT_EQ(info.pull_request, "9");
    EXPECT_FALSE(info.head_sha);
    EXPECT_FALSE(
        github_event_info(nlohmann::json::parse(R"({"issue":{"number":9}})")).pull_request);
}

TEST(Channels, ReportUrlFromFlagEnvironmentOrTheCiJob) {
    ChannelFlags flags;
    flags.ci_job_url = "https://github.com/octo/demo/actions/runs/1";
    auto s = resolve_channels(flags, env_of({}));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->report_url, "https://github.com/octo/demo/actions/runs/1");
    s = resolve_channels(flags, env_of({{"PERFTRACK_REPORT_URL", "https://perf.example/r/1"}}));
    EXPECT_EQ(s->report_url, "https://perf.example/r/1");
    flags.report_url = "ftp://nope";
    EXPECT_FALSE(resolve_channels(flags, env_of({})));
}

TEST(Channels, HttpSettingsFromTheEnvironment) {
    const auto s = resolve_channels({}, env_of({{"PERFTRACK_HTTP_CONNECT_TIMEOUT", "250ms"},
                                                {"PERFTRACK_HTTP_TIMEOUT", "2s"},
                                                {"PERFTRACK_HTTP_ATTEMPTS", "6"},
                                                {"PERFTRACK_HTTP_BACKOFF", "10ms"},
                                                {"PERFTRACK_HTTP_MAX_RETRY_AFTER", "1.5s"},
                                                {"PERFTRACK_HTTP_DEADLINE", "1m"}}));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->http.connect_timeout.count(), 250);
    EXPECT_EQ(s->http.total_timeout.count(), 2000);
    EXPECT_EQ(s->http.retry.max_attempts, 6);
    EXPECT_EQ(s->http.retry.initial_backoff.count(), 10);
    EXPECT_EQ(s->http.retry.max_backoff.count(), 160);
    EXPECT_EQ(s->http.retry.max_retry_after.count(), 1500);
    EXPECT_EQ(s->http.retry.deadline.count(), 60000);
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"PERFTRACK_HTTP_TIMEOUT", "soon"},
                                                          {"PERFTRACK_HTTP_TIMEOUT", "0"},
                                                          {"PERFTRACK_HTTP_DEADLINE", "2h"},
                                                          {"PERFTRACK_HTTP_ATTEMPTS", "0"}}) {
        const auto bad = resolve_channels({}, env_of({{name, value}}));
        ASSERT_FALSE(bad) << name << "=" << value;
        EXPECT_EQ(bad.error().kind, core::ErrorKind::usage);
    }
    EXPECT_FALSE(resolve_channels({}, env_of({{"PERFTRACK_HTTP_ATTEMPTS", "21"}})));
}

TEST(Channels, ParseDuration) {
    EXPECT_EQ(parse_duration("250"), Milliseconds(250));
    EXPECT_EQ(parse_duration("250ms"), Milliseconds(250));
    EXPECT_EQ(parse_duration("1.5s"), Milliseconds(1500));
    EXPECT_EQ(parse_duration("2m"), Milliseconds(120000));
    EXPECT_FALSE(parse_duration(""));
    EXPECT_FALSE(parse_duration("-1s"));
    EXPECT_FALSE(parse_duration("5 s"));
    EXPECT_FALSE(parse_duration("5h"));
}

TEST(Channels, MakeSinksInAStableOrder) {
    const auto s = resolve_channels({}, env_of({{"PERFTRACK_WEBHOOK_URL", "https://a/"},
                                                {"PERFTRACK_SLACK_WEBHOOK_URL", "https://b/"},
                                                {"GITHUB_ACTIONS", "true"},
                                                {"GITHUB_TOKEN", "t"},
                                                {"GITHUB_REPOSITORY", "o/r"}}));
    ASSERT_TRUE(s);
    HttpClient client(s->http, s->secrets());
    const auto sinks = make_sinks(*s, client);
    ASSERT_EQ(sinks.size(), 3u);
    EXPECT_EQ(sinks[0]->channel(), "slack");
    EXPECT_EQ(sinks[1]->channel(), "webhook");
    EXPECT_EQ(sinks[2]->channel(), "github");
    EXPECT_TRUE(sinks[2]->reports_every_check());
    EXPECT_FALSE(sinks[0]->reports_every_check());
}

}  // namespace
}  // namespace perftrack::alerts
