// Alerts end to end: ingest + check through the built binary against the real PostgreSQL, with
// every channel pointed at local HTTP servers on 127.0.0.1 (Slack-compatible webhook, signed
// generic webhook, a fake GitHub API). A regression is announced once across repeated checks,
// delivery failures never change the verdict, PR comments stay one, and no token or webhook URL
// ever appears in the output.
#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "alerts/signature.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/http_recorder.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"
#include "tests/unit/alerts/fake_github.hpp"

namespace perftrack::testing {
namespace {

using nlohmann::json;

constexpr std::size_t k_history = 30;  // commits before the step
constexpr std::size_t k_step = 30;     // BM_Sort is 10 % slower from this commit on
constexpr const char* k_token = "ghs_e2eT0kenNeverPrinted";
constexpr const char* k_webhook_secret = "whsec_e2eSigningSecret";

std::string sha(std::size_t i) {
    return fmt::format("c{:04d}", i);
}  // hex: a valid sha
std::string when(std::size_t i) {
    return fmt::format("2024-03-{:02d}T{:02d}:00:00Z", 1 + i / 24, i % 24);
}
double wobble(std::size_t i, std::size_t k) {
    return std::sin(static_cast<double>(i * 7919 + k * 104729) * 0.7071);
}

json commit_doc(std::size_t i, const std::string& branch, const std::string& commit,
                double factor) {
    std::vector<double> slow, steady;
    for (std::size_t k = 0; k < 5; ++k) {
        slow.push_back(1000.0 * factor * (1.0 + 0.006 * wobble(i, k)));
        steady.push_back(500.0 * (1.0 + 0.006 * wobble(i + 11, k)));
    }
    return {{"version", 1},
            {"context",
             {{"project", "demo"},
              {"testbed", "ci"},
              {"branch", branch},
              {"commit", commit},
              {"commit_time", when(i)}}},
            {"results",
             {{{"benchmark", "BM_Sort"},
               {"params", {{"n", 1024}}},
               {"metric", "real_time"},
               {"unit", "ns"},
               {"direction", "lower"},
               {"samples", slow}},
              {{"benchmark", "BM_Parse"},
               {"metric", "real_time"},
               {"unit", "ns"},
               {"direction", "lower"},
               {"samples", steady}}}}};
}

class CheckAlerts : public ::testing::Test {
  protected:
    TestSchema schema;
    TempDir dir;
    RecordingServer slack;
    RecordingServer hook;
    alerts::test::FakeGitHub github{k_token};
    std::vector<ProcessResult> outputs;  // every run, for the redaction check

    std::string slack_url() { return slack.url("/services/T0E2E/B0E2E/SlackSecretPart"); }
    std::string hook_url() { return hook.url("/hooks/HookSecretPart"); }

