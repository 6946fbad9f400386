// check, run at every commit, gives exactly the verdicts of backtest (the replay windows of
// replay.hpp), across block boundaries, with re-runs of a commit, a baseline reset, series
// that start late, and several series corrected together.
#include <map>
#include <vector>

#include <gtest/gtest.h>

#include "reports/detect/backtest.hpp"
#include "reports/detect/check.hpp"
#include "reports/detect/replay.hpp"
#include "tests/unit/reports/memory_history.hpp"

namespace perftrack::reports::detect {
namespace {

using testing::make_history;
using testing::noisy;
using testing::sha_of;

store::History agreement_history() {
    auto steps = [](std::size_t i) {
        return 1000.0 * (i >= 40 ? 1.15 : 1.0) * (i >= 120 ? 0.9 : 1.0) * (i >= 170 ? 1.3 : 1.0);
    };
    auto spiky = [](std::size_t i) { return i == 75 || i == 140 ? 2600.0 : 2000.0; };
    auto late = [](std::size_t i) { return i < 90 ? 0.0 : (i < 150 ? 50.0 : 56.0); };
    auto late_series = noisy(late, 0.01, 0.003, 3, 5);
    auto h = make_history(
        200,
        {{"BM_steps", "real_time", "ns", core::Direction::lower, noisy(steps, 0.01, 0.004, 5, 1)},
         {"BM_spiky", "real_time", "ns", core::Direction::lower, noisy(spiky, 0.015, 0.004, 5, 2)},
         {"BM_tp", "throughput", "ops/s", core::Direction::higher,
          noisy([](std::size_t i) { return i >= 100 ? 8e5 : 1e6; }, 0.02, 0.01, 3, 3)},
         {"BM_late", "real_time", "ns", core::Direction::lower,
          [=](std::size_t i) { return i < 90 ? std::vector<double>{} : late_series(i); }},
         {"alloc_bytes", "bytes", "B", core::Direction::lower,
          [](std::size_t i) { return std::vector<double>{i < 130 ? 4096.0 : 4160.0}; }}});
    // Re-runs of commit 150 (a confirmation): two more runs of the same commit.
    for (int extra = 0; extra < 2; ++extra) {
        store::RunInfo r = h.runs[150];
        r.id = 10000 + extra;
        r.run_key += "-rerun" + std::to_string(extra);
        r.started_at_us += 60 + extra;
        h.runs.insert(h.runs.begin() + 151 + extra, r);
    }
    // Run indices after the insertion shift by two.
    for (auto& s : h.series) {
        std::vector<store::SeriesPoint> points;
        for (auto p : s.points) {
            if (p.run > 150) p.run += 2;
            points.push_back(p);
            if (p.run == 150) {
                for (std::uint32_t extra = 1; extra <= 2; ++extra) {
                    auto again = p;
                    again.run = 150 + extra;
                    for (double& v : again.samples) v *= 1.0 + 0.001 * extra;
                    points.push_back(again);
                }
            }
        }
        s.points = points;
    }
    h.resets.push_back({1, "BM_steps", std::nullopt, sha_of("main", 120), 120 * testing::k_hour_us,
                        "intended", 0});
    return h;
}

TEST(DetectAgreement, CheckAtEveryCommitEqualsBacktest) {
    const auto history = agreement_history();
    const DetectionSettings settings;
    const auto bt = run_backtest(history, settings);
    ASSERT_EQ(bt.commits, 200u);
    ASSERT_GT(bt.commits, 2 * k_replay_block);

    std::map<std::pair<std::string, std::string>, const BacktestFlag*> flagged;
    std::size_t flag_count = 0;
    for (const auto& s : bt.series)
        for (const auto& f : s.flags) {
            flagged[{s.id.benchmark, f.commit}] = &f;
            ++flag_count;
        }
    EXPECT_GE(flag_count, 4u);  // the steps, the throughput drop, the allocation growth

    testing::MemoryReader reader;
    reader.branches["main"] = history;
    reader.resets = history.resets;
    std::size_t compared = 0;
    for (std::size_t c = 0; c < 200; ++c) {
        const std::string commit = sha_of("main", c);
        CheckRequest req{"p", "tb", "main", commit, "main", std::nullopt, std::nullopt};
        auto r = run_check(reader, req, settings);
        ASSERT_TRUE(r) << r.error().message;
        for (const auto& v : r->results) {
            const auto it = flagged.find({v.series.benchmark, commit});
            const bool check_flags =
                v.status == Status::regression || v.status == Status::improvement;
            ASSERT_EQ(check_flags, it != flagged.end()) << v.series.benchmark << " at " << c;
            if (check_flags) {
                EXPECT_EQ(v.status, it->second->status) << v.series.benchmark << " at " << c;
                EXPECT_EQ(v.p_value, it->second->p_value);
                EXPECT_EQ(v.q_value, it->second->q_value);
                EXPECT_EQ(v.change, it->second->change);
                EXPECT_EQ(v.since, it->second->since);
            }
            ++compared;
        }
    }
    EXPECT_GT(compared, 800u);
}

TEST(DetectAgreement, RerunsOfACommitConfirmAtThatCommit) {
    // Three runs of the stepped commit, all slower: confirmed at once, not a commit later.
    auto h = make_history(
        60, {{"BM_x", "real_time", "ns", core::Direction::lower,
              noisy([](std::size_t i) { return i >= 50 ? 1200.0 : 1000.0; }, 0.01, 0.002, 5, 21)}});
    h.runs.resize(51);
    h.series[0].points.resize(51);
    for (std::uint32_t extra = 1; extra <= 2; ++extra) {
        store::RunInfo r = h.runs[50];
        r.id = 500 + extra;
        r.run_key += "-confirm" + std::to_string(extra);
        h.runs.push_back(r);
        auto p = h.series[0].points[50];
        p.run = 50 + extra;
        for (double& v : p.samples) v *= 1.0 + 0.002 * extra;
        h.series[0].points.push_back(p);
    }
    const auto flags = run_backtest(h, DetectionSettings{}).series[0].flags;
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].commit, sha_of("main", 50));
}

}  // namespace
}  // namespace perftrack::reports::detect
