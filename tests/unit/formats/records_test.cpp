// The records adapter: flat JSON records (array or JSON lines) as ML benchmark scripts write
// them; fixtures in tests/fixtures/formats/records/ (hand-written in the shapes ML benchmark
// scripts write, and real output of examples/ml/ml_suite.py).
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/shared_fixtures.hpp"
#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

using core::Direction;

constexpr double k_mib = 1024.0 * 1024.0;

core::Result<core::RunResults> parse(std::string_view text, const AdapterOptions& options = {},
                                     std::string_view source = "results.json") {
    return parse_results("records", text, source, options);
}

TEST(RecordsAdapter, ArrayOfRecordsWithInferredUnitsAndRepetitions) {
    auto run =
        test::parse_file("records", testing::project_fixture("formats/records/ml-frameworks.json"));
    ASSERT_TRUE(run) << run.error().message;
    // No name field: the benchmark is the file's name. Strings and batch_size are params;
    // throughput (an integer, but named like a measurement) is a metric.
    const char* compiled =
        R"j({"batch_size":32,"framework":"PyTorch (torch.compile)","model_name":"ResNet"})j";
    const auto* time = test::find_series(*run, "ml-frameworks", compiled, "avg_time");
    ASSERT_NE(time, nullptr) << test::describe(*run);
    EXPECT_EQ(time->series.unit, "ns");
    EXPECT_EQ(time->series.direction, Direction::lower);
    EXPECT_EQ(time->samples,
              (std::vector<double>{41.2 * 1e6, 40.9 * 1e6}));  // two records, two samples
    const auto* throughput = test::find_series(*run, "ml-frameworks", compiled, "throughput");
    ASSERT_NE(throughput, nullptr);
    EXPECT_EQ(throughput->series.unit, "items/s");
    EXPECT_EQ(throughput->series.direction, Direction::higher);
    EXPECT_EQ(throughput->samples, (std::vector<double>{776, 782}));
    const auto* memory = test::find_series(*run, "ml-frameworks", compiled, "peak_memory");
    ASSERT_NE(memory, nullptr);
    EXPECT_EQ(memory->series.unit, "B");
    EXPECT_EQ(memory->samples, (std::vector<double>{5120 * k_mib, 5120 * k_mib}));
    EXPECT_EQ(test::find_series(*run, "ml-frameworks", compiled, "compile_time")->samples,
              (std::vector<double>{38000 * 1e6, 37450 * 1e6}));
    EXPECT_NE(
        test::find_series(
            *run, "ml-frameworks",
            R"({"backend":"XLA","batch_size":32,"framework":"TensorFlow","model_name":"ResNet"})",
            "avg_time"),
        nullptr);
    EXPECT_EQ(core::count(*run).benchmarks, 3u);
    EXPECT_EQ(run->measurements.size(), 10u);
}

TEST(RecordsAdapter, JsonLinesKeepPercentilesAndRates) {
    auto run = test::parse_file(
        "records", testing::project_fixture("formats/records/inference-latency.jsonl"));
    ASSERT_TRUE(run) << run.error().message;
    const char* xla = R"({"backend":"XLA","batch_size":1,"framework":"TensorFlow"})";
    EXPECT_EQ(test::find_series(*run, "inference-latency", xla, "p95_latency")->samples,
              (std::vector<double>{3.9 * 1e6, 3.7 * 1e6, 4.1 * 1e6}));
    const auto* tokens = test::find_series(
        *run, "inference-latency", R"({"backend":"CPU","batch_size":1,"framework":"ONNX Runtime"})",
        "tokens_per_second");
    ASSERT_NE(tokens, nullptr) << test::describe(*run);
    EXPECT_EQ(tokens->series.unit, "tokens/s");
    EXPECT_EQ(tokens->series.direction, Direction::higher);
    EXPECT_EQ(run->measurements.size(), 7u);
}

