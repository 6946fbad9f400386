// The alert stage after a check: alerts recorded, updated and resolved, channels told once,
// and every failure (a channel, a lost database, an unwritable job summary) a warning.
#include "alerts/stage.hpp"

#include <gtest/gtest.h>

#include "tests/support/http_recorder.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/alerts/fast_http.hpp"
#include "tests/unit/alerts/memory_alert_store.hpp"
#include "tests/unit/alerts/sample_notice.hpp"

namespace perftrack::alerts {
namespace {

namespace ra = alerts;

AlertStageInput input_at(const std::string& commit, std::vector<ra::NoticeVerdict> verdicts) {
    AlertStageInput in;
    in.scope = {"demo", "ci-x86", "main", commit};
    in.notice = ra::test::sample_notice();
    in.notice.commit = commit;
    in.notice.pull_request.reset();
    in.notice.verdicts = std::move(verdicts);
    return in;
}

ra::NoticeVerdict regression() {
    return ra::test::verdict("BM_Sort", "real_time", "regression", 20);
}

// A store that has lost its database.
class BrokenStore final : public store::AlertStore {
  public:
    [[noreturn]] static void fail() {
        throw store::StoreError("database unavailable: gone", "08000", true);
    }
    store::AlertRecorded record_alert(const store::AlertObservation&) override { fail(); }
    std::vector<store::Alert> list_alerts(const store::AlertQuery&) override { fail(); }
    store::AlertUpdate acknowledge_alert(std::int64_t, const std::string&) override { fail(); }
    store::AlertUpdate resolve_alert(std::int64_t, store::AlertResolution,
                                     std::optional<std::int64_t>) override {
        fail();
    }
    void record_delivery(std::int64_t, const std::string&, bool, int, const std::string&) override {
        fail();
    }
};

TEST(AlertStage, OpensThenUpdatesAndAnnouncesOnce) {
    ra::test::MemoryAlertStore store;
    testing::RecordingServer slack;
    ra::ChannelSettings settings;
    settings.http = ra::test::fast_http();
    settings.slack_webhook_url = slack.url("/services/T/B/secretpath");

    auto first = run_alert_stage(store, settings, input_at("aaaa01", {regression()}));
    EXPECT_TRUE(first.warnings.empty());
    EXPECT_EQ(first.summary, "alerts: 1 opened (#1); see 'perftrack alerts list'");
    ASSERT_EQ(first.details.size(), 1u);
    EXPECT_EQ(first.details[0], "slack: posted the summary (1 request)");

    auto second = run_alert_stage(store, settings, input_at("aaaa02", {regression()}));
    EXPECT_EQ(second.summary, "alerts: 1 still open (#1); see 'perftrack alerts list'");
    EXPECT_TRUE(second.details.empty());
    EXPECT_EQ(slack.request_count(), 1u);

    auto back = ra::test::verdict("BM_Sort", "real_time", "improvement", -16);
    back.candidate_median = 100.5;
    auto third = run_alert_stage(store, settings, input_at("aaaa03", {back}));
    EXPECT_EQ(third.summary, "alerts: 1 resolved (#1); see 'perftrack alerts list'");
}

TEST(AlertStage, AFailedChannelIsAWarningWithoutTheUrl) {
    ra::test::MemoryAlertStore store;
    testing::RecordingServer hook;
    hook.set_handler([](const auto&) { return testing::ScriptedResponse(500, "no"); });
    ra::ChannelSettings settings;
    settings.http = ra::test::fast_http(2);
    settings.webhook_url = hook.url("/hooks/tok3n-in-path");
    settings.webhook_secret = "sig-secret";

    const auto report = run_alert_stage(store, settings, input_at("aaaa01", {regression()}));
    ASSERT_EQ(report.warnings.size(), 1u);
    EXPECT_EQ(report.warnings[0],
              "alert delivery failed: webhook: HTTP 500 (2 attempts); recorded, the next check "
              "sends it again");
    for (const auto& line : report.details) {
        EXPECT_EQ(line.find("tok3n"), std::string::npos) << line;
        EXPECT_EQ(line.find(std::to_string(hook.port())), std::string::npos) << line;
    }
    EXPECT_EQ(store.list_alerts(ra::test::pending_on("webhook")).size(), 1u);
}

TEST(AlertStage, ALostDatabaseIsAWarningNotAFailure) {
    BrokenStore store;
    ra::ChannelSettings settings;
    const auto report = run_alert_stage(store, settings, input_at("aaaa01", {regression()}));
    ASSERT_EQ(report.warnings.size(), 1u);
    EXPECT_EQ(report.warnings[0],
              "alerts were not recorded: database unavailable: gone; the verdict above stands");
}

TEST(AlertStage, NoChannelsStillRecordsAlerts) {
    ra::test::MemoryAlertStore store;
    const auto report = run_alert_stage(store, {}, input_at("aaaa01", {regression()}));
    EXPECT_TRUE(report.warnings.empty());
    EXPECT_TRUE(report.channels.empty());
    EXPECT_EQ(store.list_alerts({}).size(), 1u);
}

TEST(AlertStage, BaselineResetsCloseSupersededAlerts) {
    ra::test::MemoryAlertStore store;
    run_alert_stage(store, {}, input_at("aaaa01", {regression()}));
    store.now_us += 10;
    auto in = input_at("aaaa02", {});
    store::BaselineReset reset;
    reset.id = 3;
    reset.benchmark_glob = "BM_*";
    reset.created_at_us = store.now_us;
    in.resets.push_back(reset);
    const auto report = run_alert_stage(store, {}, in);
    EXPECT_EQ(report.summary, "alerts: 1 resolved (#1); see 'perftrack alerts list'");
    EXPECT_EQ(store.list_alerts({})[0].resolution, store::AlertResolution::baseline_reset);
}

TEST(AlertStage, StepsLocatedInTheHistoryAreAnnouncedWithTheirCommit) {
    ra::test::MemoryAlertStore store;
    store.commit_times["c0004"] = 4000;
    testing::RecordingServer slack;
    testing::RecordingServer hook;
    ra::ChannelSettings settings;
    settings.http = ra::test::fast_http();
    settings.slack_webhook_url = slack.url("/s");
    settings.webhook_url = hook.url("/h");
    // The check itself sees nothing (its baseline absorbed the step); the analysis locates it.
    auto absorbed = ra::test::verdict("BM_Sort", "real_time", "unchanged", 0.4);
    absorbed.baseline_median = 112.5;
    absorbed.candidate_median = 112.9;
    auto in = input_at("c0009", {absorbed});
    ra::ChangePointFinding f;
    f.series.benchmark = "BM_Sort";
    f.series.metric = "real_time";
    f.series.unit = "ns";
    f.commit = "c0004";
    f.commit_time_us = 4000;
    f.change_pct = 12.5;
    f.level_before = 100;
    f.level_after = 112.5;
    in.change_points.push_back(f);

    const auto report = run_alert_stage(store, settings, in);
    EXPECT_EQ(report.summary, "alerts: 1 opened (#1); see 'perftrack alerts list'");
    ASSERT_EQ(slack.request_count(), 1u);
    const auto message = nlohmann::json::parse(slack.requests().at(0).body);
    const std::string head = message["blocks"][0]["text"]["text"];
    EXPECT_NE(head.find("*1 regressing step located in the history*"), std::string::npos) << head;
    const std::string list = message["blocks"][1]["text"]["text"];
    EXPECT_EQ(list, "• `BM_Sort` · real_time: *+12.5%* since `c0004`");
    const auto body = nlohmann::json::parse(hook.requests().at(0).body);
    ASSERT_EQ(body["located_steps"].size(), 1u);
    EXPECT_EQ(body["located_steps"][0]["since"], "c0004");
    EXPECT_DOUBLE_EQ(body["located_steps"][0]["change"].get<double>(), 0.125);

    // The same analysis at the next commit: nothing new.
    in.scope.commit = "c0010";
    const auto again = run_alert_stage(store, settings, in);
    EXPECT_EQ(again.summary, "alerts: 1 still open (#1); see 'perftrack alerts list'");
    EXPECT_EQ(slack.request_count(), 1u);
}

TEST(StepSummary, AppendsToTheFileGitHubNames) {
    testing::TempDir dir;
    const auto file = dir.write("summary.md", "# earlier step\n");
    const ra::EnvLookup env = [&](const char* name) -> std::optional<std::string> {
        if (std::string(name) == "GITHUB_STEP_SUMMARY") return file.string();
        return std::nullopt;
    };
    EXPECT_EQ(append_step_summary("## perftrack\n\n2 regressions", env), "");
    EXPECT_EQ(testing::read_file(file), "# earlier step\n## perftrack\n\n2 regressions\n");
}

TEST(StepSummary, UnsetMeansNothingAndAnUnwritableFileIsAWarning) {
    const ra::EnvLookup unset = [](const char*) -> std::optional<std::string> {
        return std::nullopt;
    };
    EXPECT_EQ(append_step_summary("x", unset), "");
    const ra::EnvLookup bad = [](const char*) -> std::optional<std::string> {
        return std::string("/nonexistent-dir/summary.md");
    };
    const auto warning = append_step_summary("x", bad);
    EXPECT_NE(warning.find("could not append the summary to $GITHUB_STEP_SUMMARY"),
              std::string::npos)
        << warning;
}

}  // namespace
}  // namespace perftrack::alerts
