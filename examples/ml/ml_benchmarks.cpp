#include "examples/ml/ml_benchmarks.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "examples/ml/latency_stats.hpp"
#include "examples/ml/models.hpp"
#include "examples/ml/process_memory.hpp"

namespace perftrack::examples::ml {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t k_batch_sizes[] = {1, 8, 32, 64};
constexpr ModelKind k_models[] = {ModelKind::mlp, ModelKind::cnn};

// Any fixed value: every run starts from the same weights and data.
constexpr std::uint64_t k_seed = 20240501;

// Plain SGD with momentum, a common baseline optimiser; the values only need to keep the loss
// finite on the synthetic batch.
constexpr double k_learning_rate = 0.01;
constexpr double k_momentum = 0.9;

// Untimed steps before measuring: the allocator's first requests and oneDNN/OpenBLAS buffer
// set-up. TorchScript needs at least torchscript_warmup_calls() (its profiling runs) as well.
constexpr std::size_t k_eager_warmup_steps = 3;

// Eager and TorchScript results agree to float32 rounding; a larger gap means the two modes
// do not compute the same function and their times must not be compared.
constexpr double k_agreement_rtol = 1e-4;
constexpr double k_agreement_atol = 1e-5;

enum class Mode { eager, torchscript };
enum class ScriptSource { define, load };

bool g_peak_memory_per_benchmark = false;

std::string_view mode_name(Mode mode) {
    return mode == Mode::eager ? "eager" : "torchscript";
}

std::size_t warmup_steps(Mode mode) {
    return mode == Mode::eager ? k_eager_warmup_steps
                               : std::max(k_eager_warmup_steps, torchscript_warmup_calls());
}

double elapsed_ns(Clock::time_point since) {
    return std::chrono::duration<double, std::nano>(Clock::now() - since).count();
}

// Samples per second of wall-clock time, under the key Google Benchmark uses for
// SetItemsProcessed (perftrack reads it as the throughput metric). Computed here rather than
// with SetItemsProcessed + UseRealTime: UseRealTime appends "/real_time" to every name, and
// without it Google Benchmark divides by the main thread's CPU time, which overstates the rate
// as soon as torch runs work on other threads.
void report_throughput(benchmark::State& state, std::int64_t batch_size, double loop_ns) {
    if (loop_ns <= 0) return;
    const double samples = static_cast<double>(state.iterations() * batch_size);
    state.counters["items_per_second"] = samples / (loop_ns / 1e9);
}

// The process's peak resident memory since the benchmark function started (setup included:
// the model, its gradients and optimiser state are part of what a training job holds).
void report_peak_memory(benchmark::State& state) {
    if (!g_peak_memory_per_benchmark) return;
    if (auto peak = peak_resident_bytes())
        state.counters["peak_memory"] = static_cast<double>(*peak);
}

void start_peak_memory() {
    if (g_peak_memory_per_benchmark) g_peak_memory_per_benchmark = reset_peak_resident();
}

torch::Tensor run_forward(Model& model, std::optional<torch::jit::Module>& script,
                          const torch::Tensor& input) {
    if (script) return script->forward({input}).toTensor();
    return model.forward(input);
}

void train_step(benchmark::State& state, ModelKind kind, Mode mode, std::int64_t batch_size) {
    start_peak_memory();
    torch::manual_seed(k_seed);
    const auto model = make_model(kind);
    const Batch batch = synthetic_batch(kind, batch_size);
    // TorchScript over the same parameter tensors, so the optimiser updates what it runs.
    std::optional<torch::jit::Module> script;
    if (mode == Mode::torchscript) script = compile_torchscript(*model);
    torch::optim::SGD optimizer(model->parameters(),
                                torch::optim::SGDOptions(k_learning_rate).momentum(k_momentum));
    const auto step = [&] {
        optimizer.zero_grad();
        auto loss = torch::nn::functional::cross_entropy(run_forward(*model, script, batch.inputs),
                                                         batch.labels);
        loss.backward();
        optimizer.step();
        return loss;
    };
    for (std::size_t i = 0; i < warmup_steps(mode); ++i) {
        if (const double loss = step().item<double>(); !std::isfinite(loss)) {
            state.SkipWithError(
                fmt::format("the loss is {} after warm-up step {}", loss, i).c_str());
            return;
        }
    }
    const auto started = Clock::now();
    for (auto _ : state) {
        auto loss = step();
        benchmark::DoNotOptimize(loss.data_ptr());
    }
    report_throughput(state, batch_size, elapsed_ns(started));
    report_peak_memory(state);
}

void inference(benchmark::State& state, ModelKind kind, Mode mode, std::int64_t batch_size) {
    start_peak_memory();
    torch::manual_seed(k_seed);
    const auto model = make_model(kind);
    model->eval();
    const Batch batch = synthetic_batch(kind, batch_size);
    torch::NoGradGuard no_grad;
    std::optional<torch::jit::Module> script;
    if (mode == Mode::torchscript) {
        script = load_torchscript(save_torchscript(compile_torchscript(*model)));
        script->eval();
        const auto expected = model->forward(batch.inputs);
        const auto actual = script->forward({batch.inputs}).toTensor();
        if (!torch::allclose(actual, expected, k_agreement_rtol, k_agreement_atol)) {
            state.SkipWithError(fmt::format("TorchScript and eager outputs differ by up to {}",
                                            (actual - expected).abs().max().item<double>())
                                    .c_str());
            return;
        }
    }
    for (std::size_t i = 0; i < warmup_steps(mode); ++i)
        benchmark::DoNotOptimize(run_forward(*model, script, batch.inputs).data_ptr());

    std::vector<double> latencies_ns;
    latencies_ns.reserve(static_cast<std::size_t>(state.max_iterations));
    const auto loop_started = Clock::now();
    for (auto _ : state) {
        const auto started = Clock::now();
        const auto output = run_forward(*model, script, batch.inputs);
        benchmark::DoNotOptimize(output.data_ptr());
        latencies_ns.push_back(elapsed_ns(started));
    }
    report_throughput(state, batch_size, elapsed_ns(loop_started));
    state.counters["latency_p50"] = percentile(latencies_ns, 50);
    state.counters["latency_p95"] = percentile(latencies_ns, 95);
    state.counters["latency_p99"] = percentile(latencies_ns, 99);
    report_peak_memory(state);
}

void torchscript_compile(benchmark::State& state, ModelKind kind, ScriptSource source) {
    torch::manual_seed(k_seed);
    const auto model = make_model(kind);
    model->eval();
    const Batch batch = synthetic_batch(kind, 1);
    torch::NoGradGuard no_grad;
    const std::string saved =
        source == ScriptSource::load ? save_torchscript(compile_torchscript(*model)) : "";
    const std::size_t calls = torchscript_warmup_calls();
    double total_ns = 0;
    for (auto _ : state) {
        const auto started = Clock::now();
        torch::jit::Module module =
            source == ScriptSource::define ? compile_torchscript(*model) : load_torchscript(saved);
        for (std::size_t i = 0; i < calls; ++i)
            benchmark::DoNotOptimize(module.forward({batch.inputs}).toTensor().data_ptr());
        // The module's destruction is not part of what a job waits for before serving.
        total_ns += elapsed_ns(started);
    }
    state.counters["compile_time"] =
        benchmark::Counter(total_ns, benchmark::Counter::kAvgIterations);
}

std::string series_name(std::string_view benchmark, ModelKind kind, Mode mode,
                        std::int64_t batch_size) {
    return fmt::format("{}/framework:pytorch/mode:{}/model:{}/batch_size:{}", benchmark,
                       mode_name(mode), model_name(kind), batch_size);
}

}  // namespace