TEST(RecordsAdapter, ParamsFlagAndMetricOverrides) {
    AdapterOptions options;
    options.param_fields = {"model", "threads"};
    options.metrics["latency"] = {"us", std::nullopt};
    options.metrics["score"] = {std::nullopt, Direction::higher};
    auto run = parse(R"([{"name":"infer","model":"bert","threads":4,"device":"cpu",
        "latency":12.5,"score":0.91,"epochs":3,"config":{"lr":0.1}}])",
                     options);
    ASSERT_TRUE(run) << run.error().message;
    const char* params = R"({"model":"bert","threads":4})";
    const auto* latency = test::find_series(*run, "infer", params, "latency");
    ASSERT_NE(latency, nullptr) << test::describe(*run);
    EXPECT_EQ(latency->series.unit, "ns");
    EXPECT_EQ(latency->samples, std::vector<double>{12.5 * 1e3});
    EXPECT_EQ(test::find_series(*run, "infer", params, "score")->series.direction,
              Direction::higher);
    // With --params, an integer that is not listed is a metric.
    EXPECT_NE(test::find_series(*run, "infer", params, "epochs"), nullptr);
    ASSERT_EQ(run->notes.size(), 1u);
    EXPECT_NE(run->notes[0].find("config, device"), std::string::npos) << run->notes[0];
}

TEST(RecordsAdapter, ArraysOfNumbersAreSamples) {
    auto run = parse(R"({"benchmark":"step","batch_size":8,"step_time_ms":[10.0,11.0,10.5]})");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(test::find_series(*run, "step", R"({"batch_size":8})", "step_time")->samples,
              (std::vector<double>{10.0 * 1e6, 11.0 * 1e6, 10.5 * 1e6}));
}

TEST(RecordsAdapter, ARecordWithAnErrorAndNoNumbersIsAFailure) {
    auto run = parse(R"([
        {"benchmark":"inference","framework":"pytorch","mode":"torch.compile","batch_size":1,
         "error":"timed out after 900 s"},
        {"benchmark":"inference","framework":"pytorch","mode":"eager","batch_size":1,
         "avg_latency_ms":0.2}])");
    ASSERT_TRUE(run) << run.error().message;
    ASSERT_EQ(run->failures.size(), 1u) << test::describe(*run);
    EXPECT_EQ(run->failures[0].benchmark, "inference");
    EXPECT_EQ(run->failures[0].params.dump(),
              R"({"batch_size":1,"framework":"pytorch","mode":"torch.compile"})");
    EXPECT_EQ(run->failures[0].message, "timed out after 900 s");
    EXPECT_NE(test::find_series(*run, "inference",
                                R"({"batch_size":1,"framework":"pytorch","mode":"eager"})",
                                "avg_latency"),
              nullptr);
    // The message is neither an ignored field nor a record without numbers.
    EXPECT_TRUE(run->notes.empty()) << run->notes[0];

    // Failures alone are a result too (every configuration of a run can fail).
    auto failed = parse(R"({"benchmark":"b","error":"out of memory"})");
    ASSERT_TRUE(failed) << failed.error().message;
    EXPECT_EQ(failed->failures.size(), 1u);
}

TEST(RecordsAdapter, AnErrorBesideNumbersStaysAParamAsBefore) {
    auto run = parse(R"([{"benchmark":"b","error":"none","t_ms":1},{"benchmark":"c","error":""}])");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_TRUE(run->failures.empty());
    EXPECT_NE(test::find_series(*run, "b", R"({"error":"none"})", "t"), nullptr)
        << test::describe(*run);
    ASSERT_EQ(run->notes.size(), 1u);
    EXPECT_EQ(run->notes[0], "1 record(s) have no numeric field: nothing stored from them");
}

TEST(RecordsAdapter, AContextObjectGoesToTheFingerprint) {
    auto run = parse(R"([{"context":{"threads":1,"torch_version":"2.13.0","pinned":true,
                                      "pools":{"intra":1}}},
                         {"benchmark":"b","t_ms":1,"context":{"threads":1}}])");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->context.fingerprint,
              (nlohmann::json{{"threads", 1}, {"torch_version", "2.13.0"}, {"pinned", true}}));
    EXPECT_NE(test::find_series(*run, "b", "{}", "t"), nullptr) << test::describe(*run);
    // A context-only record is not a record without numbers; a nested value is ignored.
    ASSERT_EQ(run->notes.size(), 1u);
    EXPECT_EQ(run->notes[0], "fields ignored (neither a param nor numbers): context.pools");

    auto contradiction = parse(R"([{"context":{"threads":1}},{"b":"x","t_ms":1},
                                   {"context":{"threads":2}}])");
    ASSERT_FALSE(contradiction);
    EXPECT_EQ(contradiction.error().message,
              "results.json: [2].context.threads: 2 differs from 1 in an earlier record");
}

