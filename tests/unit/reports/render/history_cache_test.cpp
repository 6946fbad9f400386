#include "reports/render/history_cache.hpp"

#include <gtest/gtest.h>

namespace perftrack::reports::render {
namespace {

store::History five_runs() {
    store::History h;
    for (int r = 0; r < 5; ++r) {
        store::RunInfo run;
        run.id = 10 + r;
        run.commit = "c" + std::to_string(r);
        run.commit_time_us = 100 * (r + 1);
        h.runs.push_back(run);
    }
    store::SeriesHistory a, early;
    a.id.benchmark = "a";
    for (std::uint32_t r = 0; r < 5; ++r) a.points.push_back({r, {double(r)}});
    early.id.benchmark = "early";
    early.points.push_back({0, {7.0}});
    h.series = {a, early};
    store::BaselineReset reset;
    reset.commit = "c1";
    h.resets.push_back(reset);
    return h;
}

TEST(HistorySubset, UntilACommitTimeThenTheNewestRuns) {
    const auto h = five_runs();
    store::HistoryQuery q;
    q.until_commit_time_us = 400;  // runs 0..3
    q.last_runs = 2;               // runs 2..3
    const auto s = history_subset(h, q);
    ASSERT_EQ(s.runs.size(), 2u);
    EXPECT_EQ(s.runs[0].commit, "c2");
    EXPECT_EQ(s.runs[1].commit, "c3");
    ASSERT_EQ(s.series.size(), 1u);  // "early" has no point in runs 2..3
    EXPECT_EQ(s.series[0].id.benchmark, "a");
    ASSERT_EQ(s.series[0].points.size(), 2u);
    EXPECT_EQ(s.series[0].points[0].run, 0u);  // re-indexed into the subset's runs
    EXPECT_EQ(s.series[0].points[0].samples, std::vector<double>{2.0});
    EXPECT_EQ(s.resets.size(), 1u);
}

TEST(HistorySubset, NoBoundsIsTheWholeHistory) {
    const auto h = five_runs();
    const auto s = history_subset(h, {});
    EXPECT_EQ(s.runs.size(), 5u);
    EXPECT_EQ(s.series.size(), 2u);
    EXPECT_EQ(history_subset(h, {"", "", "", 50, std::nullopt}).runs.size(), 0u);
}

class CountingReader : public store::HistoryReader {
  public:
    int calls = 0;
    store::History load_history(const store::HistoryQuery&) override {
        ++calls;
        return {};
    }
};

TEST(CachedHistoryReader, AnswersItsBranchFromMemoryAndDelegatesTheRest) {
    const auto h = five_runs();
    CountingReader store;
    CachedHistoryReader reader(h, {"p", "t", "main", std::nullopt, std::nullopt}, store);
    EXPECT_EQ(reader.load_history({"p", "t", "main", 300, std::nullopt}).runs.size(), 3u);
    EXPECT_EQ(store.calls, 0);
    reader.load_history({"p", "t", "feature", std::nullopt, std::nullopt});
    EXPECT_EQ(store.calls, 1);
}

}  // namespace
}  // namespace perftrack::reports::render
