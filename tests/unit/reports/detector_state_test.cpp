// Saved detector states (detector_state.hpp) give exactly the replay's verdicts: a history
// checked at every commit with states kept between checks against the same checks replayed
// from scratch, every verdict compared; then states saved before a baseline reset, pruned runs,
// a late run of an old commit, a run that gained samples or other settings, which must not be
// used, and text that does not parse.
#include "reports/detect/detector_state.hpp"

#include <bit>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "reports/detect/check.hpp"
#include "reports/detect/replay.hpp"
#include "reports/output/check_output.hpp"
#include "tests/unit/reports/memory_history.hpp"

namespace perftrack::reports::detect {
namespace {

using testing::make_history;
using testing::noisy;
using testing::sha_of;

// A MemoryReader that keeps saved detector states, as the PostgreSQL store does.
class StatefulReader : public testing::MemoryReader {
  public:
    using Key = std::tuple<std::string, std::string, std::int64_t, std::int64_t>;
    std::map<Key, std::string> states;
    std::size_t saves = 0;

    std::optional<std::string> load_detector_state(const store::DetectorStateKey& k) override {
        const auto it = states.find({k.branch, k.fingerprint, k.window_start, k.end_position});
        if (it == states.end()) return std::nullopt;
        return it->second;
    }
    void save_detector_state(const store::DetectorStateKey& k, const std::string& text) override {
        ++saves;
        states[{k.branch, k.fingerprint, k.window_start, k.end_position}] = text;
    }
};

store::History varied_history(std::size_t commits) {
    auto steps = [](std::size_t i) {
        return 1000.0 * (i >= 40 ? 1.15 : 1.0) * (i >= 120 ? 0.9 : 1.0) * (i >= 170 ? 1.3 : 1.0);
    };
    auto spiky = [](std::size_t i) { return i == 75 || i == 140 ? 2600.0 : 2000.0; };
    auto late = noisy([](std::size_t i) { return i < 150 ? 50.0 : 56.0; }, 0.01, 0.003, 3, 5);
    // Around zero: the linear scale; from commit 110 on a step.
    auto signed_values = noisy([](std::size_t i) { return i < 110 ? 0.5 : 3.0; }, 0.8, 0.2, 3, 6);
    auto gappy = noisy([](std::size_t i) { return i < 90 ? 300.0 : 330.0; }, 0.01, 0.005, 5, 7);
    return make_history(
        commits,
        {{"BM_steps", "real_time", "ns", core::Direction::lower, noisy(steps, 0.01, 0.004, 5, 1)},
         {"BM_spiky", "real_time", "ns", core::Direction::lower, noisy(spiky, 0.015, 0.004, 5, 2)},
         {"BM_tp", "throughput", "ops/s", core::Direction::higher,
          noisy([](std::size_t i) { return i >= 100 ? 8e5 : 1e6; }, 0.02, 0.01, 3, 3)},
         {"BM_late", "real_time", "ns", core::Direction::lower,
          [=](std::size_t i) { return i < 90 ? std::vector<double>{} : late(i); }},
         {"BM_gappy", "real_time", "ns", core::Direction::lower,
          [=](std::size_t i) { return i % 7 == 3 ? std::vector<double>{} : gappy(i); }},
         {"BM_signed", "delta", "ns", core::Direction::lower, signed_values},
         {"alloc_bytes", "bytes", "B", core::Direction::lower,
          [](std::size_t i) { return std::vector<double>{i < 130 ? 4096.0 : 4160.0}; }}});
}

std::string verdicts(store::HistoryReader& reader, std::size_t commit,
                     const DetectionSettings& settings = {}) {
    CheckRequest request;
    request.project = "p";
    request.testbed = "t";
    request.branch = "main";
    request.commit = sha_of("main", commit);
    request.change_points = true;
    auto result = run_check(reader, request, settings);
    if (!result) return "error: " + result.error().message;
    return output::check_json(*result).dump();
}

// The same history without states: every check replays its window.
std::string replayed(const StatefulReader& with_states, std::size_t commit,
                     const DetectionSettings& settings = {}) {
    testing::MemoryReader plain;
    plain.branches = with_states.branches;
    plain.resets = with_states.resets;
    return verdicts(plain, commit, settings);
}

// Inserts a run of `commit` at run index `at` (commit time `time_us`), measured by every series
// that measured the run before it, with that run's samples times `factor`.
void insert_run(store::History& h, std::size_t at, const std::string& commit, std::int64_t time_us,
                std::int64_t id, double factor) {
    store::RunInfo r = h.runs[at - 1];
    r.id = id;
    r.run_key = "late-" + std::to_string(id);
    r.commit = commit;
    r.commit_time_us = time_us;
    r.started_at_us = time_us;
    h.runs.insert(h.runs.begin() + static_cast<std::ptrdiff_t>(at), r);
    for (auto& s : h.series) {
        std::vector<store::SeriesPoint> points;
        for (auto p : s.points) {
            if (p.run >= at) ++p.run;
            points.push_back(p);
            if (p.run + 1 == at) {
                auto copy = p;
                copy.run = static_cast<std::uint32_t>(at);
                for (double& v : copy.samples) v *= factor;
                points.push_back(copy);
            }
        }
        s.points = points;
    }
}

TEST(DetectorState, SavedStatesGiveTheReplaysVerdictsAtEveryCommit) {
    StatefulReader reader;
    reader.branches["main"] = varied_history(210);
    reader.resets.push_back(
        {1, "BM_steps", std::nullopt, sha_of("main", 120), 120 * testing::k_hour_us, "x", 0});
    std::size_t differences = 0;
    for (std::size_t c = 0; c < 210; ++c) {
        const std::string kept = verdicts(reader, c);
        const std::string fresh = replayed(reader, c);
        if (kept != fresh) {
            ++differences;
            ADD_FAILURE() << "commit " << c << "\nwith states: " << kept << "\nreplayed: " << fresh;
            if (differences > 3) break;
        }
        // A repeated check of the same commit gives the same again, and saves nothing.
        if (c % 50 == 7) {
            const std::size_t saves = reader.saves;
            EXPECT_EQ(verdicts(reader, c), fresh) << c;
            EXPECT_EQ(reader.saves, saves) << c;
        }
    }
    EXPECT_FALSE(reader.states.empty());
}

TEST(DetectorState, ContinuingFromASavedStateIsTheReplay) {
    const auto h = varied_history(200);
    const Timeline timeline = build_timeline(h);
    const DetectionSettings settings;
    for (const auto& series : h.series) {
        const auto points = series_points(series, timeline);
        std::optional<SavedSeriesState> after;
        std::size_t resumed = 0, measured = 0;
        for (std::size_t p = 0; p < 200; ++p) {
            const std::size_t start = replay_window_start(p, settings);
            const auto expected =
                replay_window(points, series.id.direction, settings,
                              thresholds_for(settings, series.id.metric), {}, start, p, p + 1);
            const auto got = replay_with_state(points, series.id, settings,
                                               thresholds_for(settings, series.id.metric), {},
                                               start, p, true, after ? &*after : nullptr, nullptr);
            ASSERT_EQ(expected.empty(), !got.assessment.has_value()) << series.id.benchmark << p;
            if (!got.assessment) continue;
            ++measured;
            resumed += got.resumed ? 1 : 0;
            const Assessment& a = expected.back().assessment;
            const Assessment& b = *got.assessment;
            EXPECT_EQ(a.kind, b.kind) << series.id.benchmark << " " << p;
            EXPECT_EQ(a.step.has_value(), b.step.has_value()) << series.id.benchmark << " " << p;
            EXPECT_EQ(a.pending, b.pending) << series.id.benchmark << " " << p;
            EXPECT_EQ(a.baseline_first_point, b.baseline_first_point) << p;
            EXPECT_EQ(std::bit_cast<std::uint64_t>(a.current.p_value),
                      std::bit_cast<std::uint64_t>(b.current.p_value))
                << series.id.benchmark << " " << p;
            // The next commit continues from here unless it starts another window.
            after = replay_window_start(p + 1, settings) == start ? got.after : std::nullopt;
        }
        // Replayed: the first commit of each window, and after a commit the series skipped (the
        // state saved after its last point stands before another position).
        EXPECT_GT(resumed, measured * 3 / 4) << series.id.benchmark;
    }
}

TEST(DetectorState, StatesOfOtherInputsAreNotUsed) {
    const DetectionSettings settings;
    auto warm = [&](StatefulReader& reader, std::size_t until) {
        for (std::size_t c = 100; c < until; ++c) verdicts(reader, c, settings);
    };
    auto expect_replayed = [&](StatefulReader& reader, std::size_t from, const char* what) {
        for (std::size_t c = from; c < from + 4; ++c)
            EXPECT_EQ(verdicts(reader, c, settings), replayed(reader, c, settings))
                << what << ", commit " << c;
    };
    {  // a baseline reset before the checked commit, after the states were saved
        StatefulReader reader;
        reader.branches["main"] = varied_history(200);
        warm(reader, 150);
        reader.resets.push_back({2, "BM_*", std::nullopt, sha_of("main", 140),
                                 140 * testing::k_hour_us, "intended", 0});
        expect_replayed(reader, 149, "reset");
    }
    {  // the oldest runs pruned: every position moves
        StatefulReader reader;
        reader.branches["main"] = varied_history(200);
        warm(reader, 150);
        auto& h = reader.branches["main"];
        h.runs.erase(h.runs.begin(), h.runs.begin() + 20);
        for (auto& s : h.series) {
            std::vector<store::SeriesPoint> kept;
            for (auto p : s.points)
                if (p.run >= 20) kept.push_back({p.run - 20, p.samples});
            s.points = kept;
        }
        expect_replayed(reader, 149, "prune");
    }
    {  // a late run of a commit older than the states (out of order), and a re-run of one
        StatefulReader reader;
        reader.branches["main"] = varied_history(200);
        warm(reader, 150);
        auto& h = reader.branches["main"];
        insert_run(h, 131, "late-commit", 130 * testing::k_hour_us + 1800000000LL, 900, 1.3);
        expect_replayed(reader, 149, "late commit");
        warm(reader, 160);
        insert_run(h, 150, sha_of("main", 148), 148 * testing::k_hour_us, 901, 1.01);
        expect_replayed(reader, 158, "re-run of an old commit");
    }
    {  // a run that gained samples (a shard ingested later)
        StatefulReader reader;
        reader.branches["main"] = varied_history(200);
        warm(reader, 150);
        for (auto& s : reader.branches["main"].series)
            for (auto& p : s.points)
                if (p.run == 145) p.samples.push_back(p.samples.front() * 1.5);
        expect_replayed(reader, 149, "gained samples");
    }
    {  // other settings: their own states
        StatefulReader reader;
        reader.branches["main"] = varied_history(200);
        warm(reader, 150);
        DetectionSettings other;
        other.alpha = 0.05;
        other.baseline_runs = 20;
        EXPECT_NE(detector_fingerprint(other), detector_fingerprint(settings));
        DetectionSettings per_metric;
        per_metric.per_metric["bytes"].exact_tolerance = 0.5;
        EXPECT_NE(detector_fingerprint(per_metric), detector_fingerprint(settings));
        for (std::size_t c = 149; c < 153; ++c)
            EXPECT_EQ(verdicts(reader, c, other), replayed(reader, c, other)) << c;
    }
}

TEST(DetectorState, TextRoundTripsAndBrokenTextKeepsWhatParsed) {
    SavedStates states;
    states[1] = {0xfeedULL, 12, std::nullopt, Scale::log};
    states[0xffffffffffffffffULL] = {7, 0, 3, Scale::linear};
    const std::string text = encode_states(states);
    EXPECT_EQ(decode_states(text), states);
    EXPECT_TRUE(decode_states("").empty());
    EXPECT_TRUE(decode_states("zz 1 2 - l\n").empty());
    EXPECT_EQ(decode_states("1 feed 12 - l\n2 3 4 5 x\n").size(), 1u);
    EXPECT_EQ(decode_states("1 feed 12 - l\n2 3").size(), 1u);  // a cut line
}

}  // namespace
}  // namespace perftrack::reports::detect
