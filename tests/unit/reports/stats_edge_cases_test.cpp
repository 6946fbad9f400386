// Edge cases the statistics functions document: empty input, n = 1, n = 2, all values equal,
// ties, NaN rejected, determinism of the bootstrap.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "reports/stats/bootstrap.hpp"
#include "reports/stats/descriptive.hpp"
#include "reports/stats/distributions.hpp"
#include "reports/stats/fdr.hpp"
#include "reports/stats/hodges_lehmann.hpp"
#include "reports/stats/rank_tests.hpp"
#include "reports/stats/t_tests.hpp"

namespace perftrack::reports::stats {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();
const std::vector<double> k_empty;

TEST(StatsEdges, EmptyInputIsAnInputError) {
    EXPECT_FALSE(mean(k_empty));
    EXPECT_FALSE(median(k_empty));
    EXPECT_FALSE(mad(k_empty));
    EXPECT_FALSE(trimmed_mean(k_empty, 0.1));
    EXPECT_FALSE(mann_whitney_u(k_empty, std::vector<double>{1.0}));
    EXPECT_FALSE(wilcoxon_signed_rank(k_empty));
    EXPECT_FALSE(hodges_lehmann_shift(k_empty, std::vector<double>{1.0}));
    EXPECT_FALSE(bootstrap_ci(k_empty, [](std::span<const double>) { return 0.0; }));
    auto q = benjamini_hochberg(k_empty);
    ASSERT_TRUE(q);
    EXPECT_TRUE(q->empty());
    EXPECT_EQ(mean(k_empty).error().kind, core::ErrorKind::input);
}

TEST(StatsEdges, NanIsRejectedWithAMessage) {
    const std::vector<double> x{1.0, k_nan, 3.0}, y{1.0, 2.0, 3.0};
    auto m = mean(x);
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().message.find("NaN"), std::string::npos);
    EXPECT_FALSE(median(x));
    EXPECT_FALSE(variance(x));
    EXPECT_FALSE(mann_whitney_u(x, y));
    EXPECT_FALSE(wilcoxon_signed_rank(x, y));
    EXPECT_FALSE(welch_t_test(x, y));
    EXPECT_FALSE(hodges_lehmann_paired(x));
    EXPECT_FALSE(benjamini_hochberg(x));
    EXPECT_FALSE(benjamini_hochberg(std::vector<double>{0.5, 1.5}));
}

TEST(StatsEdges, SingleValues) {
    const std::vector<double> one{7.0};
    EXPECT_EQ(*mean(one), 7.0);
    EXPECT_EQ(*median(one), 7.0);
    EXPECT_EQ(*mad(one), 0.0);
    EXPECT_FALSE(variance(one));  // needs two values
    EXPECT_FALSE(student_t_test(one, std::vector<double>{1.0, 2.0}));
    auto b = bootstrap_ci(one, [](std::span<const double> s) { return *mean(s); });
    ASSERT_TRUE(b);
    EXPECT_EQ(b->ci_low, 7.0);
    EXPECT_EQ(b->ci_high, 7.0);
}

TEST(StatsEdges, AllValuesEqual) {
    const std::vector<double> c{4.0, 4.0, 4.0, 4.0}, d{4.0, 4.0, 4.0}, e{5.0, 5.0, 5.0};
    EXPECT_EQ(*variance(c), 0.0);
    EXPECT_EQ(*mad(c, k_mad_normal_scale), 0.0);
    auto same = welch_t_test(c, d);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->t, 0.0);
    EXPECT_EQ(same->p_value, 1.0);
    auto differ = student_t_test(c, e);
    ASSERT_TRUE(differ);
    EXPECT_EQ(differ->t, -k_inf);
    EXPECT_EQ(differ->p_value, 0.0);
    EXPECT_EQ(mann_whitney_u(c, d)->p_value, 1.0);
    auto zeros = wilcoxon_signed_rank(std::vector<double>{0.0, 0.0});
    ASSERT_FALSE(zeros);
    EXPECT_NE(zeros.error().message.find("zero"), std::string::npos);
}

TEST(StatsEdges, TiesSwitchTheRankTestsToTheApproximation) {
    const std::vector<double> d{1.0, -1.0, 2.0, 3.0};
    EXPECT_EQ(wilcoxon_signed_rank(d)->method, PValueMethod::normal_approximation);
    const std::vector<double> untied{1.0, -1.5, 2.0, 3.0};
    EXPECT_EQ(wilcoxon_signed_rank(untied)->method, PValueMethod::exact);
}

