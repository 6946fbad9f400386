#include "reports/render/trend_builder.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace perftrack::reports::render {
namespace {

store::History small_history() {
    store::History h;
    for (int r = 0; r < 6; ++r) {
        store::RunInfo run;
        run.id = r + 1;
        run.commit = "c" + std::to_string(r);
        run.commit_subject = "subject " + std::to_string(r);
        run.commit_time_us = 1000000LL * (r + 1);
        run.partial = r == 2;
        h.runs.push_back(run);
    }
    auto add = [&](std::string suite, std::string bench, core::Params params, std::string metric,
                   std::vector<std::vector<double>> samples) {
        store::SeriesHistory s;
        s.id.suite = std::move(suite);
        s.id.benchmark = std::move(bench);
        s.id.params = std::move(params);
        s.id.metric = std::move(metric);
        s.id.unit = "ns";
        for (std::uint32_t r = 0; r < samples.size(); ++r)
            if (!samples[r].empty()) s.points.push_back({r, samples[r]});
        h.series.push_back(std::move(s));
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    add("b_suite", "sort", {{"n", 64}}, "real_time",
        {{3, 1, 2}, {4, 4}, {5}, {nan}, {6, nan, 8}, {7}});
    add("a_suite", "hash", core::Params::object(), "real_time",
        {{10}, {10}, {10}, {10}, {20}, {20}});
    add("b_suite", "sort", {{"n", 8}}, "real_time", {{1}, {1}});
    return h;
}

TEST(BuildTrends, SortsSeriesAndSummarisesRepetitions) {
    const auto t = build_trends(small_history());
    ASSERT_EQ(t.commits.size(), 6u);
    EXPECT_EQ(t.commits[2].commit, "c2");
    EXPECT_EQ(t.commits[2].subject, "subject 2");
    EXPECT_TRUE(t.commits[2].partial);
    EXPECT_EQ(t.commits[2].runs, 1u);
    ASSERT_EQ(t.series.size(), 3u);
    EXPECT_EQ(t.series[0].id.benchmark, "hash");                  // a_suite first
    EXPECT_EQ(t.series[1].id.params, core::Params({{"n", 64}}));  // {"n":64} < {"n":8} as text
    EXPECT_EQ(t.series[2].id.params, core::Params({{"n", 8}}));

    const auto& sort = t.series[1];
    // Run 3 has only NaN: no point. Run 4 drops its NaN.
    ASSERT_EQ(sort.points.size(), 5u);
    EXPECT_EQ(sort.points[0].position, 0u);
    EXPECT_EQ(sort.points[0].median, 2);
    EXPECT_EQ(sort.points[0].min, 1);
    EXPECT_EQ(sort.points[0].max, 3);
    EXPECT_EQ(sort.points[0].repetitions, 3u);
    EXPECT_EQ(sort.points[1].median, 4);
    EXPECT_EQ(sort.points[3].position, 4u);
    EXPECT_EQ(sort.points[3].median, 7);
    EXPECT_EQ(sort.points[3].repetitions, 2u);
}

TEST(BuildTrends, BandStartsAfterThreeEarlierRuns) {
    const auto t = build_trends(small_history());
    const auto& hash = t.series[0];
    ASSERT_EQ(hash.points.size(), 6u);
    EXPECT_FALSE(hash.points[2].baseline);
    ASSERT_TRUE(hash.points[3].baseline);
    EXPECT_EQ(hash.points[3].baseline->median, 10);
    EXPECT_EQ(hash.points[3].baseline->commits, 3u);
    ASSERT_TRUE(hash.points[5].baseline);
    EXPECT_EQ(hash.points[5].baseline->commits, 5u);
    EXPECT_DOUBLE_EQ(hash.points[5].baseline->high, 16);  // 90th pct of {10,10,10,10,20}
}

TEST(BuildTrends, BaselineResetsApplyByGlobAndMetric) {
    auto h = small_history();
    store::BaselineReset reset;
    reset.benchmark_glob = "ha*";
    reset.commit = "c4";
    reset.commit_time_us = 5000000;  // run 4
    h.resets.push_back(reset);
    store::BaselineReset other_metric = reset;
    other_metric.benchmark_glob = "sort";
    other_metric.metric = "cpu_time";  // does not apply to real_time
    h.resets.push_back(other_metric);
    const auto t = build_trends(h);
    const auto& hash = t.series[0];
    EXPECT_FALSE(hash.points[4].baseline);  // the reset run itself has no baseline
    EXPECT_FALSE(hash.points[5].baseline);  // one run since the reset: too few
    const auto& sort = t.series[1];
    ASSERT_TRUE(sort.points[4].baseline);
    EXPECT_EQ(sort.points[4].baseline->commits, 4u);
}

TEST(BuildTrends, RunsOfOneCommitFormOnePosition) {
    auto h = small_history();
    // A re-run of commit c1, measured after c2's run.
    store::RunInfo rerun = h.runs[1];
    rerun.id = 99;
    rerun.commit_time_us = h.runs[1].commit_time_us;
    h.runs.push_back(rerun);
    h.series[1].points.push_back({6, {10.0, 30.0}});  // hash at the re-run
    const auto t = build_trends(h);
    ASSERT_EQ(t.commits.size(), 6u);
    EXPECT_EQ(t.commits[1].runs, 2u);
    const auto& hash = t.series[0];
    ASSERT_EQ(hash.points.size(), 6u);
    EXPECT_EQ(hash.points[1].position, 1u);
    EXPECT_EQ(hash.points[1].repetitions, 3u);  // {10} and {10, 30} pooled
    EXPECT_EQ(hash.points[1].median, 10);
    EXPECT_EQ(hash.points[1].max, 30);
    EXPECT_EQ(hash.points[1].runs, 2u);
    EXPECT_DOUBLE_EQ(hash.points[1].value, 15);  // mean of the run values 10 and 20
}

TEST(BuildComparisons, LatestValueByMetricWithDimensions) {
    auto t = build_trends(small_history());
    const auto groups = build_comparisons(t.series, std::nullopt);
    ASSERT_EQ(groups.size(), 1u);  // all three are real_time/ns
    const auto& g = groups[0];
    EXPECT_EQ(g.metric, "real_time");
    EXPECT_EQ(g.dimensions, (std::vector<std::string>{"benchmark", "suite", "param:n"}));
    ASSERT_EQ(g.entries.size(), 3u);
    EXPECT_EQ(g.entries[0].value, 20);     // hash, run 5
    EXPECT_EQ(g.entries[1].value, 7);      // sort n=64, run 5
    EXPECT_EQ(g.entries[2].position, 1u);  // sort n=8 ends at commit 1

    const auto until = build_comparisons(t.series, 2u);
    EXPECT_EQ(until[0].entries[0].value, 10);  // hash at run 2
}

TEST(BuildComparisons, ASingleSeriesPerMetricIsNotAComparison) {
    auto t = build_trends(small_history());
    t.series.resize(1);
    EXPECT_TRUE(build_comparisons(t.series, std::nullopt).empty());
}

}  // namespace
}  // namespace perftrack::reports::render