    ProcessOptions options() {
        ProcessOptions o;
        o.cwd = dir.path();
        o.env["PERFTRACK_HOME"] = (dir / "home").string();
        o.env["NO_COLOR"] = "1";
        o.env["PERFTRACK_SLACK_WEBHOOK_URL"] = slack_url();
        o.env["PERFTRACK_WEBHOOK_URL"] = hook_url();
        o.env["PERFTRACK_WEBHOOK_SECRET"] = k_webhook_secret;
        o.env["GITHUB_ACTIONS"] = "true";
        o.env["GITHUB_TOKEN"] = k_token;
        o.env["GITHUB_REPOSITORY"] = "octo/demo";
        o.env["GITHUB_API_URL"] = github.api_url();
        o.env["GITHUB_REF"] = "refs/heads/main";
        o.env["GITHUB_SERVER_URL"] = "https://github.example";
        o.env["GITHUB_RUN_ID"] = "4242";
        o.env["GITHUB_STEP_SUMMARY"] = (dir / "summary.md").string();
        o.env["PERFTRACK_HTTP_ATTEMPTS"] = "2";
        o.env["PERFTRACK_HTTP_BACKOFF"] = "10ms";
        o.env["PERFTRACK_HTTP_TIMEOUT"] = "2s";
        // Nothing of the developer's environment leaks in.
        o.unset_env = {"GITHUB_EVENT_PATH", "GITHUB_HEAD_REF",      "GITHUB_BASE_REF",
                       "GITHUB_SHA",        "PERFTRACK_REPORT_URL", "GITLAB_CI"};
        return o;
    }
    ProcessResult perftrack(std::vector<std::string> args, ProcessOptions o) {
        args.insert(args.end(), {"--db", schema.dsn()});
        auto r = run_perftrack(args, o);
        outputs.push_back(r);
        return r;
    }
    ProcessResult perftrack(std::vector<std::string> args) {
        return perftrack(std::move(args), options());
    }
    void ingest(std::size_t i, const std::string& branch, const std::string& commit,
                double factor) {
        const auto file =
            dir.write(fmt::format("{}.json", commit), commit_doc(i, branch, commit, factor).dump());
        auto r = perftrack({"ingest", "--format", "perftrack", file.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    void ingest_main(std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) ingest(i, "main", sha(i), i >= k_step ? 1.10 : 1.0);
    }
    ProcessResult check(const std::string& branch, const std::string& commit,
                        std::vector<std::string> extra = {}, ProcessOptions o = {}) {
        std::vector<std::string> args{"check", "--project", "demo", "--testbed", "ci", "--branch",
                                      branch,  "--commit",  commit, "--verbose"};
        args.insert(args.end(), extra.begin(), extra.end());
        return perftrack(args, o.env.empty() ? options() : o);
    }
    json alerts() {
        auto r = perftrack({"alerts", "list", "--format", "json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return json::parse(r.out)["alerts"];
    }
    void expect_no_secret_in_outputs() {
        const std::vector<std::string> secrets{k_token,           k_webhook_secret,
                                               "SlackSecretPart", "HookSecretPart",
                                               slack_url(),       hook_url()};
        for (const auto& r : outputs)
            for (const auto& s : secrets) {
                EXPECT_EQ(r.out.find(s), std::string::npos) << "stdout leaks " << s << ":\n"
                                                            << r.out;
                EXPECT_EQ(r.err.find(s), std::string::npos) << "stderr leaks " << s << ":\n"
                                                            << r.err;
            }
    }
};

TEST_F(CheckAlerts, ARegressionOnMainIsAnnouncedOnceAcrossRepeatedChecks) {
    ingest_main(0, k_history);
    int regressions = 0;
    std::string flagged_at;
    for (std::size_t i = k_history; i < k_history + 8; ++i) {
        ingest_main(i, i + 1);
        auto r = check("main", sha(i));
        ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
        if (r.exit_code == 1) {
            ++regressions;
            if (flagged_at.empty()) flagged_at = sha(i);
            EXPECT_NE(r.err.find("alerts: 1 "), std::string::npos) << r.err;
        }
        // A CI re-run of the same commit's check.
        auto again = check("main", sha(i));
        EXPECT_EQ(again.exit_code, r.exit_code) << again.err;
    }
    ASSERT_FALSE(flagged_at.empty()) << "the 10 % step was never flagged";
    EXPECT_GE(regressions, 1);

    // One announcement per channel, however many checks saw the regression.
    ASSERT_EQ(slack.request_count(), 1u);
    const auto message = json::parse(slack.requests()[0].body);
    EXPECT_TRUE(message["text"].is_string());
    const std::string listing = message["blocks"][1]["text"]["text"];
    EXPECT_NE(listing.find("`BM_Sort` (n=1024) · real_time: *+"), std::string::npos) << listing;
    EXPECT_NE(listing.find("since `c0030`"), std::string::npos) << listing;
    ASSERT_EQ(message["blocks"].size(), 3u) << message.dump(2);
    EXPECT_NE(message["blocks"][2]["elements"][0]["text"].get<std::string>().find(
                  "https://github.example/octo/demo/actions/runs/4242"),
              std::string::npos)
        << message.dump(2);
    ASSERT_EQ(hook.request_count(), 1u);
    const auto posted = hook.requests().at(0);
    EXPECT_EQ(posted.header("x-perftrack-signature"),
              alerts::signature_header_value(k_webhook_secret, posted.body));
    const auto verdict = json::parse(posted.body);
    ASSERT_TRUE(verdict["results"].is_array());
    bool sort_regressed = false;
    for (const auto& v : verdict["results"])
        sort_regressed |= v["benchmark"] == "BM_Sort" && v["status"] == "regression";
    EXPECT_TRUE(sort_regressed) << posted.body;
    EXPECT_TRUE(verdict["summary"].is_object());

    // GitHub shows every check: a status on each checked commit, failure where it regressed.
    const auto statuses = github.statuses(flagged_at);
    ASSERT_EQ(statuses.size(), 2u);
    EXPECT_EQ(statuses[0]["state"], "failure");
    EXPECT_EQ(statuses[0]["context"], "perftrack/ci");
    EXPECT_EQ(github.statuses(sha(k_history + 7)).at(0)["state"], "success");

    // The store: one alert, located at the step's first commit, delivered everywhere.
    const auto list = alerts();
    ASSERT_EQ(list.size(), 1u) << list.dump(2);
    const auto& a = list[0];
    EXPECT_EQ(a["benchmark"], "BM_Sort");
    EXPECT_EQ(a["status"], "open");
    EXPECT_EQ(a["commit"], sha(k_step));
    EXPECT_NEAR(a["change"].get<double>(), 10.0, 2.0);
    EXPECT_NEAR(a["baseline"].get<double>(), 1000.0, 20.0);
    for (const auto& d : a["deliveries"]) EXPECT_EQ(d["state"], "delivered") << d.dump();

    // The job summary got each check's Markdown.
    const auto summary = read_file(dir / "summary.md");
    EXPECT_EQ(summary.rfind("### ", 0), 0u) << summary;
    EXPECT_NE(summary.find("BM\\_Sort"), std::string::npos) << summary;
    expect_no_secret_in_outputs();
}

TEST_F(CheckAlerts, AFailingChannelNeverChangesTheVerdictAndIsRetriedNextCheck) {
    ingest_main(0, k_history);
    hook.set_handler([](const RecordedRequest&) { return ScriptedResponse(500, "down"); });
    std::string flagged_at;
    std::size_t i = k_history;
    for (; i < k_history + 8 && flagged_at.empty(); ++i) {
        ingest_main(i, i + 1);
        auto r = check("main", sha(i));
        if (r.exit_code != 1) continue;
        flagged_at = sha(i);
        EXPECT_NE(r.err.find("perftrack: warning: alert delivery failed: webhook: HTTP 500 (2 "
                             "attempts); recorded, the next check sends it again"),
                  std::string::npos)
            << r.err;
    }
    ASSERT_FALSE(flagged_at.empty());
    EXPECT_EQ(hook.request_count(), 2u);
    EXPECT_EQ(slack.request_count(), 1u);  // the other channels were unaffected
    EXPECT_EQ(alerts()[0]["deliveries"][2]["state"], "pending");  // sorted: github, slack, webhook

    // The receiver is back; the next check (no new regression) delivers the pending one.
    hook.set_handler([](const RecordedRequest&) { return ScriptedResponse(200, "ok"); });
    ingest_main(i, i + 1);
    auto next = check("main", sha(i));
    EXPECT_EQ(next.err.find("warning"), std::string::npos) << next.err;
    EXPECT_EQ(hook.request_count(), 3u);
    EXPECT_EQ(slack.request_count(), 1u);
    EXPECT_EQ(alerts()[0]["deliveries"][2]["state"], "delivered");

    // With every channel unreachable the exit code is still the verdict's.
    auto o = options();
    o.env["PERFTRACK_SLACK_WEBHOOK_URL"] =
        fmt::format("http://127.0.0.1:{}/services/T0E2E/B0E2E/SlackSecretPart", closed_port());
    o.env["GITHUB_API_URL"] = fmt::format("http://127.0.0.1:{}/api/v3", closed_port());
    auto rerun = check("main", flagged_at, {}, o);
    EXPECT_EQ(rerun.exit_code, 1) << rerun.err;
    EXPECT_NE(rerun.err.find("alert delivery failed: GitHub commit status"), std::string::npos)
        << rerun.err;
    expect_no_secret_in_outputs();
}

TEST_F(CheckAlerts, APullRequestKeepsOneStickyCommentAcrossThreePushes) {
    ingest_main(0, k_history);
    auto o = options();
    o.env["GITHUB_REF"] = "refs/pull/7/merge";
    for (int push = 1; push <= 3; ++push) {
        const std::string commit = fmt::format("aa{:02d}", push);
        ingest(k_history + static_cast<std::size_t>(push), "feature", commit, 1.15);
        auto r = check("feature", commit, {"--base-commit", sha(k_history - 1)}, o);
        EXPECT_EQ(r.exit_code, 1) << r.err;
        ASSERT_EQ(github.statuses(commit).size(), 1u);
        EXPECT_EQ(github.statuses(commit)[0]["state"], "failure");
    }
    const auto comments = github.comments("7");
    ASSERT_EQ(comments.size(), 1u);
    EXPECT_NE(comments[0].body.find("<!-- perftrack:sticky-comment project=demo testbed=ci -->"),
              std::string::npos);
    // The check's Markdown (names escaped: BM\_Sort).
    EXPECT_NE(comments[0].body.find("Sort"), std::string::npos) << comments[0].body;
    // The PR's regression is announced once too.
    EXPECT_EQ(slack.request_count(), 1u);
    expect_no_secret_in_outputs();
}

TEST_F(CheckAlerts, ABaselineResetClosesTheAlertItSupersedes) {
    ingest_main(0, k_history + 4);
    for (std::size_t i = k_history; i < k_history + 4; ++i) check("main", sha(i));
    ASSERT_EQ(alerts().size(), 1u);
    auto reset = perftrack({"baseline", "reset", "--project", "demo", "--benchmark", "BM_S*",
                            "--commit", sha(k_step), "--reason", "new sort is worth it"});
    ASSERT_EQ(reset.exit_code, 0) << reset.err;
    EXPECT_NE(reset.out.find("closed 1 alert it supersedes: #"), std::string::npos) << reset.out;
    const auto list = alerts();
    EXPECT_EQ(list[0]["status"], "resolved");
    EXPECT_EQ(list[0]["resolution"], "baseline_reset");
}

TEST_F(CheckAlerts, BadChannelSettingsAreUsageErrorsBeforeAnyWork) {
    ingest_main(0, 3);
    auto o = options();
    o.env["PERFTRACK_SLACK_WEBHOOK_URL"] = "hooks.slack.com/services/T0E2E/B0E2E/SlackSecretPart";
    auto r = check("main", sha(2), {}, o);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("PERFTRACK_SLACK_WEBHOOK_URL is not an http:// or https:// URL"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out, "");
    o = options();
    o.env["GITHUB_API_URL"] = "http://ghe.example/api/v3";
    r = check("main", sha(2), {"--github"}, o);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("GITHUB_API_URL must use https://"), std::string::npos) << r.err;
    expect_no_secret_in_outputs();
}

}  // namespace
}  // namespace perftrack::testing
