// Detection speed (README, "Speed"): `check` of one commit with 2,000 series against 30-commit
// baselines (target < 1 s), and backtest plus change points over 2,000 series x 500 commits
// (target < 30 s). In-process, on in-memory histories: what the database adds is measured by
// the CLI runs in the detection report (the history load is one COPY).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "reports/detect/backtest.hpp"
#include "reports/detect/changepoints.hpp"
#include "reports/detect/check.hpp"
#include "reports/detect/parallel.hpp"
#include "reports/detect/series_data.hpp"

namespace {

using namespace perftrack;

constexpr std::size_t k_series = 2000;
constexpr std::size_t k_repetitions = 5;

// Deterministic pseudo-normal noise (sum of uniforms; speed, not statistics, is measured).
double noise(std::uint64_t& state) {
    double sum = 0.0;
    for (int i = 0; i < 4; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        sum += static_cast<double>(state >> 11) / 9007199254740992.0;
    }
    return (sum - 2.0) * 1.7320508;
}

// `commits` commits of `k_series` series; every 50th series steps up 10 % at commit 2/3.
store::History make_history(std::size_t commits) {
    store::History h;
    for (std::size_t c = 0; c < commits; ++c) {
        store::RunInfo r;
        r.id = static_cast<std::int64_t>(c + 1);
        r.commit = "c" + std::to_string(c);
        r.commit_time_us = static_cast<std::int64_t>(c) * 3600000000LL;
        h.runs.push_back(r);
    }
    std::uint64_t state = 42;
    for (std::size_t s = 0; s < k_series; ++s) {
        store::SeriesHistory series;
        series.id.benchmark = "BM_" + std::to_string(s);
        series.id.metric = "real_time";
        series.id.unit = "ns";
        const double base = 100.0 + static_cast<double>(s);
        for (std::size_t c = 0; c < commits; ++c) {
            const double level = base * (s % 50 == 0 && c >= commits * 2 / 3 ? 1.1 : 1.0);
            const double run = level * (1.0 + 0.01 * noise(state));
            std::vector<double> samples;
            for (std::size_t r = 0; r < k_repetitions; ++r)
                samples.push_back(run * (1.0 + 0.003 * noise(state)));
            series.points.push_back({static_cast<std::uint32_t>(c), std::move(samples)});
        }
        h.series.push_back(std::move(series));
    }
    return h;
}

class FixedReader : public store::HistoryReader {
  public:
    explicit FixedReader(store::History h) : m_history(std::move(h)) {}
    store::History load_history(const store::HistoryQuery&) override { return m_history; }
    std::vector<store::RunInfo> list_runs(const store::HistoryQuery&) override {
        return m_history.runs;
    }

  private:
    store::History m_history;
};

void BM_CheckOneCommit_2000Series_30CommitBaseline(benchmark::State& state) {
    FixedReader reader(make_history(31));
    reports::detect::CheckRequest request{"p",    "t",          "main",      "c30",
                                          "main", std::nullopt, std::nullopt};
    const reports::detect::DetectionSettings settings;
    for (auto _ : state) {
        auto result = reports::detect::run_check(reader, request, settings);
        benchmark::DoNotOptimize(result);
    }
    // A label, not a counter: a counter becomes a tracked metric, and this one never changes.
    state.SetLabel(std::to_string(k_series) + " series");
}
BENCHMARK(BM_CheckOneCommit_2000Series_30CommitBaseline)->Unit(benchmark::kMillisecond);

void BM_BacktestAndChangePoints_2000Series_500Commits(benchmark::State& state) {
    const auto history = make_history(500);
    const reports::detect::DetectionSettings settings;
    for (auto _ : state) {
        auto result = reports::detect::run_backtest(history, settings);
        benchmark::DoNotOptimize(result);
        // The change points of every series, as `perftrack report` finds them.
        const auto timeline = reports::detect::build_timeline(history);
        std::vector<std::size_t> found(history.series.size());
        reports::detect::parallel_for(history.series.size(), [&](std::size_t i) {
            const auto points = reports::detect::series_points(history.series[i], timeline);
            found[i] = reports::detect::find_change_points(points).size();
        });
        std::size_t change_points = 0;
        for (const std::size_t n : found) change_points += n;
        benchmark::DoNotOptimize(change_points);
        std::size_t flags = 0;
        for (const auto& s : result.series) flags += s.flags.size();
        state.counters["flags"] = static_cast<double>(flags);
        state.counters["change_points"] = static_cast<double>(change_points);
    }
}
BENCHMARK(BM_BacktestAndChangePoints_2000Series_500Commits)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

}  // namespace
