// Runs the real ml_bench binary on a small slice of the suite (batch size 8, very short runs)
// and checks what perftrack will read from it: the names, the counters, the custom statistics,
// and the benchmarks, params and metrics the gbench adapter makes of them.
#include <cmath>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "formats/adapter.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::examples::ml {
namespace {

using nlohmann::json;
using testing::read_file;
using testing::run_process;
using testing::TempDir;

constexpr int k_repetitions = 2;

// Every benchmark at batch size 8, and one compile benchmark.
constexpr const char* k_filter = "batch_size:8$|model:mlp/via:load$";

const std::set<std::string> k_expected_names = {
    "train_step/framework:pytorch/mode:eager/model:mlp/batch_size:8",
    "train_step/framework:pytorch/mode:torchscript/model:mlp/batch_size:8",
    "train_step/framework:pytorch/mode:eager/model:cnn/batch_size:8",
    "train_step/framework:pytorch/mode:torchscript/model:cnn/batch_size:8",
    "inference/framework:pytorch/mode:eager/model:mlp/batch_size:8",
    "inference/framework:pytorch/mode:torchscript/model:mlp/batch_size:8",
    "inference/framework:pytorch/mode:eager/model:cnn/batch_size:8",
    "inference/framework:pytorch/mode:torchscript/model:cnn/batch_size:8",
    "torchscript_compile/framework:pytorch/model:mlp/via:load",
};

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

double ns_per(const std::string& time_unit) {
    if (time_unit == "us") return 1e3;
    if (time_unit == "ms") return 1e6;
    if (time_unit == "s") return 1e9;
    return 1;
}

// One run of the slice, shared by the tests (it takes a few seconds).
class MlBenchOutput : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_dir = new TempDir();
        const auto out = *s_dir / "ml_bench.json";
        s_result = new testing::ProcessResult(
            run_process({ML_BENCH_BINARY, std::string("--benchmark_filter=") + k_filter,
                         "--benchmark_min_time=0.01",
                         "--benchmark_repetitions=" + std::to_string(k_repetitions),
                         "--benchmark_out=" + out.string(), "--benchmark_out_format=json"}));
        if (s_result->exit_code == 0) s_text = new std::string(read_file(out));
    }
    static void TearDownTestSuite() {
        delete s_text;
        delete s_result;
        delete s_dir;
    }
    void SetUp() override {
        ASSERT_EQ(s_result->exit_code, 0) << s_result->err;
        ASSERT_NE(s_text, nullptr);
        m_doc = json::parse(*s_text);
    }

    std::vector<json> iteration_rows() const {
        std::vector<json> rows;
        for (const auto& row : m_doc.at("benchmarks"))
            if (row.at("run_type") == "iteration") rows.push_back(row);
        return rows;
    }

    static TempDir* s_dir;
    static testing::ProcessResult* s_result;
    static std::string* s_text;
    json m_doc;
};

TempDir* MlBenchOutput::s_dir = nullptr;
testing::ProcessResult* MlBenchOutput::s_result = nullptr;
std::string* MlBenchOutput::s_text = nullptr;

TEST_F(MlBenchOutput, RunsEveryExpectedBenchmarkOncePerRepetition) {
    std::map<std::string, int> repetitions;
    for (const auto& row : iteration_rows()) {
        EXPECT_FALSE(row.value("error_occurred", false))
            << row.at("name") << ": " << row.value("error_message", "");
        ++repetitions[row.at("run_name").get<std::string>()];
    }
    std::set<std::string> names;
    for (const auto& [name, count] : repetitions) {
        names.insert(name);
        EXPECT_EQ(count, k_repetitions) << name;
    }
    EXPECT_EQ(names, k_expected_names);
}

TEST_F(MlBenchOutput, RecordsTheTorchSettingsInTheContext) {
    const auto& context = m_doc.at("context");
    EXPECT_EQ(context.at("torch_threads"), "1");
    EXPECT_FALSE(context.at("torch_version").get<std::string>().empty());
    EXPECT_EQ(context.at("flush_denormal"), "on");
}

TEST_F(MlBenchOutput, TrainingAndInferenceReportThroughputInSamplesPerSecond) {
    for (const auto& row : iteration_rows()) {
        const std::string name = row.at("run_name");
        if (starts_with(name, "torchscript_compile/")) continue;
        ASSERT_TRUE(row.contains("items_per_second")) << name;
        // One iteration is one batch of 8 samples: the rate and the mean time per iteration
        // come from the same timed loop, so they agree up to the timers' own overhead.
        const double seconds_per_iteration =
            row.at("real_time").get<double>() * ns_per(row.at("time_unit")) / 1e9;
        const double expected = 8 / seconds_per_iteration;
        EXPECT_NEAR(row.at("items_per_second").get<double>(), expected, expected * 0.15) << name;
    }
}

