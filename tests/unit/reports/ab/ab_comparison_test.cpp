// Judging A/B pairs: direction-aware verdicts, exact Wilcoxon p-values, Benjamini-Hochberg
// across pairs, the minimum change, and the fallback when rounds are too few for alpha.
#include "reports/ab/ab_comparison.hpp"

#include <gtest/gtest.h>

namespace perftrack::reports::ab {
namespace {

core::Measurement series(const std::string& benchmark, const std::string& side,
                         const std::string& metric, core::Direction direction,
                         std::vector<double> samples) {
    core::Measurement m;
    m.series.suite = "s";
    m.series.benchmark = benchmark;
    m.series.params = {{"n", 8}, {k_side_param, side}};
    m.series.metric = metric;
    m.series.unit = metric == "throughput" ? "items/s" : "ns";
    m.series.direction = direction;
    m.samples = std::move(samples);
    return m;
}

std::vector<double> scaled(const std::vector<double>& x, double factor) {
    std::vector<double> out;
    for (double v : x) out.push_back(v * factor);
    return out;
}

// Distinct values, so the differences to a scaled copy are distinct too (no ties: the exact
// signed-rank distribution applies).
const std::vector<double> k_base = {100, 101, 99, 102, 98, 103, 97, 104, 96, 105};

const AbVerdict& find(const AbReport& r, const std::string& benchmark, const std::string& metric) {
    for (const auto& v : r.results)
        if (v.series.benchmark == benchmark && v.series.metric == metric) return v;
    throw std::runtime_error("no verdict for " + benchmark);
}

TEST(AbComparison, DirectionAwareVerdictsWithCorrectedPValues) {
    const auto lower = core::Direction::lower;
    const auto higher = core::Direction::higher;
    std::vector<core::Measurement> ms = {
        // 10 % slower in every round: a regression.
        series("slower", k_baseline, "real_time", lower, k_base),
        series("slower", k_candidate, "real_time", lower, scaled(k_base, 1.10)),
        // 10 % more throughput in every round: an improvement.
        series("faster", k_baseline, "throughput", higher, k_base),
        series("faster", k_candidate, "throughput", higher, scaled(k_base, 1.10)),
        // 0.5 % slower in every round: significant, but below the 2 % minimum change.
        series("tiny", k_baseline, "real_time", lower, k_base),
        series("tiny", k_candidate, "real_time", lower, scaled(k_base, 1.005)),
        // No partner.
        series("gone", k_baseline, "real_time", lower, k_base),
    };
    auto r = compare_ab(ms, AbSettings{});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->results.size(), 4u);
    EXPECT_EQ(r->results[0].status, AbStatus::regression) << "regressions come first";

    const auto& slower = find(*r, "slower", "real_time");
    EXPECT_EQ(slower.status, AbStatus::regression);
    EXPECT_NEAR(slower.change, 0.10, 1e-12);
    EXPECT_EQ(slower.series.params.dump(), R"({"n":8})") << "the side is not part of the identity";
    // Exact two-sided signed-rank p for 10 differences of one sign: 2 / 2^10.
    ASSERT_TRUE(slower.p_value);
    EXPECT_DOUBLE_EQ(*slower.p_value, 2.0 / 1024);
    // BH over three tested pairs with equal p-values: q = p * 3 / 3.
    EXPECT_DOUBLE_EQ(*slower.q_value, 2.0 / 1024);
    EXPECT_NEAR(slower.ci_low, 0.10, 1e-9) << "every round changed by exactly 10 %";
    EXPECT_NEAR(slower.ci_high, 0.10, 1e-9);
    EXPECT_EQ(slower.baseline.n, 10u);
    EXPECT_DOUBLE_EQ(slower.baseline.mean, 100.5);
    EXPECT_DOUBLE_EQ(slower.candidate.median, 110.55);

