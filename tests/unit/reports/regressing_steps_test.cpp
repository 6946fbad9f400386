// Change points that are still regressions: the newest step of each series, only when it makes
// the series worse by at least the minimum change, and only what survives the false discovery
// rate control across every series.
#include "reports/detect/regressing_steps.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace perftrack::reports::detect {
namespace {

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

TEST(RegressingSteps, TheNewestRegressingStepWithBothLevels) {
    const auto findings = regressing_steps(
        history_of(step(100, 120, 20, 30), core::Direction::lower), k_alpha, k_min_change);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].commit, "c1020");
    EXPECT_EQ(findings[0].commit_time_us, 20'000'000);
    EXPECT_NEAR(findings[0].change, 0.20, 0.01);
    EXPECT_NEAR(*findings[0].level_before, 100.0, 0.5);
    EXPECT_NEAR(*findings[0].level_after, 120.0, 0.5);
}

TEST(RegressingSteps, ImprovementsAndRecoveredStepsAreNotFindings) {
    // Faster: not a regression.
    EXPECT_TRUE(regressing_steps(history_of(step(100, 80, 20, 30), core::Direction::lower), k_alpha,
                                 k_min_change)
                    .empty());
    // More throughput: not a regression either.
    EXPECT_TRUE(regressing_steps(history_of(step(100, 120, 20, 30), core::Direction::higher),
                                 k_alpha, k_min_change)
                    .empty());
    // Slower, then fixed: the newest step is the fix.
    auto levels = step(100, 120, 10, 20);
    for (int i = 0; i < 10; ++i) levels.push_back(100);
    EXPECT_TRUE(regressing_steps(history_of(levels, core::Direction::lower), k_alpha, k_min_change)
                    .empty());
    // No step at all.
    EXPECT_TRUE(regressing_steps(history_of(step(100, 100, 0, 30), core::Direction::lower), k_alpha,
                                 k_min_change)
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

TEST(RegressingSteps, TwoThousandNoisySeriesRaiseOnlyTheRealStep) {
    const auto history = noisy_history(2000, 0.15);
    const auto findings = regressing_steps(history, k_alpha, k_min_change);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].series.benchmark, "BM_0");
    EXPECT_EQ(findings[0].commit, "c1030");
    // Without the correction across series and the minimum change (alpha 1 keeps every change
    // point that passed its own test), noise steps of the other series do get through.
    EXPECT_GT(regressing_steps(history, 1.0, 0.0).size(), 1u);
}

TEST(RegressingSteps, StepsBelowTheMinimumChangeAreNotAlerts) {
    const auto findings = regressing_steps(noisy_history(1, 0.15), k_alpha, 0.20);
    EXPECT_TRUE(findings.empty());
}

}  // namespace
}  // namespace perftrack::reports::detect