TEST(StatsEdges, TrimmedMeanCuts) {
    const std::vector<double> x{1, 2, 3, 4, 100};
    EXPECT_DOUBLE_EQ(*trimmed_mean(x, 0.2), 3.0);      // int(0.2 * 5) = 1 from each end
    EXPECT_DOUBLE_EQ(*trimmed_mean(x, 0.1), 22.0);     // int(0.5) = 0: the plain mean
    EXPECT_DOUBLE_EQ(*trimmed_mean_count(x, 2), 3.0);  // the median
    EXPECT_FALSE(trimmed_mean(x, 0.5));
    EXPECT_FALSE(trimmed_mean_count(std::vector<double>{1, 2}, 1));
}

TEST(StatsEdges, InfinitiesAreOrderedByRankTestsButRejectedByMoments) {
    const std::vector<double> x{1.0, 2.0, k_inf}, y{-k_inf, 0.0, 0.5};
    auto u = mann_whitney_u(x, y, Alternative::greater);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->u, 9.0);
    EXPECT_FALSE(mean(x));
}

TEST(StatsEdges, DistributionsAtTheirLimits) {
    EXPECT_EQ(normal_quantile(0.0), -k_inf);
    EXPECT_EQ(normal_quantile(1.0), k_inf);
    EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
    EXPECT_TRUE(std::isnan(students_t_sf(1.0, 0.0)));
    EXPECT_EQ(students_t_sf(k_inf, 3.0), 0.0);
    EXPECT_DOUBLE_EQ(students_t_cdf(1.3, k_inf), normal_cdf(1.3));
    // The upper tail keeps its precision far beyond 1 - cdf.
    EXPECT_GT(normal_sf(12.0), 0.0);
    EXPECT_NEAR(normal_sf(12.0) / 1.7764821120776e-33, 1.0, 1e-9);
}

TEST(StatsEdges, BootstrapIsDeterministicPerSeed) {
    const std::vector<double> x{3.1, 4.1, 5.9, 2.6, 5.3, 5.8, 9.7, 9.3, 2.3, 8.4};
    auto stat = [](std::span<const double> s) { return *median(s); };
    BootstrapOptions o;
    o.resamples = 2000;
    auto a = bootstrap_ci(x, stat, o), b = bootstrap_ci(x, stat, o);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->ci_low, b->ci_low);
    EXPECT_EQ(a->ci_high, b->ci_high);
    // Another seed draws other resamples (the mean takes so many values that the intervals
    // differ; the median of 10 values could coincide by chance).
    auto mean_stat = [](std::span<const double> s) { return *mean(s); };
    auto m1 = bootstrap_ci(x, mean_stat, o);
    o.seed = 12345;
    auto m2 = bootstrap_ci(x, mean_stat, o);
    EXPECT_TRUE(m1->ci_low != m2->ci_low || m1->ci_high != m2->ci_high);
    EXPECT_LE(a->ci_low, a->estimate);
    EXPECT_GE(a->ci_high, a->estimate);
    o.resamples = 10;
    EXPECT_FALSE(bootstrap_ci(x, stat, o));
}

TEST(StatsEdges, XoshiroMatchesTheReferenceImplementation) {
    // First outputs of xoshiro256** seeded through splitmix64 from 0 (reference C code of
    // Blackman & Vigna, prng.di.unimi.it).
    Xoshiro256 rng(0);
    EXPECT_EQ(rng.next(), 0x99ec5f36cb75f2b4ull);
    EXPECT_EQ(rng.next(), 0xbf6e1f784956452aull);
    Xoshiro256 bounded(42);
    for (int i = 0; i < 1000; ++i) EXPECT_LT(bounded.below(7), 7u);
}

TEST(StatsEdges, PairedBootstrapKeepsPairsTogether) {
    // b = 1.1 * a exactly: every resample has the same relative change.
    const std::vector<double> a{10, 12, 9, 15, 11}, b{11, 13.2, 9.9, 16.5, 12.1};
    BootstrapOptions o;
    o.resamples = 500;
    auto r = paired_bootstrap_ci(a, b, relative_change_of_means, o);
    ASSERT_TRUE(r);
    EXPECT_NEAR(r->estimate, 0.1, 1e-12);
    EXPECT_NEAR(r->ci_low, 0.1, 1e-12);
    EXPECT_NEAR(r->ci_high, 0.1, 1e-12);
    EXPECT_FALSE(paired_bootstrap_ci(a, std::vector<double>{1.0}, relative_change_of_means, o));
}

TEST(StatsEdges, BenjaminiHochbergIsMonotoneAndCapped) {
    auto q = benjamini_hochberg(std::vector<double>{0.04, 0.01, 0.03, 0.9});
    ASSERT_TRUE(q);
    EXPECT_DOUBLE_EQ((*q)[1], 0.04);  // 0.01 * 4 / 1
    EXPECT_DOUBLE_EQ((*q)[0], 0.04 * 4 / 3);
    EXPECT_DOUBLE_EQ((*q)[2], 0.04 * 4 / 3);  // min over the larger ranks
    EXPECT_DOUBLE_EQ((*q)[3], 0.9);
}

}  // namespace
}  // namespace perftrack::reports::stats
