// The records adapter: flat JSON records (array or JSON lines) as ML benchmark scripts write
// them; fixtures in tests/fixtures/formats/records/ (hand-written in the shapes ML benchmark
// scripts write).
#include <gtest/gtest.h>

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
    auto run = test::parse_file("records",
                                testing::project_fixture("formats/records/ml-frameworks.json"));
    ASSERT_TRUE(run) << run.error().message;
    // No name field: the benchmark is the file's name. Strings and batch_size are params;
    // throughput (an integer, but named like a measurement) is a metric.
    const char* compiled =
        R"j({"batch_size":32,"framework":"PyTorch (torch.compile)","model_name":"ResNet"})j";
    const auto* time = test::find_series(*run, "ml-frameworks", compiled, "avg_time");
    ASSERT_NE(time, nullptr) << test::describe(*run);
    EXPECT_EQ(time->unit, "ns");
    EXPECT_EQ(time->direction, Direction::lower);
    EXPECT_EQ(time->samples,
              (std::vector<double>{41.2 * 1e6, 40.9 * 1e6}));  // two records, two samples
    const auto* throughput = test::find_series(*run, "ml-frameworks", compiled, "throughput");
    ASSERT_NE(throughput, nullptr);
    EXPECT_EQ(throughput->unit, "items/s");
    EXPECT_EQ(throughput->direction, Direction::higher);
    EXPECT_EQ(throughput->samples, (std::vector<double>{776, 782}));
    const auto* memory = test::find_series(*run, "ml-frameworks", compiled, "peak_memory");
    ASSERT_NE(memory, nullptr);
    EXPECT_EQ(memory->unit, "B");
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
    EXPECT_EQ(tokens->unit, "tokens/s");
    EXPECT_EQ(tokens->direction, Direction::higher);
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
    EXPECT_EQ(latency->unit, "ns");
    EXPECT_EQ(latency->samples, std::vector<double>{12.5 * 1e3});
    EXPECT_EQ(test::find_series(*run, "infer", params, "score")->direction, Direction::higher);
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