void register_benchmarks(bool peak_memory_per_benchmark) {
    g_peak_memory_per_benchmark = peak_memory_per_benchmark;
    for (const ModelKind kind : k_models) {
        for (const Mode mode : {Mode::eager, Mode::torchscript}) {
            for (const std::int64_t batch_size : k_batch_sizes) {
                benchmark::RegisterBenchmark(
                    series_name("train_step", kind, mode, batch_size).c_str(), train_step, kind,
                    mode, batch_size)
                    ->Unit(benchmark::kMicrosecond);
                benchmark::RegisterBenchmark(
                    series_name("inference", kind, mode, batch_size).c_str(), inference, kind, mode,
                    batch_size)
                    ->Unit(benchmark::kMicrosecond)
                    ->ComputeStatistics("p50", p50)
                    ->ComputeStatistics("p95", p95)
                    ->ComputeStatistics("p99", p99);
            }
        }
        for (const ScriptSource source : {ScriptSource::define, ScriptSource::load}) {
            benchmark::RegisterBenchmark(
                fmt::format("torchscript_compile/framework:pytorch/model:{}/via:{}",
                            model_name(kind), source == ScriptSource::define ? "define" : "load")
                    .c_str(),
                torchscript_compile, kind, source)
                ->Unit(benchmark::kMillisecond);
        }
    }
}

}  // namespace perftrack::examples::ml
