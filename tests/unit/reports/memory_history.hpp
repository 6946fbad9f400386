#pragma once
// In-memory histories for the detection tests: a builder for hand-made series and a
// HistoryReader over them with the store's query semantics (commit-time bound, newest N runs),
// so check and backtest run exactly as against PostgreSQL, without one.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace perftrack::testing {

struct SeriesSpec {
    std::string benchmark;
    std::string metric = "real_time";
    std::string unit = "ns";
    core::Direction direction = core::Direction::lower;
    // Samples of commit i (an empty vector: the series was not measured there).
    std::function<std::vector<double>(std::size_t)> samples;
};

inline constexpr std::int64_t k_hour_us = 3600LL * 1000000;

inline std::string sha_of(const std::string& branch, std::size_t i) {
    return branch + "-" + std::to_string(i);
}

// One run per commit, commits an hour apart from `start_us`; commit i is "<branch>-<i>".
inline store::History make_history(std::size_t commits, const std::vector<SeriesSpec>& specs,
                                   const std::string& branch = "main", std::int64_t start_us = 0,
                                   std::int64_t first_run_id = 1) {
    store::History h;
    for (std::size_t i = 0; i < commits; ++i) {
        store::RunInfo r;
        r.id = first_run_id + static_cast<std::int64_t>(i);
        r.run_key = branch + "-run-" + std::to_string(i);
        r.branch = branch;
        r.commit = sha_of(branch, i);
        r.commit_time_us = start_us + static_cast<std::int64_t>(i) * k_hour_us;
        r.started_at_us = r.commit_time_us;
        h.runs.push_back(r);
    }
    for (std::size_t s = 0; s < specs.size(); ++s) {
        store::SeriesHistory series;
        series.benchmark_id = static_cast<std::int64_t>(s + 1);
        series.metric_id = 1;
        series.id.benchmark = specs[s].benchmark;
        series.id.metric = specs[s].metric;
        series.id.unit = specs[s].unit;
        series.id.direction = specs[s].direction;
        for (std::size_t i = 0; i < commits; ++i) {
            auto values = specs[s].samples(i);
            if (!values.empty()) series.points.push_back({static_cast<std::uint32_t>(i), values});
        }
        h.series.push_back(std::move(series));
    }
    return h;
}

// Normal noise around `level(i)`: `reps` repetitions with relative spread `within`, all shifted
// by one run offset with relative spread `between`. Deterministic per (seed, commit).
inline std::function<std::vector<double>(std::size_t)> noisy(
    std::function<double(std::size_t)> level, double between, double within, std::size_t reps,
    std::uint64_t seed) {
    return [=](std::size_t i) {
        std::mt19937_64 rng(seed * 1000003 + i);
        // Box-Muller on our own draws: std::normal_distribution is implementation-defined.
        auto normal = [&] {
            const double u1 = (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
            const double u2 = (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
            return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
        };
        const double run = level(i) * (1.0 + between * normal());
        std::vector<double> out;
        for (std::size_t r = 0; r < reps; ++r) out.push_back(run * (1.0 + within * normal()));
        return out;
    };
}

// A HistoryReader over branches of one project and testbed.
class MemoryReader : public store::HistoryReader {
  public:
    std::map<std::string, store::History> branches;
    std::vector<store::BaselineReset> resets;

    store::History load_history(const store::HistoryQuery& q) override {
        store::History out;
        out.resets = resets;
        auto it = branches.find(q.branch);
        if (it == branches.end()) return out;
        const store::History& h = it->second;
        std::vector<std::size_t> keep;
        for (std::size_t i = 0; i < h.runs.size(); ++i)
            if (!q.until_commit_time_us || h.runs[i].commit_time_us <= *q.until_commit_time_us)
                keep.push_back(i);
        if (q.last_runs && keep.size() > *q.last_runs)
            keep.erase(keep.begin(), keep.end() - static_cast<std::ptrdiff_t>(*q.last_runs));
        std::map<std::size_t, std::uint32_t> index;
        for (std::size_t i : keep) {
            index[i] = static_cast<std::uint32_t>(out.runs.size());
            out.runs.push_back(h.runs[i]);
        }
        for (const auto& s : h.series) {
            store::SeriesHistory copy;
            copy.id = s.id;
            for (const auto& p : s.points)
                if (auto f = index.find(p.run); f != index.end())
                    copy.points.push_back({f->second, p.samples});
            if (!copy.points.empty()) out.series.push_back(std::move(copy));
        }
        return out;
    }
};

}  // namespace perftrack::testing