TEST_F(MlBenchOutput, PeakMemoryIsReportedPerBenchmark) {
    for (const auto& row : iteration_rows()) {
        const std::string name = row.at("run_name");
        if (starts_with(name, "torchscript_compile/")) continue;
        ASSERT_TRUE(row.contains("peak_memory")) << name << " (stderr: " << s_result->err << ")";
        // LibTorch alone keeps tens of MiB resident; no model here needs more than 4 GiB.
        EXPECT_GT(row.at("peak_memory").get<double>(), 20.0 * 1024 * 1024) << name;
        EXPECT_LT(row.at("peak_memory").get<double>(), 4.0 * 1024 * 1024 * 1024) << name;
    }
}

TEST_F(MlBenchOutput, InferenceReportsOrderedLatencyPercentiles) {
    int checked = 0;
    for (const auto& row : iteration_rows()) {
        const std::string name = row.at("run_name");
        if (!starts_with(name, "inference/")) continue;
        const double p50 = row.at("latency_p50"), p95 = row.at("latency_p95"),
                     p99 = row.at("latency_p99");
        EXPECT_GT(p50, 0) << name;
        EXPECT_LE(p50, p95) << name;
        EXPECT_LE(p95, p99) << name;
        ++checked;
    }
    EXPECT_EQ(checked, 4 * k_repetitions);
}

TEST_F(MlBenchOutput, InferenceHasPercentileStatisticsOverRepetitions) {
    std::map<std::string, std::set<std::string>> aggregates;
    for (const auto& row : m_doc.at("benchmarks"))
        if (row.at("run_type") == "aggregate")
            aggregates[row.at("run_name")].insert(row.at("aggregate_name").get<std::string>());
    for (const auto& name : k_expected_names) {
        const std::set<std::string> expected =
            starts_with(name, "inference/")
                ? std::set<std::string>{"mean", "median", "stddev", "cv", "p50", "p95", "p99"}
                : std::set<std::string>{"mean", "median", "stddev", "cv"};
        EXPECT_EQ(aggregates[name], expected) << name;
    }
}

TEST_F(MlBenchOutput, CompileTimeIsTheTimedPartOfEachIteration) {
    for (const auto& row : iteration_rows()) {
        const std::string name = row.at("run_name");
        if (!starts_with(name, "torchscript_compile/")) continue;
        const double compile_ns = row.at("compile_time");
        const double iteration_ns = row.at("real_time").get<double>() * ns_per(row.at("time_unit"));
        EXPECT_GT(compile_ns, 0) << name;
        // The iteration also destroys the module, which compile_time leaves out.
        EXPECT_LE(compile_ns, iteration_ns * 1.001) << name;
    }
}

TEST_F(MlBenchOutput, TheGbenchAdapterTurnsNamesIntoParams) {
    formats::AdapterOptions options;
    options.suite = "ml_bench";
    auto parsed = formats::parse_results("gbench", *s_text, "ml_bench.json", options);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_TRUE(parsed->failures.empty());

    std::map<std::string, const core::Measurement*> by_key;
    std::set<std::string> benchmarks;
    for (const auto& m : parsed->measurements) {
        benchmarks.insert(m.benchmark);
        by_key[m.benchmark + " " + m.params.dump() + " " + m.metric] = &m;
        EXPECT_EQ(m.samples.size(), static_cast<std::size_t>(k_repetitions))
            << m.benchmark << " " << m.params.dump() << " " << m.metric;
    }
    EXPECT_EQ(benchmarks,
              (std::set<std::string>{"train_step", "inference", "torchscript_compile"}));

    const json inference_params = {
        {"framework", "pytorch"}, {"mode", "torchscript"}, {"model", "cnn"}, {"batch_size", 8}};
    const std::string inference = "inference " + inference_params.dump() + " ";
    for (const char* metric :
         {"real_time", "throughput", "latency_p50", "latency_p95", "latency_p99", "peak_memory"})
        EXPECT_TRUE(by_key.count(inference + metric)) << inference << metric;
    const auto* throughput = by_key.at(inference + "throughput");
    EXPECT_EQ(throughput->unit, "items/s");
    EXPECT_EQ(throughput->direction, core::Direction::higher);
    EXPECT_EQ(by_key.at(inference + "latency_p95")->direction, core::Direction::lower);

    const json compile_params = {{"framework", "pytorch"}, {"model", "mlp"}, {"via", "load"}};
    const auto* compile =
        by_key.at("torchscript_compile " + compile_params.dump() + " compile_time");
    EXPECT_EQ(compile->direction, core::Direction::lower);
}

TEST(MlBenchFlags, RejectsABadThreadCount) {
    const auto result = run_process({ML_BENCH_BINARY, "--torch_threads=0"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--torch_threads=0: expected a whole number from 1 to"),
              std::string::npos)
        << result.err;
}

TEST(MlBenchFlags, RejectsAnUnknownFlag) {
    const auto result = run_process({ML_BENCH_BINARY, "--no_such_flag"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--no_such_flag"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace perftrack::examples::ml
