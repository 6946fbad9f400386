// The report model from a history: the report JSON's contract (json_report.hpp), the detector's
// change points and baseline windows, the check's verdicts at the chosen commit, and the alerts
// section.
#include "reports/render/report_builder.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/render/html_report.hpp"
#include "reports/render/json_report.hpp"
#include "tests/unit/reports/memory_history.hpp"

namespace perftrack::reports::render {
namespace {

using testing::k_hour_us;
using testing::sha_of;

testing::MemoryReader reader_with(store::History history) {
    testing::MemoryReader reader;
    reader.branches["main"] = std::move(history);
    return reader;
}

ReportRequest request_for_main() {
    ReportRequest r;
    r.project = "p";
    r.testbed = "tb";
    r.branch = "main";
    r.baseline_branch = "main";
    r.generated_at_us = 100 * k_hour_us;
    r.perftrack_version = "test";
    return r;
}

// 60 commits; BM_step is 20 % slower from commit 30 on, BM_flat stays, BM_last is 25 % slower
// from commit 58 on (a step the newest commit confirms).
store::History step_history() {
    return testing::make_history(
        60, {{"BM_step", "real_time", "ns", core::Direction::lower,
              testing::noisy([](std::size_t i) { return i >= 30 ? 1200.0 : 1000.0; }, 0.01, 0.002,
                             3, 4)},
             {"BM_flat", "real_time", "ns", core::Direction::lower,
              testing::noisy([](std::size_t) { return 500.0; }, 0.01, 0.002, 3, 5)},
             {"BM_last", "real_time", "ns", core::Direction::lower,
              testing::noisy([](std::size_t i) { return i >= 58 ? 1250.0 : 1000.0; }, 0.01, 0.002,
                             3, 6)}});
}

const SeriesReport& series_named(const ReportModel& m, const std::string& benchmark) {
    for (const auto& s : m.series)
        if (s.id.benchmark == benchmark) return s;
    throw std::runtime_error("no series " + benchmark);
}

TEST(ReportBuilder, JsonCarriesTheContractWithPointsAndChangePoints) {
    auto reader = reader_with(step_history());
    const auto model = build_report(reader, nullptr, request_for_main());
    ASSERT_TRUE(model) << model.error().message;
    const auto j = nlohmann::json::parse(render_json(*model));
    ASSERT_EQ(j["series"].size(), 3u);
    ASSERT_EQ(j["commits"].size(), 60u);
    for (const auto& s : j["series"]) {
        if (s["benchmark"] != "BM_step") continue;
        EXPECT_EQ(s["metric"], "real_time");
        EXPECT_EQ(s["params"], nlohmann::json::object());
        ASSERT_EQ(s["points"].size(), 60u);
        EXPECT_EQ(s["points"][0]["commit"], sha_of("main", 0));
        EXPECT_EQ(s["points"][0]["commit_time"], "1970-01-01T00:00:00Z");
        EXPECT_EQ(s["points"][0]["runs"], 1);
        EXPECT_NEAR(s["points"][59]["value"].get<double>(), 1200.0, 40.0);
        ASSERT_EQ(s["change_points"].size(), 1u);
        EXPECT_EQ(s["change_points"][0]["commit"], sha_of("main", 30));
        EXPECT_NEAR(s["change_points"][0]["change"].get<double>(), 0.2, 0.03);
        EXPECT_LT(s["change_points"][0]["p_value"].get<double>(), 0.001);
    }
}

TEST(ReportBuilder, BandFollowsTheDetectorsBaselineAfterAStep) {
    auto reader = reader_with(step_history());
    const auto model = build_report(reader, nullptr, request_for_main());
    ASSERT_TRUE(model);
    const auto& s = series_named(*model, "BM_step");
    ASSERT_EQ(s.points.size(), 60u);
    // Before the step the band sits at the old level.
    ASSERT_TRUE(s.points[25].baseline);
    EXPECT_NEAR(s.points[25].baseline->median, 1000.0, 20.0);
    // 15 commits after the step a plain 30-commit rolling window would straddle both levels
    // (median ~1100); the detector restarted its baseline at the confirmed step.
    ASSERT_TRUE(s.points[45].baseline);
    EXPECT_NEAR(s.points[45].baseline->median, 1200.0, 25.0);
    EXPECT_LE(s.points[45].baseline->commits, 15u);
}

TEST(ReportBuilder, VerdictAtTheNewestCommitFlagsTheLastJump) {
    auto reader = reader_with(step_history());
    const auto model = build_report(reader, nullptr, request_for_main());
    ASSERT_TRUE(model);
    EXPECT_TRUE(model->verdict.evaluated);
    EXPECT_EQ(model->verdict.candidate_commit, sha_of("main", 59));
    const auto& last = series_named(*model, "BM_last");
    ASSERT_TRUE(last.verdict);
    EXPECT_EQ(last.verdict->status, VerdictStatus::regression) << last.verdict->note;
    ASSERT_TRUE(last.verdict->change);
    EXPECT_NEAR(*last.verdict->change, 0.25, 0.03);
    const auto& flat = series_named(*model, "BM_flat");
    ASSERT_TRUE(flat.verdict);
    EXPECT_EQ(flat.verdict->status, VerdictStatus::unchanged);
    const auto flagged = flagged_series(*model);
    ASSERT_EQ(flagged.size(), 1u);
    EXPECT_EQ(model->series[flagged[0]].id.benchmark, "BM_last");
}

TEST(ReportBuilder, APullRequestsVerdictSaysWhatItRestsOn) {
    // A pull request measured BM_flat 15 % slower in its first run and two re-runs; the first
    // re-run already decides, the second is listed but not used.
    auto reader = reader_with(step_history());
    store::History pr = testing::make_history(
        3,
        {{"BM_flat", "real_time", "ns", core::Direction::lower,
          [](std::size_t i) { return std::vector<double>{575.0 + static_cast<double>(i)}; }}},
        "feature", 70 * k_hour_us, 1000);
    for (auto& run : pr.runs) {  // re-runs of one commit share its commit time
        run.commit = "pr-commit";
        run.commit_time_us = pr.runs[0].commit_time_us;
    }
    reader.branches["feature"] = pr;
    auto request = request_for_main();
    request.branch = "feature";
    request.base_commit = sha_of("main", 59);
    const auto model = build_report(reader, nullptr, request);
    ASSERT_TRUE(model) << model.error().message;
    const auto& flat = series_named(*model, "BM_flat");
    ASSERT_TRUE(flat.verdict);
    EXPECT_EQ(flat.verdict->status, VerdictStatus::regression) << flat.verdict->note;
    EXPECT_EQ(flat.verdict->runs, "2, re-run confirms");
    EXPECT_NE(flat.verdict->note.find("decided on 2 runs"), std::string::npos);
    const auto j = nlohmann::json::parse(render_json(*model));
    bool found = false;
    for (const auto& s : j["series"])
        if (s["benchmark"] == "BM_flat") {
            EXPECT_EQ(s["verdict"]["runs"], "2, re-run confirms");
            found = true;
        }
    EXPECT_TRUE(found);
    const std::string html = render_html(*model);
    EXPECT_NE(html.find(">Runs</button>"), std::string::npos);
    EXPECT_NE(html.find(">2, re-run confirms</td>"), std::string::npos);
}

TEST(ReportBuilder, AnEarlierCommitCanBeChosen) {
    auto reader = reader_with(step_history());
    auto request = request_for_main();
    request.commit = sha_of("main", 40);
    const auto model = build_report(reader, nullptr, request);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->verdict.candidate_commit, sha_of("main", 40));
    // The jump at 59 is after the chosen commit: nothing is flagged for BM_last there.
    const auto& last = series_named(*model, "BM_last");
    ASSERT_TRUE(last.verdict);
    EXPECT_EQ(last.verdict->status, VerdictStatus::unchanged);
    // The comparison uses the values at the chosen commit.
    ASSERT_FALSE(model->comparisons.empty());
    for (const auto& e : model->comparisons[0].entries) EXPECT_EQ(e.position, 40u);
}

TEST(ReportBuilder, UnknownCommitIsAnInputError) {
    auto reader = reader_with(step_history());
    auto request = request_for_main();
    request.commit = "not-a-commit";
    const auto model = build_report(reader, nullptr, request);
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().kind, core::ErrorKind::input);
}

