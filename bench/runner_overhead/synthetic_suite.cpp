// A Google Benchmark suite of 200 tiny benchmarks, the shape bench/runner_overhead.sh uses to
// measure what `perftrack run` costs on top of the benchmark processes themselves.
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>

namespace {

// 200 benchmarks: enough rows (x 10 repetitions) that per-row costs of the runner would show.
constexpr int k_benchmarks = 200;

void synthetic(benchmark::State& state, std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto _ : state) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;  // one LCG step (Knuth's MMIX)
        benchmark::DoNotOptimize(x);
    }
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 0; i < k_benchmarks; ++i)
        benchmark::RegisterBenchmark(("BM_Synthetic/case:" + std::to_string(i)).c_str(), synthetic,
                                     static_cast<std::uint64_t>(i));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
