// A/B mode with two real builds of the sample suite (the candidate does four times the work in
// BM_Accumulate): alternating order, equal-length paired series per side, and the recorded plan.
#include "runner/ab_runner.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace perftrack::runner {
namespace {

AbSpec sample_spec(int rounds) {
    AbSpec spec;
    for (auto* side : {&spec.baseline, &spec.candidate}) {
        side->name = "sample";
        side->filter = "^BM_(Accumulate|Fill)";
        side->args = {"--benchmark_min_time=0.005"};
        side->adapter_options.suite = "sample";
    }
    spec.baseline.binary = SAMPLE_GBENCH;
    spec.candidate.binary = SAMPLE_GBENCH_SLOWER;
    spec.rounds = rounds;
    return spec;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

TEST(AbRunner, RoundsAlternate) {
    EXPECT_TRUE(baseline_first(0));
    EXPECT_FALSE(baseline_first(1));
    EXPECT_TRUE(baseline_first(2));
}

TEST(AbRunner, PlansTheCommonBenchmarks) {
    AbSpec spec = sample_spec(2);
    auto plan = plan_ab(spec);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->common,
              (std::vector<std::string>{"BM_Accumulate/64", "BM_Accumulate/512", "BM_Fill<int>"}));
    EXPECT_TRUE(plan->same_lists);
    spec.candidate.filter = "^BM_Accumulate";
    plan = plan_ab(spec);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->only_baseline, std::vector<std::string>{"BM_Fill<int>"});
    EXPECT_FALSE(plan->same_lists);
    spec.candidate.filter = "^BM_Crash";
    plan = plan_ab(spec);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().kind, core::ErrorKind::usage);
}

TEST(AbRunner, RecordsBothSidesPairedByRound) {
    const AbSpec spec = sample_spec(4);
    auto plan = plan_ab(spec);
    ASSERT_TRUE(plan);
    const AbOutcome out = run_ab(spec, *plan, nullptr);
    ASSERT_FALSE(out.suite.failed) << out.suite.failure;
    EXPECT_EQ(out.order, (std::vector<std::string>{"AB", "BA", "AB", "BA"}));
    const core::Measurement* base = nullptr;
    const core::Measurement* cand = nullptr;
    std::size_t sides = 0;
    for (const auto& m : out.suite.results.measurements) {
        ASSERT_TRUE(m.series.params.contains(k_ab_side_param)) << m.series.benchmark;
        ++sides;
        if (m.series.benchmark == "BM_Accumulate/512" && m.series.metric == "cpu_time")
            (m.series.params[k_ab_side_param] == k_ab_baseline ? base : cand) = &m;
    }
    EXPECT_EQ(sides, 2 * out.pairs);
    ASSERT_NE(base, nullptr);
    ASSERT_NE(cand, nullptr);
    EXPECT_EQ(base->samples.size(), 4u) << "one sample per round";
    EXPECT_EQ(cand->samples.size(), 4u);
    EXPECT_GT(median(cand->samples), 1.5 * median(base->samples))
        << "the candidate does four times the work";
    const auto described = out.describe(spec, *plan);
    EXPECT_EQ(described["rounds"], 4);
    EXPECT_EQ(described["order"], nlohmann::json({"AB", "BA", "AB", "BA"}));
    EXPECT_EQ(described["candidate"]["binary"], SAMPLE_GBENCH_SLOWER);
    EXPECT_EQ(out.suite.programs.size(), 2u);
}

TEST(AbRunner, ACrashEndsTheRoundsAndKeepsCompleteOnes) {
    AbSpec spec = sample_spec(4);
    spec.baseline.filter = spec.candidate.filter = "^BM_(Fill|Crash)";
    spec.candidate.env = {{"SAMPLE_GBENCH_CRASH", "1"}};
    auto plan = plan_ab(spec);
    ASSERT_TRUE(plan);
    const AbOutcome out = run_ab(spec, *plan, nullptr);
    EXPECT_TRUE(out.suite.failed);
    EXPECT_NE(out.suite.failure.find("round 1"), std::string::npos) << out.suite.failure;
    EXPECT_TRUE(out.order.empty()) << "round 1 never completed";
    EXPECT_TRUE(out.suite.results.measurements.empty());
    EXPECT_FALSE(out.suite.results.failures.empty());
}

}  // namespace
}  // namespace perftrack::runner