TEST(RecordsAdapter, IgnoredFieldsAreNeitherParamsNorMetrics) {
    const char* text = R"([{"benchmark":"step","batch_size":8,"num_iterations":30,
                            "warmup_time_ms":[90.0,1.1],"step_time_ms":[1.0,1.5]}])";
    AdapterOptions options;
    options.ignored_fields = {"num_iterations", "warmup_time_ms"};
    auto run = parse(text, options);
    ASSERT_TRUE(run) << run.error().message;
    ASSERT_EQ(run->measurements.size(), 1u) << test::describe(*run);
    const auto* step = test::find_series(*run, "step", R"({"batch_size":8})", "step_time");
    ASSERT_NE(step, nullptr) << test::describe(*run);
    EXPECT_EQ(step->samples, (std::vector<double>{1.0 * 1e6, 1.5 * 1e6}));
    EXPECT_TRUE(run->notes.empty());
    // Without the option an integer that names no measurement is a param, as it always was.
    auto plain = parse(text);
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_NE(
        test::find_series(*plain, "step", R"({"batch_size":8,"num_iterations":30})", "warmup_time"),
        nullptr)
        << test::describe(*plain);
}

// examples/ml/ml_suite.py as examples/ml/perftrack.toml reads it: every mode of every model at
// batch size 1 (a real run, short iterations). The expectations come from the file itself.
class MlSuiteOutput : public ::testing::Test {
  protected:
    void SetUp() override {
        m_path = testing::project_fixture("formats/records/ml-suite-all-modes.json");
        m_records = nlohmann::json::parse(test::read_fixture(m_path));
        m_options.suite = "ml_frameworks";
        m_options.param_fields = {"framework", "mode", "model", "batch_size"};
        m_options.ignored_fields = {"num_iterations", "warmup_time_ms"};
        auto run = test::parse_file("records", m_path, m_options);
        ASSERT_TRUE(run) << run.error().message;
        m_run = std::move(*run);
    }

    static std::string params_of(const nlohmann::json& r) {
        nlohmann::json p = nlohmann::json::object();
        for (const char* k : {"framework", "mode", "model", "batch_size"})
            if (r.contains(k)) p[k] = r[k];
        return p.dump();
    }

    std::filesystem::path m_path;
    nlohmann::json m_records;
    AdapterOptions m_options;
    core::RunResults m_run;
};

TEST_F(MlSuiteOutput, EveryConfigurationIsASeriesWithItsPerIterationSamples) {
    std::size_t configurations = 0;
    for (const auto& r : m_records) {
        if (!r.contains("benchmark") || r["benchmark"] == "framework_import") continue;
        ++configurations;
        const bool train = r["benchmark"] == "train_step";
        const auto* samples =
            test::find_series(m_run, r["benchmark"].get<std::string>(), params_of(r),
                              train ? "step_time" : "latency", "ns", "ml_frameworks");
        ASSERT_NE(samples, nullptr) << r.dump() << "\n" << test::describe(m_run);
        const auto& times = r[train ? "step_time_ms" : "latency_ms"];
        ASSERT_EQ(samples->samples.size(), r["num_iterations"].get<std::size_t>());
        for (std::size_t i = 0; i < times.size(); ++i)
            EXPECT_DOUBLE_EQ(samples->samples[i], times[i].get<double>() * 1e6);
        const auto* throughput =
            test::find_series(m_run, r["benchmark"].get<std::string>(), params_of(r), "throughput");
        ASSERT_NE(throughput, nullptr);
        EXPECT_EQ(throughput->series.unit, "items/s");
        EXPECT_EQ(throughput->series.direction, Direction::higher);
        EXPECT_EQ(throughput->samples, std::vector<double>{r["throughput"].get<double>()});
        const auto* memory = test::find_series(m_run, r["benchmark"].get<std::string>(),
                                               params_of(r), "peak_memory");
        ASSERT_NE(memory, nullptr);
        EXPECT_EQ(memory->series.unit, "B");
        EXPECT_EQ(memory->series.direction, Direction::lower);
        EXPECT_DOUBLE_EQ(memory->samples.at(0), r["peak_memory_mb"].get<double>() * k_mib);
        for (const char* field : {"avg_time_ms", "p95_latency_ms", "compile_time_ms"}) {
            if (!r.contains(field)) continue;
            std::string metric(field);
            metric.resize(metric.size() - 3);
            const auto* m = test::find_series(m_run, r["benchmark"].get<std::string>(),
                                              params_of(r), metric, "ns");
            ASSERT_NE(m, nullptr) << field << " of " << params_of(r);
            EXPECT_DOUBLE_EQ(m->samples.at(0), r[field].get<double>() * 1e6);
        }
    }
    // 3 models x (6 training + 9 inference modes) at batch size 1.
    EXPECT_EQ(configurations, 45u);
    EXPECT_TRUE(m_run.failures.empty());
}

