// The thin mappings from detection results to the alert types: percent for fractions, and
// unknown numbers (NaN) absent.
#include "cli/check_alerts.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace perftrack::cli {
namespace {

TEST(AlertVerdicts, ChangeInPercentAndUnknownNumbersAbsent) {
    reports::detect::CheckResult result;
    reports::detect::SeriesVerdict v;
    v.series.suite = "s";
    v.series.benchmark = "BM_Sort";
    v.series.params = {{"n", 8}};
    v.series.metric = "items_per_second";
    v.series.unit = "items/s";
    v.series.direction = core::Direction::higher;
    v.status = reports::detect::Status::regression;
    v.change = -0.125;
    v.ci_low = -0.15;
    v.ci_high = -0.1;
    v.p_value = 1e-6;
    v.q_value = 2e-6;
    v.baseline_median = 1000;
    v.candidate_median = 875;
    v.since = "c0004";
    result.results.push_back(v);
    reports::detect::SeriesVerdict fresh;
    fresh.series.benchmark = "BM_New";
    fresh.status = reports::detect::Status::new_series;
    result.results.push_back(fresh);

    const auto out = alert_verdicts(result);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].series.suite, "s");
    EXPECT_EQ(out[0].status, "regression");
    EXPECT_DOUBLE_EQ(*out[0].change_pct, -12.5);
    EXPECT_DOUBLE_EQ(*out[0].ci_low_pct, -15.0);
    EXPECT_DOUBLE_EQ(*out[0].ci_high_pct, -10.0);
    EXPECT_EQ(out[0].q_value, 2e-6);
    EXPECT_EQ(out[0].candidate_median, 875.0);
    EXPECT_EQ(out[0].since_commit, "c0004");
    EXPECT_EQ(out[0].series.direction, core::Direction::higher);
    EXPECT_EQ(out[1].status, "new");
    EXPECT_FALSE(out[1].change_pct);
    EXPECT_FALSE(out[1].p_value);
    EXPECT_FALSE(out[1].candidate_median);
}

TEST(ChangePointFindings, ChangeInPercentAndEveryFieldKept) {
    reports::detect::RegressingStep step;
    step.series.benchmark = "BM_Sort";
    step.series.metric = "real_time";
    step.series.unit = "ns";
    step.commit = "c1020";
    step.commit_time_us = 20'000'000;
    step.change = 0.2;
    step.p_value = 1e-4;
    step.level_before = 100;
    step.level_after = 120;
    reports::detect::RegressingStep exact = step;
    exact.p_value.reset();
    exact.change = -0.5;

    const auto out = change_point_findings({step, exact});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].series.benchmark, "BM_Sort");
    EXPECT_EQ(out[0].commit, "c1020");
    EXPECT_EQ(out[0].commit_time_us, 20'000'000);
    EXPECT_DOUBLE_EQ(out[0].change_pct, 20.0);
    EXPECT_EQ(out[0].p_value, 1e-4);
    EXPECT_EQ(out[0].level_before, 100.0);
    EXPECT_EQ(out[0].level_after, 120.0);
    EXPECT_DOUBLE_EQ(out[1].change_pct, -50.0);
    EXPECT_FALSE(out[1].p_value);
}

}  // namespace
}  // namespace perftrack::cli
