#include "examples/ml/latency_stats.hpp"

#include <gtest/gtest.h>

namespace perftrack::examples::ml {
namespace {

// Reference values from numpy 1.24: numpy.percentile(values, p) (linear, type 7).
TEST(Percentile, MatchesNumpyLinearInterpolation) {
    const std::vector<double> values{5, 1, 9, 3, 7};
    EXPECT_DOUBLE_EQ(percentile(values, 50), 5.0);
    EXPECT_DOUBLE_EQ(percentile(values, 95), 8.6);
    EXPECT_DOUBLE_EQ(percentile(values, 99), 8.92);
    EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 50), 2.5);
    EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 95), 3.85);
}

TEST(Percentile, EndsAreMinimumAndMaximum) {
    EXPECT_DOUBLE_EQ(percentile({4, 2, 8}, 0), 2.0);
    EXPECT_DOUBLE_EQ(percentile({4, 2, 8}, 100), 8.0);
}

TEST(Percentile, OneValueIsEveryPercentile) {
    EXPECT_DOUBLE_EQ(percentile({7}, 1), 7.0);
    EXPECT_DOUBLE_EQ(percentile({7}, 99), 7.0);
}

TEST(Percentile, EmptyInputIsZero) {
    EXPECT_DOUBLE_EQ(percentile({}, 95), 0.0);
}

TEST(Percentile, StatisticFunctionsUseTheirPercentile) {
    const std::vector<double> values{5, 1, 9, 3, 7};
    EXPECT_DOUBLE_EQ(p50(values), 5.0);
    EXPECT_DOUBLE_EQ(p95(values), 8.6);
    EXPECT_DOUBLE_EQ(p99(values), 8.92);
}

}  // namespace
}  // namespace perftrack::examples::ml