TEST(ReportBuilder, EmptyBranchSaysSo) {
    testing::MemoryReader reader;
    const auto model = build_report(reader, nullptr, request_for_main());
    ASSERT_TRUE(model);
    EXPECT_FALSE(model->verdict.evaluated);
    EXPECT_NE(model->verdict.note.find("No runs of branch main"), std::string::npos);
    EXPECT_TRUE(model->series.empty());
}

store::Alert alert_of(std::int64_t id, const std::string& benchmark, store::AlertStatus status,
                      std::int64_t opened_at_us, std::optional<std::int64_t> resolved_at_us) {
    store::Alert a;
    a.id = id;
    a.project = "p";
    a.testbed = "tb";
    a.branch = "main";
    a.series.benchmark = benchmark;
    a.series.metric = "real_time";
    a.series.unit = "ns";
    a.status = status;
    a.source = store::AlertSource::change_point;
    a.commit = sha_of("main", 30);
    a.change_pct = 20;
    a.opened_at_us = opened_at_us;
    a.resolved_at_us = resolved_at_us;
    return a;
}

TEST(ReportBuilder, AlertsSectionListsActiveThenRecentlyResolved) {
    auto reader = reader_with(step_history());
    const auto request = request_for_main();
    const auto model = build_report(reader, nullptr, request);
    ASSERT_TRUE(model);
    const std::int64_t now = request.generated_at_us;
    const std::int64_t day = 24 * k_hour_us;
    const std::vector<store::Alert> alerts{
        alert_of(1, "BM_step", store::AlertStatus::open, now - 3 * day, std::nullopt),
        alert_of(2, "BM_gone", store::AlertStatus::resolved, now - 50 * day, now - 40 * day),
        alert_of(3, "BM_flat", store::AlertStatus::resolved, now - 9 * day, now - 2 * day),
        alert_of(4, "BM_last", store::AlertStatus::acknowledged, now - 1 * day, std::nullopt),
    };
    const auto section = alerts_section(alerts, *model, request);
    EXPECT_TRUE(section.tracked);
    ASSERT_EQ(section.items.size(), 3u);  // #2 was resolved 40 days ago
    EXPECT_EQ(section.items[0].id, 4);    // active, newest first
    EXPECT_EQ(section.items[0].state, AlertState::acknowledged);
    EXPECT_EQ(section.items[1].id, 1);
    EXPECT_EQ(section.items[2].id, 3);
    EXPECT_EQ(section.items[2].state, AlertState::resolved);
    EXPECT_EQ(section.items[1].source, "change_point");
    ASSERT_TRUE(section.items[1].series_index);
    EXPECT_EQ(model->series[*section.items[1].series_index].id.benchmark, "BM_step");
    EXPECT_EQ(section.items[1].series.benchmark, "BM_step");
    ASSERT_TRUE(section.items[1].change);
    EXPECT_DOUBLE_EQ(*section.items[1].change, 0.2);
}

}  // namespace
}  // namespace perftrack::reports::render