TEST_F(MlSuiteOutput, ParamsAreTheFourNamedAndCountsAreNotStored) {
    std::set<std::string> metrics;
    for (const auto& m : m_run.measurements) {
        metrics.insert(m.series.metric);
        for (const auto& [key, value] : m.series.params.items())
            EXPECT_TRUE(key == "framework" || key == "mode" || key == "model" ||
                        key == "batch_size")
                << key << " in " << m.series.params.dump();
    }
    EXPECT_EQ(metrics.count("num_iterations"), 0u);
    EXPECT_EQ(metrics.count("warmup_time"), 0u);
    EXPECT_EQ(metrics.count("allocator_peak_memory"), 1u);  // TensorFlow's own allocator
    // The import time of every worker process, per framework.
    const auto* import = test::find_series(m_run, "framework_import",
                                           R"({"framework":"tensorflow"})", "import_time", "ns");
    ASSERT_NE(import, nullptr) << test::describe(m_run);
    EXPECT_GE(import->samples.size(), 2u);
    EXPECT_TRUE(m_run.notes.empty()) << m_run.notes[0];
}

TEST_F(MlSuiteOutput, TheContextRecordIsTheFingerprint) {
    EXPECT_EQ(m_run.context.fingerprint, m_records[0]["context"]);
    EXPECT_EQ(m_run.context.fingerprint["ml_suite_threads"], 1);
    EXPECT_EQ(m_run.context.fingerprint["torch_threads"], 1);
    EXPECT_EQ(m_run.context.fingerprint["torch_version"], "2.13.0+cpu");
}

TEST(RecordsAdapter, MlSuiteFailuresAreRecordedWithTheirParams) {
    // A real run whose JAX eager reference timed out: its modes cannot be checked, so they are
    // reported as failures, and a file of failures only is still a result.
    AdapterOptions options;
    options.param_fields = {"framework", "mode", "model", "batch_size"};
    auto run = test::parse_file(
        "records", testing::project_fixture("formats/records/ml-suite-reference-failed.json"),
        options);
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_TRUE(run->measurements.empty());
    ASSERT_EQ(run->failures.size(), 2u);
    EXPECT_EQ(run->failures[1].benchmark, "inference");
    EXPECT_EQ(run->failures[1].params.dump(),
              R"({"batch_size":32,"framework":"jax","mode":"jit","model":"mlp"})");
    EXPECT_EQ(run->failures[1].message.rfind("eager reference failed: timed out after 0.5 s", 0),
              0u)
        << run->failures[1].message;
    EXPECT_TRUE(run->notes.empty()) << run->notes[0];
}

struct Bad {
    const char* text;
    const char* message;
};

class RecordsMalformed : public ::testing::TestWithParam<Bad> {};

TEST_P(RecordsMalformed, NamesFileAndPlace) {
    auto run = parse(GetParam().text);
    ASSERT_FALSE(run) << GetParam().text;
    EXPECT_EQ(run.error().kind, core::ErrorKind::input);
    EXPECT_NE(run.error().message.find(GetParam().message), std::string::npos)
        << run.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RecordsMalformed,
    ::testing::Values(Bad{"", "results.json: file is empty"},
                      Bad{R"([{"a":"x","t_ms":1},)", "results.json: invalid JSON at line 1"},
                      Bad{R"([{"a":"x","t_ms":1}, 5])",
                          "results.json: [1]: expected a flat JSON object, got a number"},
                      Bad{"{\"a\":\"x\",\"t_ms\":1}\n{\"a\":\"y\",\"t_ms\":}\n",
                          "results.json: line 2: invalid JSON at column 17"},
                      Bad{"{\"a\":\"x\",\"t_ms\":1}\n[1,2]\n",
                          "results.json: line 2: expected a flat JSON object"},
                      Bad{R"([{"a":"x"},{"b":"y"}])", "results.json: no benchmark results found"},
                      Bad{R"([{"name":"","t_ms":1}])", "results.json: [0].name: must not be empty"},
                      Bad{R"(5)", "expected a JSON array of records or JSON lines"},
                      Bad{R"([{"t_s":1e308}])", "results.json: [0].t_s: out of range"}));

}  // namespace
}  // namespace perftrack::formats
