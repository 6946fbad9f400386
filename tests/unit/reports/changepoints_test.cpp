// Offline change points on series whose runs land on two machine types: a step smaller than the
// gap between the machines is found once the modes are taken out, the modes alone make no
// change point, and a stretch of commits at another level (a step and its reversal) is still
// two change points, not a mode.
#include "reports/detect/changepoints.hpp"

#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace perftrack::reports::detect {
namespace {

// One run per commit: `level(i)`, times 1.08 on the slower machine (about one commit in three,
// scattered at random), with 0.3 % noise. Deterministic.
template <typename Level>
std::vector<SeriesPoint> two_machines(std::size_t n, Level level, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<SeriesPoint> out;
    for (std::size_t i = 0; i < n; ++i) {
        // Box-Muller on our own draws: std::normal_distribution is implementation-defined.
        const double z = std::sqrt(-2.0 * std::log(u(rng))) * std::cos(6.283185307179586 * u(rng));
        const double machine = u(rng) < 0.35 ? 1.08 : 1.0;
        out.push_back({i, {level(i) * machine * (1.0 + 0.003 * z)}});
    }
    return out;
}

TEST(ChangePoints, AStepSmallerThanTheMachineGapIsFound) {
    for (std::uint64_t seed : {1, 2, 3}) {
        const auto points = two_machines(
            120, [](std::size_t i) { return i < 70 ? 100.0 : 103.0; }, seed);
        const auto cps = find_change_points(points);
        ASSERT_EQ(cps.size(), 1u) << "seed " << seed;
        EXPECT_NEAR(static_cast<double>(cps[0].position), 70.0, 2.0);
        EXPECT_NEAR(cps[0].change, 0.03, 0.01);
    }
}

TEST(ChangePoints, TwoMachinesAloneAreNoChange) {
    for (std::uint64_t seed : {4, 5, 6})
        EXPECT_TRUE(find_change_points(two_machines(
                                           120, [](std::size_t) { return 100.0; }, seed))
                        .empty())
            << "seed " << seed;
}

TEST(ChangePoints, AStretchAtAnotherLevelIsTwoStepsNotAMode) {
    std::vector<SeriesPoint> points;
    for (std::size_t i = 0; i < 120; ++i) {
        const double level = i >= 50 && i < 70 ? 108.0 : 100.0;
        points.push_back({i, {level * (1.0 + 0.003 * std::sin(1.7 * static_cast<double>(i)))}});
    }
    const auto cps = find_change_points(points);
    ASSERT_EQ(cps.size(), 2u);
    EXPECT_EQ(cps[0].position, 50u);
    EXPECT_EQ(cps[1].position, 70u);
}

}  // namespace
}  // namespace perftrack::reports::detect
