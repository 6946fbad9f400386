// Parsing speed of the input formats: the native format (what `perftrack run` and big CI
// pipelines ingest) and each adapter over a representative file. Inputs are generated in memory
// so the benchmark measures parsing only.
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "core/native_format.hpp"
#include "formats/adapter.hpp"

namespace {

// A native file with `series` series of `samples` samples.
std::string native_text(int series, int samples) {
    std::string out = R"({"version":1,"results":[)";
    for (int s = 0; s < series; ++s) {
        if (s > 0) out += ',';
        out += fmt::format(R"({{"benchmark":"bench_{}","params":{{"n":{},"mode":"eager"}},)"
                           R"("metric":"real_time","unit":"ns","direction":"lower","samples":[)",
                           s / 4, s % 4);
        for (int i = 0; i < samples; ++i)
            out += fmt::format("{}{}", i > 0 ? "," : "", 1000.0 + (s * 31 + i * 7) % 997 / 8.0);
        out += "]}";
    }
    return out + "]}";
}

// Google Benchmark JSON with `benchmarks` benchmarks x `repetitions` repetition rows plus the
// four aggregate rows each, as `--benchmark_repetitions` writes it.
std::string gbench_text(int benchmarks, int repetitions) {
    std::string out =
        R"({"context":{"date":"2026-11-22T00:00:00+00:00","host_name":"vm","executable":"./b",)"
        R"("num_cpus":2,"mhz_per_cpu":2600,"cpu_scaling_enabled":false,"caches":[],)"
        R"("load_avg":[0.1],"library_build_type":"release"},"benchmarks":[)";
    bool first = true;
    for (int b = 0; b < benchmarks; ++b) {
        const std::string name = fmt::format("BM_Work/size:{}/mode:{}", 64 << (b % 8), b % 3);
        for (int r = 0; r < repetitions; ++r) {
            out += fmt::format(
                R"({}{{"name":"{}","family_index":{},"per_family_instance_index":0,"run_name":"{}",)"
                R"("run_type":"iteration","repetitions":{},"repetition_index":{},"threads":1,)"
                R"("iterations":1000,"real_time":{},"cpu_time":{},"time_unit":"ns",)"
                R"("items_per_second":{}}})",
                first ? "" : ",", name, b, name, repetitions, r, 1200.5 + r, 1199.25 + r,
                8.3e8 + r);
            first = false;
        }
        for (const char* agg : {"mean", "median", "stddev", "cv"})
            out += fmt::format(
                R"(,{{"name":"{}_{}","family_index":{},"per_family_instance_index":0,)"
                R"("run_name":"{}","run_type":"aggregate","repetitions":{},"threads":1,)"
                R"("aggregate_name":"{}","iterations":{},"real_time":1201.0,"cpu_time":1200.0,)"
                R"("time_unit":"ns"}})",
                name, agg, b, name, repetitions, agg, repetitions);
    }
    return out + "]}";
}

void BM_ParseNative(benchmark::State& state) {
    const std::string text = native_text(static_cast<int>(state.range(0)), 100);
    for (auto _ : state) {
        auto run = perftrack::core::parse_native(text, "bench.json");
        if (!run) state.SkipWithError(run.error().message.c_str());
        benchmark::DoNotOptimize(run);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0) * 100);
}
BENCHMARK(BM_ParseNative)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_ParseGbench(benchmark::State& state) {
    const std::string text = gbench_text(static_cast<int>(state.range(0)), 10);
    const perftrack::formats::AdapterOptions options;
    for (auto _ : state) {
        auto run = perftrack::formats::parse_results("gbench", text, "bench.json", options);
        if (!run) state.SkipWithError(run.error().message.c_str());
        benchmark::DoNotOptimize(run);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_ParseGbench)->Arg(200)->Unit(benchmark::kMillisecond);

void BM_AutoDetect(benchmark::State& state) {
    const std::string text = gbench_text(20, 10);
    const perftrack::formats::AdapterOptions options;
    for (auto _ : state) {
        auto run = perftrack::formats::parse_results("auto", text, "bench.json", options);
        benchmark::DoNotOptimize(run);
    }
}
BENCHMARK(BM_AutoDetect)->Unit(benchmark::kMicrosecond);

}  // namespace
