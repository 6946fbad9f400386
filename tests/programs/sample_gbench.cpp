// A small real Google Benchmark suite for the runner's tests. The benchmarks are tiny; the
// failure modes are switched on by environment variables so one binary serves every test:
//   SAMPLE_GBENCH_CRASH=1  BM_Crash raises SIGSEGV
//   SAMPLE_GBENCH_HANG=1   BM_Hang sleeps far past any test's timeout
// BM_Unavailable always calls SkipWithError. Built a second time with SAMPLE_GBENCH_SLOWER
// (sample_gbench_slower), BM_Accumulate does four times the work: the candidate of the A/B tests.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

namespace {

bool env_on(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && std::string(v) == "1";
}

#ifdef SAMPLE_GBENCH_SLOWER
constexpr int k_work_factor = 4;
#else
constexpr int k_work_factor = 1;
#endif

void BM_Accumulate(benchmark::State& state) {
    std::vector<int> values(static_cast<std::size_t>(state.range(0)) * k_work_factor, 1);
    for (auto _ : state) benchmark::DoNotOptimize(std::accumulate(values.begin(), values.end(), 0));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Accumulate)->Arg(64)->Arg(512);

template <typename T>
void BM_Fill(benchmark::State& state) {
    std::vector<T> values(16);
    for (auto _ : state) {
        std::fill(values.begin(), values.end(), T{});
        benchmark::ClobberMemory();
    }
}
BENCHMARK_TEMPLATE(BM_Fill, int);

void BM_Unavailable(benchmark::State& state) {
    state.SkipWithError("fixture data is unavailable");
    for (auto _ : state) {
    }
}
BENCHMARK(BM_Unavailable);

void BM_Hang(benchmark::State& state) {
    if (env_on("SAMPLE_GBENCH_HANG")) std::this_thread::sleep_for(std::chrono::seconds(120));
    for (auto _ : state) benchmark::DoNotOptimize(state.iterations());
}
BENCHMARK(BM_Hang);

// Registered last, so that with random interleaving off every other benchmark finished first.
void BM_Crash(benchmark::State& state) {
    if (env_on("SAMPLE_GBENCH_CRASH")) std::raise(SIGSEGV);
    for (auto _ : state) benchmark::DoNotOptimize(state.iterations());
}
BENCHMARK(BM_Crash);

}  // namespace

BENCHMARK_MAIN();
