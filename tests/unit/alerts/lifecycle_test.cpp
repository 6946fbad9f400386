#include "alerts/lifecycle.hpp"

#include <gtest/gtest.h>

#include "tests/unit/alerts/memory_alert_store.hpp"
#include "tests/unit/alerts/sample_notice.hpp"

namespace perftrack::alerts {
namespace {

CheckScope scope_at(std::string commit) {
    return {"demo", "ci-x86", "main", std::move(commit)};
}

// A series measured at `level` against an old level of 100 (lower is better).
NoticeVerdict at_level(std::string status, double level, std::string benchmark = "BM_Sort") {
    auto v = test::verdict(std::move(benchmark), "real_time", std::move(status), level - 100.0);
    v.baseline_median = 100.0;
    v.candidate_median = level;
    return v;
}

store::Alert alert_between(double old_level, double regressed_level) {
    store::Alert a;
    a.baseline_value = old_level;
    a.regressed_value = regressed_level;
    return a;
}

TEST(ReturnedToOldLevel, CloserToTheOldLevelThanToTheRegressedOne) {
    const auto slower = alert_between(100, 120);  // latency went up
    EXPECT_TRUE(returned_to_old_level(slower, 101));
    EXPECT_TRUE(returned_to_old_level(slower, 109.9));
    EXPECT_FALSE(returned_to_old_level(slower, 110));  // halfway is not back
    EXPECT_FALSE(returned_to_old_level(slower, 118));
    EXPECT_TRUE(returned_to_old_level(slower, 80));  // better than ever
    const auto less_throughput = alert_between(1000, 800);
    EXPECT_TRUE(returned_to_old_level(less_throughput, 990));
    EXPECT_FALSE(returned_to_old_level(less_throughput, 850));
    EXPECT_FALSE(returned_to_old_level(store::Alert{}, 100));  // levels unknown
    EXPECT_FALSE(returned_to_old_level(slower, std::nan("")));
}

TEST(ApplyCheck, TheSameRegressionIsOneAlertAcrossRepeatedChecks) {
    test::MemoryAlertStore store;
    auto first = apply_check(store, scope_at("c1"), {at_level("regression", 120)});
    ASSERT_EQ(first.opened.size(), 1u);
    EXPECT_TRUE(first.updated.empty());
    EXPECT_EQ(first.opened[0].commit, "c1");
    EXPECT_EQ(first.opened[0].baseline_value, 100.0);

    // The same commit checked again, then two later commits that still show it.
    auto again = apply_check(store, scope_at("c1"), {at_level("regression", 121)});
    EXPECT_TRUE(again.opened.empty());
    ASSERT_EQ(again.updated.size(), 1u);
    EXPECT_EQ(again.updated[0].times_seen, 1);
    apply_check(store, scope_at("c2"), {at_level("regression", 119)});
    auto third = apply_check(store, scope_at("c3"), {at_level("regression", 122)});
    ASSERT_EQ(third.updated.size(), 1u);
    EXPECT_EQ(third.updated[0].id, first.opened[0].id);
    EXPECT_EQ(third.updated[0].times_seen, 3);
    EXPECT_EQ(third.updated[0].commit, "c1");  // where it began stays
    EXPECT_EQ(third.updated[0].last_commit, "c3");
    EXPECT_DOUBLE_EQ(*third.updated[0].regressed_value, 122);
    EXPECT_EQ(store.list_alerts({}).size(), 1u);
}

TEST(ApplyCheck, TheStepsFirstCommitIsKeptWhenTheCheckNamesIt) {
    test::MemoryAlertStore store;
    auto v = at_level("regression", 120);
    v.since_commit = "c0";
    const auto changes = apply_check(store, scope_at("c2"), {v});
    ASSERT_EQ(changes.opened.size(), 1u);
    EXPECT_EQ(changes.opened[0].commit, "c0");
    EXPECT_EQ(changes.opened[0].last_commit, "c2");
}

TEST(ApplyCheck, AnAlertResolvesItselfWhenTheSeriesReturnsToItsOldLevel) {
    test::MemoryAlertStore store;
    apply_check(store, scope_at("c1"), {at_level("regression", 120)});
    // The rolling baseline has absorbed the new level: the check says unchanged, but the series
    // is still slow, so the alert stays.
    auto absorbed = apply_check(store, scope_at("c2"), {at_level("unchanged", 119)});
    EXPECT_TRUE(absorbed.resolved.empty());
    // The fix lands: an improvement against the (regressed) baseline, back near 100.
    auto fixed = apply_check(store, scope_at("c3"), {at_level("improvement", 101)});
    ASSERT_EQ(fixed.resolved.size(), 1u);
    EXPECT_EQ(fixed.resolved[0].resolution, store::AlertResolution::recovered);
    EXPECT_TRUE(store.list_alerts(test::active_alerts()).empty());
    // A new slowdown later is a new alert, announced again.
    auto later = apply_check(store, scope_at("c4"), {at_level("regression", 130)});
    EXPECT_EQ(later.opened.size(), 1u);
}

TEST(ApplyCheck, VerdictsWithoutNumbersChangeNothing) {
    test::MemoryAlertStore store;
    apply_check(store, scope_at("c1"), {at_level("regression", 120)});
    auto none = at_level("insufficient_data", 100);
    auto fresh = at_level("new", 100);
    auto unknown_level = at_level("unchanged", 100);
    unknown_level.candidate_median.reset();
    const auto changes = apply_check(store, scope_at("c2"), {none, fresh, unknown_level});
    EXPECT_TRUE(changes.opened.empty());
    EXPECT_TRUE(changes.resolved.empty());
    EXPECT_EQ(store.list_alerts(test::active_alerts()).size(), 1u);
}

TEST(ApplyCheck, AlertsAreKeptPerSeriesTestbedAndBranch) {
    test::MemoryAlertStore store;
    auto other_params = at_level("regression", 120);
    other_params.series.params = {{"n", 64}};
    apply_check(store, scope_at("c1"), {at_level("regression", 120), other_params});
    apply_check(store, {"demo", "ci-arm", "main", "c1"}, {at_level("regression", 120)});
    apply_check(store, {"demo", "ci-x86", "feature", "c1"}, {at_level("regression", 120)});
    EXPECT_EQ(store.list_alerts({}).size(), 4u);
    // A recovery on one branch does not resolve the other branch's alert.
    apply_check(store, {"demo", "ci-x86", "feature", "c2"}, {at_level("unchanged", 100)});
    EXPECT_EQ(store.list_alerts(test::active_alerts()).size(), 3u);
}

TEST(ApplyCheck, AnAcknowledgedAlertIsUpdatedNotReopened) {
    test::MemoryAlertStore store;
    const auto id = apply_check(store, scope_at("c1"), {at_level("regression", 120)}).opened[0].id;
    ASSERT_TRUE(store.acknowledge_alert(id, "known: new allocator").changed);
    const auto changes = apply_check(store, scope_at("c2"), {at_level("regression", 121)});
    EXPECT_TRUE(changes.opened.empty());
    ASSERT_EQ(changes.updated.size(), 1u);
    EXPECT_EQ(changes.updated[0].status, store::AlertStatus::acknowledged);
}

ChangePointFinding step_at(std::string commit, std::int64_t time_us, double change_pct,
                           core::Direction direction = core::Direction::lower) {
    ChangePointFinding f;
    f.series.benchmark = "BM_Sort";
    f.series.metric = "real_time";
    f.series.unit = "ns";
    f.series.direction = direction;
    f.commit = std::move(commit);
    f.commit_time_us = time_us;
    f.change_pct = change_pct;
    f.p_value = 1e-6;
    f.level_before = 100;
    f.level_after = 100 * (1 + change_pct / 100);
    return f;
}

class ChangePoints : public ::testing::Test {
  protected:
    void SetUp() override {
        for (int i = 1; i <= 9; ++i) store.commit_times["c" + std::to_string(i)] = i * 1000;
    }
    test::MemoryAlertStore store;
};

TEST_F(ChangePoints, ARegressingStepOpensAnAlertAtTheLocatedCommitOnce) {
    const auto first = apply_change_points(store, scope_at("c9"), {step_at("c4", 4000, 15)});
    ASSERT_EQ(first.opened.size(), 1u);
    const auto& a = first.opened[0];
    EXPECT_EQ(a.source, store::AlertSource::change_point);
    EXPECT_EQ(a.commit, "c4");
    EXPECT_EQ(a.last_commit, "c9");
    EXPECT_EQ(a.baseline_value, 100.0);
    EXPECT_DOUBLE_EQ(*a.regressed_value, 115.0);
    // The analysis runs again over the same history: nothing new.
    const auto again = apply_change_points(store, scope_at("c9"), {step_at("c4", 4000, 15)});
    EXPECT_TRUE(again.opened.empty());
    // Resolved since (it recovered): the old step is not raised again.
    store.resolve_alert(a.id, store::AlertResolution::recovered, {});
    EXPECT_TRUE(
        apply_change_points(store, scope_at("c9"), {step_at("c4", 4000, 15)}).opened.empty());
    // A new step later is a new alert.
    EXPECT_EQ(apply_change_points(store, scope_at("c9"), {step_at("c8", 8000, 12)}).opened.size(),
              1u);
}

TEST_F(ChangePoints, ImprovementsAreNotAlerts) {
    EXPECT_TRUE(
        apply_change_points(store, scope_at("c9"), {step_at("c4", 4000, -15)}).opened.empty());
    // For a higher-is-better metric a drop is the regression.
    EXPECT_TRUE(apply_change_points(store, scope_at("c9"),
                                    {step_at("c4", 4000, 15, core::Direction::higher)})
                    .opened.empty());
    EXPECT_EQ(apply_change_points(store, scope_at("c9"),
                                  {step_at("c4", 4000, -15, core::Direction::higher)})
                  .opened.size(),
              1u);
}

TEST_F(ChangePoints, AStepTheCheckAlreadyAnnouncedIsLocatedNotAnnouncedAgain) {
    // The online check confirmed the step two commits late.
    const auto id = apply_check(store, scope_at("c6"), {at_level("regression", 115)}).opened[0].id;
    const auto located = apply_change_points(store, scope_at("c9"), {step_at("c4", 4000, 15)});
    EXPECT_TRUE(located.opened.empty());
    ASSERT_EQ(located.updated.size(), 1u);
    EXPECT_EQ(located.updated[0].id, id);
    EXPECT_EQ(located.updated[0].commit, "c4");
    // Had the check's alert been resolved already, the step is still covered by it.
    store.resolve_alert(id, store::AlertResolution::manual, {});
    EXPECT_TRUE(
        apply_change_points(store, scope_at("c9"), {step_at("c4", 4000, 15)}).opened.empty());
}

TEST_F(ChangePoints, AnOlderResolvedAlertDoesNotHideANewStep) {
    const auto id = apply_check(store, scope_at("c2"), {at_level("regression", 115)}).opened[0].id;
    store.resolve_alert(id, store::AlertResolution::recovered, {});
    EXPECT_EQ(apply_change_points(store, scope_at("c9"), {step_at("c6", 6000, 20)}).opened.size(),
              1u);
}

store::BaselineReset reset(std::string glob, std::optional<std::string> metric,
                           std::int64_t created_at_us) {
    store::BaselineReset r;
    r.id = 77;
    r.benchmark_glob = std::move(glob);
    r.metric = std::move(metric);
    r.commit = "c9";
    r.created_at_us = created_at_us;
    return r;
}

TEST(BaselineReset, SupersedesMatchingAlertsThatWereOpenWhenItWasRecorded) {
    store::Alert a;
    a.series.benchmark = "BM_Sort/1024";
    a.series.metric = "real_time";
    a.opened_at_us = 1000;
    EXPECT_TRUE(reset_supersedes(reset("BM_Sort/*", std::nullopt, 2000), a));
    EXPECT_TRUE(reset_supersedes(reset("BM_Sort*", "real_time", 2000), a));
    EXPECT_TRUE(reset_supersedes(reset("*", std::nullopt, 1000), a));
    EXPECT_FALSE(reset_supersedes(reset("BM_Sort*", "cpu_time", 2000), a));
    EXPECT_FALSE(reset_supersedes(reset("BM_Hash*", std::nullopt, 2000), a));
    EXPECT_FALSE(reset_supersedes(reset("BM_Sort/*", std::nullopt, 500), a));  // newer alert
    a.status = store::AlertStatus::resolved;
    EXPECT_FALSE(reset_supersedes(reset("*", std::nullopt, 2000), a));
}

TEST(BaselineReset, ClosesTheAlertsItSupersedesAndNamesItself) {
    test::MemoryAlertStore store;
    apply_check(
        store, scope_at("c1"),
        {at_level("regression", 120, "BM_Sort/1024"), at_level("regression", 130, "BM_Hash")});
    store.now_us += 1000;
    const auto closed = close_superseded_alerts(store, "demo", std::string("ci-x86"),
                                                {reset("BM_Sort/*", std::nullopt, store.now_us)});
    ASSERT_EQ(closed.size(), 1u);
    EXPECT_EQ(closed[0].series.benchmark, "BM_Sort/1024");
    EXPECT_EQ(closed[0].resolution, store::AlertResolution::baseline_reset);
    EXPECT_EQ(closed[0].baseline_reset_id, 77);
    const auto open = store.list_alerts(test::active_alerts());
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].series.benchmark, "BM_Hash");
    // Running it again (every check does) changes nothing more.
    EXPECT_TRUE(close_superseded_alerts(store, "demo", std::string("ci-x86"),
                                        {reset("BM_Sort/*", std::nullopt, store.now_us)})
                    .empty());
}

}  // namespace
}  // namespace perftrack::alerts
