#include "reports/render/baseline_band.hpp"

#include <gtest/gtest.h>

namespace perftrack::reports::render {
namespace {

TEST(QuantileSorted, MatchesNumpyType7) {
    // numpy.quantile([3, 1, 4, 1.5, 9, 2.6, 5], q) for q = 0.1, 0.5, 0.9.
    std::vector<double> v = {1.0, 1.5, 2.6, 3.0, 4.0, 5.0, 9.0};
    EXPECT_NEAR(quantile_sorted(v, 0.1), 1.3, 1e-12);
    EXPECT_NEAR(quantile_sorted(v, 0.5), 3.0, 1e-12);
    EXPECT_NEAR(quantile_sorted(v, 0.9), 6.6, 1e-12);
    const std::vector<double> three = {1.0, 2.0, 3.0};
    EXPECT_NEAR(quantile_sorted(three, 0.1), 1.2, 1e-12);
    EXPECT_NEAR(quantile_sorted(three, 0.9), 2.8, 1e-12);
    const std::vector<double> one = {7.0};
    EXPECT_EQ(quantile_sorted(one, 0.9), 7.0);
}

TEST(MedianOf, OddAndEvenCounts) {
    EXPECT_EQ(median_of({5, 1, 3}), 3);
    EXPECT_EQ(median_of({4, 1, 3, 2}), 2.5);
}

TEST(RollingBands, UsesOnlyEarlierPointsWithinTheWindow) {
    const std::vector<double> medians = {1, 2, 3, 4, 5, 6};
    const std::vector<std::size_t> starts(medians.size(), 0);
    BandRule rule;
    rule.window = 3;
    rule.min_points = 2;
    const auto bands = bands_over(medians, rolling_windows(starts, rule), rule);
    ASSERT_EQ(bands.size(), 6u);
    EXPECT_FALSE(bands[0]);
    EXPECT_FALSE(bands[1]);  // one earlier point < min_points
    ASSERT_TRUE(bands[2]);   // points 0..1
    EXPECT_DOUBLE_EQ(bands[2]->median, 1.5);
    EXPECT_EQ(bands[2]->commits, 2u);
    ASSERT_TRUE(bands[5]);  // window of 3: points 2..4 = {3, 4, 5}
    EXPECT_DOUBLE_EQ(bands[5]->median, 4.0);
    EXPECT_DOUBLE_EQ(bands[5]->low, 3.2);
    EXPECT_DOUBLE_EQ(bands[5]->high, 4.8);
    EXPECT_EQ(bands[5]->commits, 3u);
}

TEST(RollingBands, ARestartEmptiesTheBaseline) {
    const std::vector<double> medians = {10, 10, 10, 10, 20, 20, 20, 20};
    // A baseline reset at point 4: points 4.. may only use points from 4 on.
    const std::vector<std::size_t> starts = {0, 0, 0, 0, 4, 4, 4, 4};
    BandRule rule;
    const auto bands = bands_over(medians, rolling_windows(starts, rule), rule);
    ASSERT_TRUE(bands[3]);
    EXPECT_DOUBLE_EQ(bands[3]->median, 10);
    EXPECT_FALSE(bands[4]);
    EXPECT_FALSE(bands[5]);
    EXPECT_FALSE(bands[6]);
    ASSERT_TRUE(bands[7]);
    EXPECT_DOUBLE_EQ(bands[7]->median, 20);
    EXPECT_DOUBLE_EQ(bands[7]->low, 20);
}

TEST(BandsOver, ExplicitWindowsIncludingOnesThatMoveBack) {
    const std::vector<double> medians = {5, 1, 4, 2, 3, 9};
    std::vector<std::optional<PointWindow>> windows(6);
    windows[3] = PointWindow{0, 3};  // {5, 1, 4}
    windows[4] = PointWindow{1, 4};  // {1, 4, 2}
    windows[5] = PointWindow{0, 5};  // moves back: refilled, {5, 1, 4, 2, 3}
    const auto bands = bands_over(medians, windows, BandRule{});
    EXPECT_FALSE(bands[2]);
    ASSERT_TRUE(bands[3]);
    EXPECT_DOUBLE_EQ(bands[3]->median, 4);
    ASSERT_TRUE(bands[4]);
    EXPECT_DOUBLE_EQ(bands[4]->median, 2);
    ASSERT_TRUE(bands[5]);
    EXPECT_DOUBLE_EQ(bands[5]->median, 3);
    EXPECT_EQ(bands[5]->commits, 5u);
}

}  // namespace
}  // namespace perftrack::reports::render