    EXPECT_EQ(find(*r, "faster", "throughput").status, AbStatus::improvement);
    const auto& tiny = find(*r, "tiny", "real_time");
    EXPECT_EQ(tiny.status, AbStatus::unchanged);
    EXPECT_LE(*tiny.q_value, 0.05) << "significant, yet too small to matter";
    const auto& gone = find(*r, "gone", "real_time");
    EXPECT_EQ(gone.status, AbStatus::insufficient_data);
    EXPECT_EQ(gone.note, "measured only in the baseline");
}

TEST(AbComparison, NoiseIsUnchangedAndPerMetricMinimumApplies) {
    const auto lower = core::Direction::lower;
    // Candidate alternately faster and slower by 3 %: no consistent shift.
    std::vector<double> cand;
    for (std::size_t i = 0; i < k_base.size(); ++i)
        cand.push_back(k_base[i] * (i % 2 ? 1.03 : 0.97));
    std::vector<core::Measurement> ms = {
        series("noisy", k_baseline, "real_time", lower, k_base),
        series("noisy", k_candidate, "real_time", lower, cand),
        series("slower", k_baseline, "cpu_time", lower, k_base),
        series("slower", k_candidate, "cpu_time", lower, scaled(k_base, 1.10)),
    };
    AbSettings settings;
    settings.min_change_pct_by_metric["cpu_time"] = 15;
    auto r = compare_ab(ms, settings);
    ASSERT_TRUE(r);
    EXPECT_EQ(find(*r, "noisy", "real_time").status, AbStatus::unchanged);
    const auto& slower = find(*r, "slower", "cpu_time");
    EXPECT_EQ(slower.status, AbStatus::unchanged) << "10 % is below this metric's 15 %";
    EXPECT_DOUBLE_EQ(slower.min_change, 0.15);
}

TEST(AbComparison, TooFewRoundsFallBackToTheThresholdAndSaySo) {
    const auto lower = core::Direction::lower;
    const std::vector<double> four = {100, 100, 100, 100};
    std::vector<core::Measurement> ms = {
        series("b", k_baseline, "real_time", lower, four),
        series("b", k_candidate, "real_time", lower, {110, 111, 109, 110}),
    };
    auto r = compare_ab(ms, AbSettings{});
    ASSERT_TRUE(r);
    const auto& v = r->results.at(0);
    EXPECT_EQ(v.status, AbStatus::regression);
    EXPECT_FALSE(v.p_value);
    EXPECT_EQ(v.note,
              "4 rounds with a difference cannot reach alpha 0.05 (needs 6); judged by "
              "the minimum change alone");
}

TEST(AbComparison, UnequalSidesAndBadSettings) {
    const auto lower = core::Direction::lower;
    std::vector<core::Measurement> ms = {
        series("b", k_baseline, "real_time", lower, {1, 2, 3}),
        series("b", k_candidate, "real_time", lower, {1, 2}),
        series("plain", "", "real_time", lower, {1}),
    };
    ms.back().series.params = core::Params::object();  // not an A/B series: ignored
    auto r = compare_ab(ms, AbSettings{});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->results.size(), 1u);
    EXPECT_EQ(r->results[0].status, AbStatus::insufficient_data);
    AbSettings bad;
    bad.alpha = 0;
    EXPECT_FALSE(compare_ab(ms, bad));
}

TEST(AbComparison, RendersTextAndJson) {
    const auto lower = core::Direction::lower;
    std::vector<core::Measurement> ms = {
        series("slower", k_baseline, "real_time", lower, k_base),
        series("slower", k_candidate, "real_time", lower, scaled(k_base, 1.10)),
    };
    auto r = compare_ab(ms, AbSettings{});
    ASSERT_TRUE(r);
    EXPECT_EQ(render_ab_text(*r),
              "A/B comparison of 1 series: 1 regressions, 0 improvements, 0 unchanged, 0 without "
              "enough data (Wilcoxon signed-rank on paired rounds, Benjamini-Hochberg at 0.05, "
              "minimum change 2%)\n"
              "status               change  95% CI                    q  series\n"
              "regression           +10.0%  [+10.0%, +10.0%]     0.0020  s/slower {n=8} "
              "real_time\n");
    const auto j = render_ab_json(*r);
    const auto& row = j["results"][0];
    EXPECT_EQ(row["status"], "regression");
    EXPECT_EQ(row["benchmark"], "slower");
    EXPECT_EQ(row["params"], nlohmann::json({{"n", 8}}));
    EXPECT_EQ(row["direction"], "lower");
    EXPECT_EQ(row["ci"].size(), 2u);
    EXPECT_DOUBLE_EQ(row["p_value"].get<double>(), 2.0 / 1024);
    EXPECT_EQ(row["baseline"]["n"], 10);
    EXPECT_EQ(j["summary"]["regressions"], 1);
    EXPECT_EQ(j["summary"]["mode"], "ab");
    const std::string md = render_ab_markdown(*r);
    EXPECT_EQ(md.rfind("**A/B comparison of 1 series: 1 regressions", 0), 0u) << md;
    EXPECT_NE(md.find("| regression | s/slower {n=8} real\\_time | +10.0% | [+10.0%, +10.0%] | "
                      "0.0020 |"),
              std::string::npos)
        << md;
}

}  // namespace
}  // namespace perftrack::reports::ab
