// Verdict rules of the detector on hand-built histories (the list): a clean step is
// flagged where it began, pure between-run noise and one-commit spikes are not, direction
// matters, deterministic metrics compare exactly, resets start a new baseline, and the
// Benjamini-Hochberg correction keeps many unchanged series quiet.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "reports/detect/backtest.hpp"
#include "reports/detect/check.hpp"
#include "reports/detect/verdict.hpp"
#include "tests/unit/reports/memory_history.hpp"

namespace perftrack::reports::detect {
namespace {

using testing::make_history;
using testing::noisy;
using testing::SeriesSpec;
using testing::sha_of;

const DetectionSettings k_defaults;

std::function<double(std::size_t)> step_at(std::size_t at, double before, double after) {
    return [=](std::size_t i) { return i < at ? before : after; };
}

std::vector<BacktestFlag> flags_of(const store::History& h,
                                   const DetectionSettings& s = k_defaults) {
    return run_backtest(h, s).series.at(0).flags;
}

TEST(DetectVerdicts, CleanTenPercentStepIsFlaggedAndNamesItsFirstCommit) {
    const auto h = make_history(80, {{"BM_step", "real_time", "ns", core::Direction::lower,
                                      noisy(step_at(50, 1000.0, 1100.0), 0.01, 0.005, 5, 1)}});
    const auto flags = flags_of(h);
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].status, Status::regression);
    EXPECT_GE(flags[0].position, 50u);
    EXPECT_LE(flags[0].position, 52u);  // confirmed by the next run or two
    EXPECT_EQ(flags[0].since, sha_of("main", 50));
    EXPECT_NEAR(flags[0].change, 0.10, 0.03);
    EXPECT_LE(flags[0].ci_low, flags[0].change);
    EXPECT_GE(flags[0].ci_high, flags[0].change);
    EXPECT_LE(flags[0].q_value, k_defaults.alpha);
}

TEST(DetectVerdicts, PureBetweenRunNoiseIsNotFlagged) {
    // Repetitions agree to 0.2 % while whole runs differ by 4 %: a test that pooled the
    // repetitions would flag half the commits.
    std::vector<SeriesSpec> specs;
    for (std::uint64_t s = 0; s < 10; ++s)
        specs.push_back({"BM_noise" + std::to_string(s), "real_time", "ns", core::Direction::lower,
                         noisy([](std::size_t) { return 500.0; }, 0.04, 0.002, 10, 100 + s)});
    const auto h = make_history(150, specs);
    const auto r = run_backtest(h, k_defaults);
    std::size_t flags = 0;
    for (const auto& s : r.series) flags += s.flags.size();
    EXPECT_EQ(flags, 0u);
    EXPECT_GT(r.checks, 10u * 140u);
}

TEST(DetectVerdicts, OneCommitSpikeIsNotAStep) {
    auto level = [](std::size_t i) { return i == 60 ? 1400.0 : 1000.0; };
    const auto h = make_history(90, {{"BM_spike", "real_time", "ns", core::Direction::lower,
                                      noisy(level, 0.01, 0.002, 5, 7)}});
    EXPECT_TRUE(flags_of(h).empty());
}

TEST(DetectVerdicts, ThroughputDropIsARegressionAndARiseAnImprovement) {
    const auto drop =
        make_history(70, {{"BM_tp", "items_per_second", "items/s", core::Direction::higher,
                           noisy(step_at(40, 5e6, 4.5e6), 0.01, 0.003, 5, 3)}});
    auto f = flags_of(drop);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].status, Status::regression);
    EXPECT_LT(f[0].change, 0.0);  // the value fell

    const auto rise =
        make_history(70, {{"BM_tp", "items_per_second", "items/s", core::Direction::higher,
                           noisy(step_at(40, 5e6, 5.5e6), 0.01, 0.003, 5, 3)}});
    f = flags_of(rise);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].status, Status::improvement);
    EXPECT_GT(f[0].change, 0.0);

    // A latency drop is an improvement.
    const auto faster = make_history(70, {{"BM_lat", "latency_p95", "ms", core::Direction::lower,
                                           noisy(step_at(40, 20.0, 18.0), 0.01, 0.003, 5, 4)}});
    f = flags_of(faster);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].status, Status::improvement);
}

TEST(DetectVerdicts, ZeroVarianceMetricFlagsOneByteUnderExactToleranceZero) {
    auto bytes = [](std::size_t i) { return std::vector<double>{i < 30 ? 1048576.0 : 1048577.0}; };
    const auto h =
        make_history(40, {{"peak_memory", "peak_memory", "B", core::Direction::lower, bytes}});
    const auto f = flags_of(h);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].position, 30u);  // deterministic: no confirmation needed
    EXPECT_EQ(f[0].status, Status::regression);
    EXPECT_TRUE(f[0].exact);
    EXPECT_DOUBLE_EQ(f[0].change, 1.0 / 1048576.0);

    DetectionSettings tolerant;
    tolerant.defaults.exact_tolerance = 0.01;
    EXPECT_TRUE(flags_of(h, tolerant).empty());
}

