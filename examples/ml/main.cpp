// ml_bench: the ML-framework example suite (PyTorch C++ API on the CPU) as a Google Benchmark
// binary. Every Google Benchmark flag works; one flag of its own:
//   --torch_threads=N   threads for torch and OpenBLAS (default 1: repeatable on shared CI
//                       machines; a different N is a different testbed, not a regression)
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "examples/ml/ml_benchmarks.hpp"
#include "examples/ml/process_memory.hpp"
#include "examples/ml/torch_runtime.hpp"

namespace {

constexpr std::string_view k_threads_flag = "--torch_threads=";
constexpr int k_default_threads = 1;
constexpr int k_max_threads = 1024;

void print_help() {
    benchmark::PrintDefaultHelp();
    std::fputs("          [--torch_threads=<N>]   threads for torch and OpenBLAS (default 1)\n",
               stdout);
}

// Removes --torch_threads=N from argv (Google Benchmark rejects flags it does not know).
// Returns the thread count, or 0 after printing why the value is not usable.
int take_threads_flag(int& argc, char** argv) {
    int threads = k_default_threads;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg.rfind(k_threads_flag, 0) != 0) {
            argv[kept++] = argv[i];
            continue;
        }
        const std::string_view value = arg.substr(k_threads_flag.size());
        const auto [end, error] =
            std::from_chars(value.data(), value.data() + value.size(), threads);
        if (error != std::errc{} || end != value.data() + value.size() || threads < 1 ||
            threads > k_max_threads) {
            std::fprintf(stderr, "ml_bench: %s: expected a whole number from 1 to %d\n", argv[i],
                         k_max_threads);
            return 0;
        }
    }
    argc = kept;
    argv[argc] = nullptr;
    return threads;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace perftrack::examples::ml;
    const int threads = take_threads_flag(argc, argv);
    if (threads == 0) return 2;
    benchmark::Initialize(&argc, argv, print_help);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

    const TorchRuntime runtime = configure_torch(threads);
    benchmark::AddCustomContext("torch_version", runtime.torch_version);
    benchmark::AddCustomContext("torch_threads", std::to_string(runtime.threads));
    benchmark::AddCustomContext("openblas_threads", runtime.openblas_threads_set
                                                        ? std::to_string(runtime.threads)
                                                        : "not used");
    benchmark::AddCustomContext("flush_denormal", runtime.denormals_flushed ? "on" : "off");
    const bool peak_per_benchmark = reset_peak_resident();
    if (!peak_per_benchmark)
        std::fputs(
            "ml_bench: /proc/self/clear_refs is not writable, so the peak of one benchmark "
            "cannot be told from the process's: the peak_memory counter is left out\n",
            stderr);
    register_benchmarks(peak_per_benchmark);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
