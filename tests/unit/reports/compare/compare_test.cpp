// perftrack compare's statistics on data with known answers (a 10 % slowdown is found with its
// interval; identical distributions are not; BH over 200 rows of noise flags nothing) and
// against scipy / statsmodels reference values.
#include "reports/compare/compare.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "reports/stats/bootstrap.hpp"

namespace perftrack::reports::compare {
namespace {

core::SeriesId series_of(const std::string& benchmark, const std::string& metric = "real_time",
                         const std::string& unit = "ns",
                         core::Direction direction = core::Direction::lower) {
    core::SeriesId id;
    id.suite = "s";
    id.benchmark = benchmark;
    id.metric = metric;
    id.unit = unit;
    id.direction = direction;
    return id;
}

// n values centre * (1 + noise * u), u uniform in [-1, 1) from a seeded generator (the
// project's own, so the data are the same on every machine).
std::vector<double> noisy(stats::Xoshiro256& rng, std::size_t n, double centre, double noise) {
    std::vector<double> x(n);
    for (auto& v : x) {
        const double u = static_cast<double>(rng.next() >> 11) * 0x1.0p-53 * 2.0 - 1.0;
        v = centre * (1.0 + noise * u);
    }
    return x;
}

Comparison judge(std::vector<RowInput> rows, CompareSettings settings = {}) {
    auto r = compare_rows(std::move(rows), settings);
    EXPECT_TRUE(r) << r.error().message;
    return *r;
}

TEST(Compare, TenPercentSlowerWithThirtySamplesIsSignificant) {
    stats::Xoshiro256 rng(1);
    auto reference = noisy(rng, 30, 100.0, 0.01);
    auto candidate = noisy(rng, 30, 110.0, 0.01);
    const auto c = judge({RowInput{series_of("BM_a"), "", reference, candidate}});
    ASSERT_EQ(c.rows.size(), 1u);
    const Row& row = c.rows[0];
    EXPECT_EQ(row.verdict, Verdict::worse);
    EXPECT_EQ(verdict_words(row.verdict, row.series), "slower") << "a time in ns";
    EXPECT_EQ(row.method, Method::unpaired);
    ASSERT_TRUE(row.ratio);
    EXPECT_NEAR(*row.ratio, 1.10, 0.01);
    EXPECT_GT(row.ci_low, 1.0) << "the interval excludes 1";
    EXPECT_LE(row.ci_low, *row.ratio);
    EXPECT_GE(row.ci_high, *row.ratio);
    EXPECT_LT(row.ci_high, 1.12) << "small noise: a narrow interval";
    EXPECT_GT(row.ci_low, 1.08);
    // Complete separation of 30 + 30 values: the normal approximation's p is about 3e-11.
    ASSERT_TRUE(row.p_value);
    EXPECT_LT(*row.p_value, 1e-9);
    EXPECT_EQ(row.reference.n, 30u);
    EXPECT_NEAR(row.reference.median, 100.0, 1.0);
    EXPECT_NEAR(row.candidate.median, 110.0, 1.1);
}

TEST(Compare, TenPercentMoreThroughputIsFasterAndMoreMemoryIsWorse) {
    stats::Xoshiro256 rng(2);
    const auto r1 = noisy(rng, 30, 1000.0, 0.01);
    const auto c1 = noisy(rng, 30, 1100.0, 0.01);
    const auto r2 = noisy(rng, 30, 1e6, 0.01);
    const auto c2 = noisy(rng, 30, 1.1e6, 0.01);
    const auto c = judge(
        {RowInput{series_of("t", "throughput", "items/s", core::Direction::higher), "", r1, c1},
         RowInput{series_of("m", "peak_memory", "B", core::Direction::lower), "", r2, c2}});
    EXPECT_EQ(c.rows[0].verdict, Verdict::better);
    EXPECT_EQ(verdict_words(c.rows[0].verdict, c.rows[0].series), "faster");
    EXPECT_EQ(c.rows[1].verdict, Verdict::worse);
    EXPECT_EQ(verdict_words(c.rows[1].verdict, c.rows[1].series), "worse") << "memory is no speed";
}

TEST(Compare, IdenticalDistributionsAreNoSignificantDifference) {
    stats::Xoshiro256 rng(3);
    const auto reference = noisy(rng, 30, 100.0, 0.05);
    const auto candidate = noisy(rng, 30, 100.0, 0.05);
    const auto c = judge({RowInput{series_of("same_distribution"), "", reference, candidate},
                          RowInput{series_of("same_samples"), "", reference, reference}});
    for (const auto& row : c.rows) {
        EXPECT_EQ(row.verdict, Verdict::no_difference) << row.series.benchmark;
        EXPECT_EQ(verdict_words(row.verdict, row.series), "no significant difference");
        EXPECT_LE(row.ci_low, 1.0) << "the interval contains 1";
        EXPECT_GE(row.ci_high, 1.0);
        EXPECT_GT(*row.p_value, 0.05);
    }
    EXPECT_DOUBLE_EQ(*c.rows[1].ratio, 1.0);
    EXPECT_DOUBLE_EQ(*c.rows[1].p_value, 1.0);
}

TEST(Compare, BenjaminiHochbergOverTwoHundredRowsOfNoiseFlagsNothing) {
    stats::Xoshiro256 rng(20261205);
    std::vector<RowInput> rows;
    for (int i = 0; i < 200; ++i)
        rows.push_back(RowInput{series_of("noise_" + std::to_string(i)), "",
                                noisy(rng, 20, 50.0, 0.1), noisy(rng, 20, 50.0, 0.1)});
    const auto c = judge(std::move(rows));
    ASSERT_EQ(c.rows.size(), 200u);
    EXPECT_EQ(c.count(Verdict::no_difference), 200u);
    // Without the adjustment some rows would have been flagged (about 5 % of 200): the test
    // would fail if BH were skipped.
    std::size_t raw = 0;
    for (const auto& row : c.rows) raw += *row.p_value <= 0.05 ? 1 : 0;
    EXPECT_GE(raw, 3u) << "the noise produced raw p-values under 0.05";
    for (const auto& row : c.rows) EXPECT_GT(*row.q_value, 0.05) << row.series.benchmark;
}

// Reference data for the scipy / statsmodels values below (ties between the samples: the
// normal approximation with tie and continuity corrections).
const std::vector<double> k_ref = {10.2, 9.8, 10.5, 10.1, 9.9,  10.7,
                                   10.3, 9.6, 10.0, 10.4, 10.8, 9.7};
const std::vector<double> k_cand = {10.9, 11.3, 10.6, 11.8, 11.0, 10.4, 11.5,
                                    11.1, 12.0, 10.8, 11.2, 11.6, 10.7, 11.4};

TEST(CompareReference, UnpairedMatchesScipyAndNumpy) {
    const auto c = judge({RowInput{series_of("a"), "", k_ref, k_cand}});
    const Row& row = c.rows[0];
    // scipy 1.17.1: stats.mannwhitneyu(cand, ref, alternative='two-sided',
    // use_continuity=True, method='auto').pvalue
    EXPECT_NEAR(*row.p_value, 9.190549845821899e-05, 1e-12);
    // numpy: np.exp(np.median(np.subtract.outer(np.log(cand), np.log(ref))))
    EXPECT_NEAR(*row.ratio, 1.098524451122786, 1e-12);
    EXPECT_EQ(row.verdict, Verdict::worse);
    EXPECT_GT(row.ci_low, 1.0);
}

TEST(CompareReference, PairedMatchesScipy) {
    const std::vector<double> cand12(k_cand.begin(), k_cand.begin() + 12);
    CompareSettings settings;
    settings.paired = true;
    const auto c = judge({RowInput{series_of("a"), "", k_ref, cand12}}, settings);
    const Row& row = c.rows[0];
    EXPECT_EQ(row.method, Method::paired);
    // scipy 1.17.1: stats.wilcoxon(np.log(cand12) - np.log(ref), method='auto').pvalue
    // (exact: 12 distinct non-zero differences, statistic 2)
    EXPECT_NEAR(*row.p_value, 0.00146484375, 1e-15);
    // numpy: exp of the median of the Walsh averages (d_i + d_j) / 2, i <= j
    EXPECT_NEAR(*row.ratio, 1.1006853300658312, 1e-12);
    EXPECT_EQ(row.verdict, Verdict::worse);
}

TEST(CompareReference, QValuesMatchStatsmodels) {
    std::vector<double> reversed(k_ref.rbegin(), k_ref.rend());
    for (auto& v : reversed) v *= 1.01;
    std::vector<double> cand_faster = k_cand;
    for (auto& v : cand_faster) v *= 0.9;
    const auto c = judge(
        {RowInput{series_of("a"), "", k_ref, k_cand}, RowInput{series_of("b"), "", k_ref, reversed},
         RowInput{series_of("c"), "", k_cand, cand_faster},
         RowInput{series_of("d"), "", k_ref, {10.0, 10.1, 10.2, 10.3, 10.4, 10.5, 10.6}}});
    // scipy 1.17.1 mannwhitneyu(candidate, reference, method='auto').pvalue per row
    const double p[] = {9.190549845821899e-05, 0.525282721765125, 2.8919613860364086e-05,
                        0.4208094054177579};
    // statsmodels 0.15.0: multipletests(p, method='fdr_bh')[1]
    const double q[] = {0.00018381099691643798, 0.525282721765125, 0.00011567845544145634,
                        0.525282721765125};
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_NEAR(*c.rows[i].p_value, p[i], 1e-12) << i;
        EXPECT_NEAR(*c.rows[i].q_value, q[i], 1e-12) << i;
    }
    EXPECT_EQ(c.rows[0].verdict, Verdict::worse);
    EXPECT_EQ(c.rows[1].verdict, Verdict::no_difference);
    EXPECT_EQ(c.rows[2].verdict, Verdict::better);
    EXPECT_EQ(c.rows[3].verdict, Verdict::no_difference);
}

TEST(Compare, PairedRowsOfDifferentLengthsFallBackToUnpaired) {
    CompareSettings settings;
    settings.paired = true;
    const auto c = judge({RowInput{series_of("a"), "", k_ref, k_cand}}, settings);
    EXPECT_EQ(c.rows[0].method, Method::unpaired);
    EXPECT_NE(c.rows[0].note.find("12 and 14 samples do not pair"), std::string::npos)
        << c.rows[0].note;
    EXPECT_NEAR(*c.rows[0].p_value, 9.190549845821899e-05, 1e-12);
}

TEST(Compare, TooFewSamplesGiveAnUnboundedIntervalAndNoVerdict) {
    const auto c = judge({RowInput{series_of("one_each"), "", {10.0}, {20.0}}});
    const Row& row = c.rows[0];
    EXPECT_DOUBLE_EQ(*row.ratio, 2.0);
    EXPECT_EQ(row.ci_low, 0.0) << "exp(-inf): no lower bound";
    EXPECT_TRUE(std::isinf(row.ci_high));
    EXPECT_EQ(row.verdict, Verdict::no_difference);
    EXPECT_EQ(row.note, "1 and 1 samples: too few for a 95% interval");
}

TEST(Compare, RowsWithoutARatioAreNotCompared) {
    const auto c = judge({RowInput{series_of("zero"), "", {0.0, 1.0}, {1.0, 2.0}},
                          RowInput{series_of("empty"), "", {}, {1.0}},
                          RowInput{series_of("fine"), "", k_ref, k_cand}});
    EXPECT_EQ(c.rows[0].verdict, Verdict::insufficient);
    EXPECT_NE(c.rows[0].note.find("zero, negative"), std::string::npos);
    EXPECT_FALSE(c.rows[0].ratio);
    EXPECT_EQ(c.rows[1].verdict, Verdict::insufficient);
    EXPECT_EQ(c.rows[1].note, "no samples on the reference side");
    EXPECT_EQ(verdict_words(c.rows[1].verdict, c.rows[1].series), "not compared");
    // Only the compared row is in the BH family: q equals p for one test.
    EXPECT_DOUBLE_EQ(*c.rows[2].q_value, *c.rows[2].p_value);
}

TEST(Compare, SettingsOutOfRangeAreInputErrors) {
    CompareSettings s;
    s.alpha = 1.5;
    auto r = compare_rows({}, s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::ErrorKind::input);
    s.alpha = 0.05;
    s.confidence = 0;
    EXPECT_FALSE(compare_rows({}, s));
}

}  // namespace
}  // namespace perftrack::reports::compare