TEST(DetectVerdicts, BaselineResetMakesAnIntendedChangeSilent) {
    auto h = make_history(80, {{"BM_sort", "real_time", "ns", core::Direction::lower,
                                noisy(step_at(50, 1000.0, 1300.0), 0.01, 0.002, 5, 9)}});
    h.resets.push_back({1, "BM_s*", std::nullopt, sha_of("main", 50), 50 * testing::k_hour_us,
                        "new algorithm", 0});
    EXPECT_TRUE(flags_of(h).empty());
    // A reset for another benchmark or metric changes nothing.
    h.resets[0].benchmark_glob = "BM_other";
    EXPECT_EQ(flags_of(h).size(), 1u);
    h.resets[0].benchmark_glob = "BM_sort";
    h.resets[0].metric = "cpu_time";
    EXPECT_EQ(flags_of(h).size(), 1u);
}

TEST(DetectVerdicts, FalseDiscoveryRateKeepsFiveHundredSeriesQuiet) {
    // 500 unchanged series at one commit: their p-values spread evenly over (0, 1), as p-values
    // of true null hypotheses do. Five of them are below alpha = 0.01 and would be flagged
    // alone; none survives Benjamini-Hochberg over 500.
    std::vector<Assessment> assessments(500);
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        auto& a = assessments[i];
        a.kind = AssessmentKind::tested;
        GroupTest g;
        g.sign = 1;
        g.p_value = g.p_group = (static_cast<double>(i) + 0.5) / 500.0;
        g.change = 0.05;
        a.current = g;
        a.step = g;
    }
    std::vector<const Assessment*> ptrs;
    for (const auto& a : assessments) ptrs.push_back(&a);
    std::size_t uncorrected = 0;
    for (const auto* a : ptrs) uncorrected += decision_p_value(*a) <= k_defaults.alpha ? 1 : 0;
    EXPECT_EQ(uncorrected, 5u);
    const auto decisions = decide(ptrs, k_defaults.alpha);
    for (const auto& d : decisions) {
        EXPECT_EQ(d.status, Status::unchanged);
        EXPECT_GT(d.q_value, k_defaults.alpha);
    }
    // One real regression among them still stands out.
    assessments[300].step->p_value = assessments[300].step->p_group = 1e-9;
    const auto again = decide(ptrs, k_defaults.alpha);
    EXPECT_EQ(again[300].status, Status::regression);
    EXPECT_EQ(again[0].status, Status::unchanged);
}

TEST(DetectVerdicts, FiveHundredNoiseSeriesRaiseNoFlagsInABacktest) {
    std::vector<SeriesSpec> specs;
    for (std::uint64_t s = 0; s < 500; ++s)
        specs.push_back({"BM_" + std::to_string(s), "real_time", "ns", core::Direction::lower,
                         noisy([](std::size_t) { return 100.0; }, 0.02, 0.01, 3, 5000 + s)});
    const auto r = run_backtest(make_history(40, specs), k_defaults);
    std::size_t flags = 0;
    for (const auto& s : r.series) flags += s.flags.size();
    EXPECT_EQ(flags, 0u);
}

TEST(DetectVerdicts, ShortAndNewHistoriesSaySo) {
    testing::MemoryReader reader;
    reader.branches["main"] =
        make_history(3, {{"BM_a", "real_time", "ns", core::Direction::lower,
                          noisy([](std::size_t) { return 10.0; }, 0.01, 0.01, 3, 1)},
                         {"BM_b", "real_time", "ns", core::Direction::lower, [](std::size_t i) {
                              return i == 2 ? std::vector<double>{5.0} : std::vector<double>{};
                          }}});
    CheckRequest req{"p", "tb", "main", sha_of("main", 2), "main", std::nullopt, std::nullopt};
    auto r = run_check(reader, req, k_defaults);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->results.size(), 2u);
    EXPECT_EQ(r->results[0].status, Status::insufficient_data);
    EXPECT_NE(r->results[0].note.find("3 are needed"), std::string::npos);
    EXPECT_EQ(r->results[1].status, Status::new_series);
    req.commit = "unknown";
    auto missing = run_check(reader, req, k_defaults);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("has no runs"), std::string::npos);
}

TEST(DetectVerdicts, PullRequestIsComparedWithItsMergeBase) {
    testing::MemoryReader reader;
    // main gets 20 % slower at commit 40; the PR branched off at commit 30 and is itself 10 %
    // slower than its merge-base. Against main's tip it would look 8 % faster.
    reader.branches["main"] =
        make_history(50, {{"BM_x", "real_time", "ns", core::Direction::lower,
                           noisy(step_at(40, 1000.0, 1200.0), 0.01, 0.002, 5, 11)}});
    reader.branches["feature"] =
        make_history(1,
                     {{"BM_x", "real_time", "ns", core::Direction::lower,
                       noisy([](std::size_t) { return 1100.0; }, 0.0, 0.002, 5, 12)}},
                     "feature", 49 * testing::k_hour_us + 1, 1000);
    CheckRequest req{"p",         "tb", "feature", sha_of("feature", 0), "main", sha_of("main", 30),
                     std::nullopt};
    auto r = run_check(reader, req, k_defaults);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->results.size(), 1u);
    EXPECT_TRUE(r->pull_request);
    EXPECT_EQ(r->baseline_commit, sha_of("main", 30));
    EXPECT_EQ(r->results[0].status, Status::regression);
    EXPECT_NEAR(r->results[0].change, 0.10, 0.03);
    EXPECT_EQ(r->results[0].since, sha_of("feature", 0));
    // Without a merge-base the baseline is main at the PR's commit time (after the step), and
    // the result says so.
    req.base_commit.reset();
    r = run_check(reader, req, k_defaults);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->notes.empty());
    EXPECT_NE(r->results[0].status, Status::regression);
}

}  // namespace
}  // namespace perftrack::reports::detect
