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

// A history of one series: `levels[i]` at commit i, three repetitions with a little noise.
store::History history_of(const std::vector<double>& levels, core::Direction direction) {
    store::History h;
    store::SeriesHistory s;
    s.id.benchmark = "BM_Sort";
    s.id.metric = "real_time";
    s.id.unit = "ns";
    s.id.direction = direction;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        store::RunInfo r;
        r.id = static_cast<std::int64_t>(i + 1);
        r.commit = "c" + std::to_string(1000 + i);
        r.commit_time_us = static_cast<std::int64_t>(i) * 1'000'000;
        h.runs.push_back(r);
        const double wobble = 0.002 * std::sin(static_cast<double>(i) * 1.7);
        s.points.push_back({static_cast<std::uint32_t>(i),
                            {levels[i] * (1 + wobble), levels[i] * (1 - wobble), levels[i]}});
    }
    h.series.push_back(s);
    return h;
}

// The check's defaults: 1 % false discovery rate, 2 % smallest change.
constexpr double k_alpha = 0.01;
constexpr double k_min_change = 0.02;

std::vector<double> step(double before, double after, std::size_t at, std::size_t n) {
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(i < at ? before : after);
    return v;
}

TEST(RegressingChangePoints, TheNewestRegressingStepWithBothLevels) {
    const auto findings = regressing_change_points(
        history_of(step(100, 120, 20, 30), core::Direction::lower), k_alpha, k_min_change);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].commit, "c1020");
    EXPECT_EQ(findings[0].commit_time_us, 20'000'000);
    EXPECT_NEAR(findings[0].change_pct, 20.0, 1.0);
    EXPECT_NEAR(*findings[0].level_before, 100.0, 0.5);
    EXPECT_NEAR(*findings[0].level_after, 120.0, 0.5);
}

TEST(RegressingChangePoints, ImprovementsAndRecoveredStepsAreNotFindings) {
    // Faster: not a regression.
    EXPECT_TRUE(regressing_change_points(history_of(step(100, 80, 20, 30), core::Direction::lower),
                                         k_alpha, k_min_change)
                    .empty());
    // More throughput: not a regression either.
    EXPECT_TRUE(
        regressing_change_points(history_of(step(100, 120, 20, 30), core::Direction::higher),
                                 k_alpha, k_min_change)
            .empty());
    // Slower, then fixed: the newest step is the fix.
    auto levels = step(100, 120, 10, 20);
    for (int i = 0; i < 10; ++i) levels.push_back(100);
    EXPECT_TRUE(
        regressing_change_points(history_of(levels, core::Direction::lower), k_alpha, k_min_change)
            .empty());
    // No step at all.
    EXPECT_TRUE(regressing_change_points(history_of(step(100, 100, 0, 30), core::Direction::lower),
                                         k_alpha, k_min_change)
                    .empty());
}

// `n_series` series of 40 commits with 2 % run-to-run noise (deterministic); series 0 steps by
// `step_fraction` at commit 30.
store::History noisy_history(std::size_t n_series, double step_fraction) {
    store::History h;
    for (std::size_t i = 0; i < 40; ++i) {
        store::RunInfo r;
        r.id = static_cast<std::int64_t>(i + 1);
        r.commit = "c" + std::to_string(1000 + i);
        r.commit_time_us = static_cast<std::int64_t>(i) * 1'000'000;
        h.runs.push_back(r);
    }
    std::uint64_t state = 7;
    const auto gaussian = [&state] {  // sum of 12 uniforms: close enough to normal here
        double sum = 0;
        for (int k = 0; k < 12; ++k) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            sum += static_cast<double>(state >> 11) / 9007199254740992.0;
        }
        return sum - 6.0;
    };
    for (std::size_t s = 0; s < n_series; ++s) {
        store::SeriesHistory series;
        series.id.benchmark = "BM_" + std::to_string(s);
        series.id.metric = "real_time";
        series.id.unit = "ns";
        for (std::size_t i = 0; i < 40; ++i) {
            const double level = 100.0 * (s == 0 && i >= 30 ? 1 + step_fraction : 1.0);
            const double run = level * (1 + 0.02 * gaussian());
            series.points.push_back(
                {static_cast<std::uint32_t>(i),
                 {run * (1 + 0.002 * gaussian()), run * (1 + 0.002 * gaussian()),
                  run * (1 + 0.002 * gaussian())}});
        }
        h.series.push_back(std::move(series));
    }
    return h;
}

TEST(RegressingChangePoints, TwoThousandNoisySeriesRaiseOnlyTheRealStep) {
    const auto history = noisy_history(2000, 0.15);
    const auto findings = regressing_change_points(history, k_alpha, k_min_change);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].series.benchmark, "BM_0");
    EXPECT_EQ(findings[0].commit, "c1030");
    // Without the correction across series and the minimum change (alpha 1 keeps every change
    // point that passed its own test), noise steps of the other series do get through.
    EXPECT_GT(regressing_change_points(history, 1.0, 0.0).size(), 1u);
}

TEST(RegressingChangePoints, StepsBelowTheMinimumChangeAreNotAlerts) {
    const auto findings = regressing_change_points(noisy_history(1, 0.15), k_alpha, 0.20);
    EXPECT_TRUE(findings.empty());
}

}  // namespace
}  // namespace perftrack::cli
