// The gbench adapter on outputs captured from Debian's Google Benchmark 1.7.1
// (tests/fixtures/formats/gbench/, see its README) and on small hand-made cases for the rules
// that the captures cannot show (malformed input, renamed identities).
#include "formats/gbench.hpp"

#include <gtest/gtest.h>

#include "tests/support/shared_fixtures.hpp"
#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

using core::Direction;

std::filesystem::path fixture(const std::string& name) {
    return testing::project_fixture("formats/gbench/" + name);
}

core::Result<core::RunResults> parse(std::string_view text, const AdapterOptions& options = {}) {
    return parse_gbench(text, "bench.json", options);
}

TEST(GbenchAdapter, PlainRunNamedArgsThreadsCountersAndErrors) {
    AdapterOptions options;
    options.suite = "capture_bench";
    auto run = test::parse_file("gbench", fixture("plain-1.7.1.json"), options);
    ASSERT_TRUE(run) << run.error().message;

    // "train_step/batch_size:32": key:value segments become params, numbers as numbers.
    const auto* real = test::find_series(*run, "train_step", R"({"batch_size":32})", "real_time");
    ASSERT_NE(real, nullptr) << test::describe(*run);
    EXPECT_EQ(real->series.suite, "capture_bench");
    EXPECT_EQ(real->series.unit, "ns");
    EXPECT_EQ(real->series.direction, Direction::lower);
    EXPECT_EQ(real->samples, std::vector<double>{75.94731250009215});
    const auto* items =
        test::find_series(*run, "train_step", R"({"batch_size":32})", "throughput", "items/s");
    ASSERT_NE(items, nullptr);
    EXPECT_EQ(items->series.direction, Direction::higher);
    EXPECT_EQ(items->samples, std::vector<double>{997084736.3983536});
    // A user counter: unit "", lower by default.
    const auto* counter =
        test::find_series(*run, "train_step", R"({"batch_size":64})", "peak_memory");
    ASSERT_NE(counter, nullptr);
    EXPECT_EQ(counter->series.unit, "");
    EXPECT_EQ(counter->series.direction, Direction::lower);
    EXPECT_EQ(counter->samples, std::vector<double>{256.0});

    // String-valued segments: "infer/model:mlp/mode:eager/batch_size:16".
    EXPECT_NE(test::find_series(*run, "infer", R"({"batch_size":16,"mode":"eager","model":"mlp"})",
                                "cpu_time"),
              nullptr)
        << test::describe(*run);

    // time_unit us is converted; bytes_per_second is throughput in B/s; threads:2 is a param.
    const auto* copy = test::find_series(*run, "BM_Copy/64", R"({"threads":2})", "cpu_time");
    ASSERT_NE(copy, nullptr) << test::describe(*run);
    ASSERT_EQ(copy->samples.size(), 1u);
    EXPECT_DOUBLE_EQ(copy->samples[0], 0.0027409921267865004 * 1e3);
    const auto* bytes =
        test::find_series(*run, "BM_Copy/4096", R"({"threads":1})", "throughput", "B/s");
    ASSERT_NE(bytes, nullptr);
    EXPECT_EQ(bytes->samples, std::vector<double>{36966274591.913475});

    // SkipWithError: a failure with its message, no samples.
    ASSERT_EQ(run->failures.size(), 1u);
    EXPECT_EQ(run->failures[0].benchmark, "BM_Missing");
    EXPECT_EQ(run->failures[0].message, "input file not found");
    EXPECT_EQ(run->failures[0].suite, "capture_bench");
    EXPECT_EQ(test::find_series(*run, "BM_Missing", "{}", "real_time"), nullptr);

    // 8 instances, one failed: 7 benchmarks.
    EXPECT_EQ(core::count(*run).benchmarks, 7u);

    // Context: the fingerprint without per-run keys; the debug build is a warning.
    EXPECT_EQ(run->context.fingerprint["host_name"], "vm");
    EXPECT_EQ(run->context.fingerprint["num_cpus"], 2);
    EXPECT_EQ(run->context.fingerprint["library_build_type"], "debug");
    EXPECT_TRUE(run->context.fingerprint["caches"].is_array());
    EXPECT_FALSE(run->context.fingerprint.contains("date"));
    EXPECT_FALSE(run->context.fingerprint.contains("load_avg"));
    EXPECT_FALSE(run->context.fingerprint.contains("executable"));
    ASSERT_EQ(run->warnings.size(), 1u);
    EXPECT_NE(run->warnings[0].find("debug build"), std::string::npos);
    EXPECT_NE(run->warnings[0].find("release build"), std::string::npos);
}

TEST(GbenchAdapter, RepetitionsAreSamplesInOrderAndAggregatesAreNotStored) {
    auto run = test::parse_file("gbench", fixture("repetitions3-1.7.1.json"));
    ASSERT_TRUE(run) << run.error().message;
    const auto* real = test::find_series(*run, "train_step", R"({"batch_size":32})", "real_time");
    ASSERT_NE(real, nullptr);
    EXPECT_EQ(real->samples,
              (std::vector<double>{82.90036364485367, 69.33033551854754, 31.13398138245828}));
    const auto* counter =
        test::find_series(*run, "train_step", R"({"batch_size":64})", "peak_memory");
    ASSERT_NE(counter, nullptr);
    EXPECT_EQ(counter->samples, (std::vector<double>{256.0, 256.0, 256.0}));
    // 2 benchmarks x (real, cpu, throughput, peak_memory); the mean/median/stddev/cv rows are
    // not series of their own.
    EXPECT_EQ(run->measurements.size(), 8u) << test::describe(*run);
    for (const auto& m : run->measurements) EXPECT_EQ(m.samples.size(), 3u) << m.series.metric;
    // The error repeated in every repetition is one failure.
    ASSERT_EQ(run->failures.size(), 1u);
    EXPECT_EQ(run->failures[0].message, "input file not found");
    EXPECT_TRUE(run->notes.empty());
}

TEST(GbenchAdapter, AggregatesOnlyStoresTheMedianAndSaysSo) {
    auto run = test::parse_file("gbench", fixture("aggregates-only-1.7.1.json"));
    ASSERT_TRUE(run) << run.error().message;
    const auto* real = test::find_series(*run, "BM_Copy/64", R"({"threads":1})", "real_time");
    ASSERT_NE(real, nullptr) << test::describe(*run);
    ASSERT_EQ(real->samples.size(), 1u);
    EXPECT_DOUBLE_EQ(real->samples[0], 0.007157515769774788 * 1e3);  // the median row, us -> ns
    EXPECT_EQ(run->measurements.size(), 6u);
    ASSERT_EQ(run->notes.size(), 1u);
    EXPECT_NE(run->notes[0].find("median"), std::string::npos) << run->notes[0];
    EXPECT_NE(run->notes[0].find("BM_Copy/64/threads:1"), std::string::npos) << run->notes[0];
}

TEST(GbenchAdapter, DirectionOverrideAppliesToCounters) {
    AdapterOptions options;
    options.directions["peak_memory"] = Direction::higher;
    auto run = test::parse_file("gbench", fixture("plain-1.7.1.json"), options);
    ASSERT_TRUE(run) << run.error().message;
    const auto* counter =
        test::find_series(*run, "train_step", R"({"batch_size":32})", "peak_memory");
    ASSERT_NE(counter, nullptr);
    EXPECT_EQ(counter->series.direction, Direction::higher);
    EXPECT_EQ(test::find_series(*run, "train_step", R"({"batch_size":32})", "real_time")
                  ->series.direction,
              Direction::lower);
}

TEST(GbenchAdapter, RepetitionIndexOrdersSamples) {
    auto run = parse(R"({"benchmarks":[
      {"name":"BM_a","run_type":"iteration","repetition_index":1,"real_time":20,"cpu_time":2,"time_unit":"ns"},
      {"name":"BM_a","run_type":"iteration","repetition_index":0,"real_time":10,"cpu_time":1,"time_unit":"ns"}]})");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(test::find_series(*run, "BM_a", "{}", "real_time")->samples,
              (std::vector<double>{10, 20}));
}

TEST(GbenchAdapter, SkippedRowsOfNewerVersionsAreFailures) {
    auto run = parse(R"({"benchmarks":[
      {"name":"BM_gpu","run_type":"iteration","skipped":true,"skip_message":"no GPU","real_time":0,"cpu_time":0,"time_unit":"ns"},
      {"name":"BM_cpu","run_type":"iteration","real_time":5,"cpu_time":5,"time_unit":"ms"}]})");
    ASSERT_TRUE(run) << run.error().message;
    ASSERT_EQ(run->failures.size(), 1u);
    EXPECT_EQ(run->failures[0].message, "skipped: no GPU");
    EXPECT_EQ(test::find_series(*run, "BM_cpu", "{}", "real_time")->samples,
              std::vector<double>{5e6});
}

TEST(GbenchAdapter, ComplexityRowsAreANote) {
    auto run = parse(R"({"benchmarks":[
      {"name":"BM_v/8","run_name":"BM_v/8","run_type":"iteration","real_time":8,"cpu_time":8,"time_unit":"ns"},
      {"name":"BM_v_BigO","run_name":"BM_v","run_type":"aggregate","aggregate_name":"BigO","big_o":"N","real_coefficient":1,"cpu_coefficient":1,"time_unit":"ns"},
      {"name":"BM_v_RMS","run_name":"BM_v","run_type":"aggregate","aggregate_name":"RMS","rms":0.01}]})");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->measurements.size(), 2u);
    ASSERT_EQ(run->notes.size(), 1u);
    EXPECT_NE(run->notes[0].find("BigO"), std::string::npos);
    EXPECT_NE(run->notes[0].find("BM_v"), std::string::npos);
}

TEST(GbenchAdapter, CpuScalingIsAWarning) {
    auto run = parse(R"({"context":{"cpu_scaling_enabled":true,"library_build_type":"release"},
      "benchmarks":[{"name":"BM_a","real_time":1,"cpu_time":1,"time_unit":"ns"}]})");
    ASSERT_TRUE(run) << run.error().message;
    ASSERT_EQ(run->warnings.size(), 1u);
    EXPECT_NE(run->warnings[0].find("performance"), std::string::npos) << run->warnings[0];
}

TEST(GbenchAdapter, ZeroTimesAreLeftOutWithAWarning) {
    auto run = parse(R"({"benchmarks":[
      {"name":"BM_tiny","repetition_index":0,"real_time":0,"cpu_time":0.5,"time_unit":"ns"},
      {"name":"BM_tiny","repetition_index":1,"real_time":0.25,"cpu_time":0.5,"time_unit":"ns"}]})");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(test::find_series(*run, "BM_tiny", "{}", "real_time")->samples,
              std::vector<double>{0.25});
    ASSERT_EQ(run->warnings.size(), 1u);
    EXPECT_NE(run->warnings[0].find("BM_tiny real_time: 1 of 2"), std::string::npos)
        << run->warnings[0];
}

TEST(GbenchAdapter, TwoNamesForOneIdentityAreRefused) {
    auto run = parse(R"({"benchmarks":[
      {"name":"BM/a:1/b:2","real_time":1,"cpu_time":1,"time_unit":"ns"},
      {"name":"BM/b:2/a:1","real_time":1,"cpu_time":1,"time_unit":"ns"}]})");
    ASSERT_FALSE(run);
    EXPECT_NE(run.error().message.find("bench.json: benchmarks[1]"), std::string::npos)
        << run.error().message;
}

struct Malformed {
    const char* text;
    const char* message;  // the error contains this
};

class GbenchMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(GbenchMalformed, IsAnInputErrorNamingFileAndPlace) {
    auto run = parse(GetParam().text);
    ASSERT_FALSE(run) << GetParam().text;
    EXPECT_EQ(run.error().kind, core::ErrorKind::input);
    EXPECT_NE(run.error().message.find(GetParam().message), std::string::npos)
        << run.error().message;
    EXPECT_EQ(run.error().message.rfind("bench.json: ", 0), 0u) << run.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GbenchMalformed,
    ::testing::Values(
        Malformed{"", "file is empty"},
        Malformed{R"({"benchmarks":[{"name":"BM_a","real_time":1,)", "line 1"},
        Malformed{"[]", "expected a JSON object"},
        Malformed{R"({"context":{}})", R"(missing required field "benchmarks")"},
        Malformed{R"({"benchmarks":{}})", "benchmarks: expected an array, got an object"},
        Malformed{R"({"benchmarks":[]})", "no benchmark results found"},
        Malformed{R"({"benchmarks":[7]})", "benchmarks[0]: expected an object, got a number"},
        Malformed{R"({"benchmarks":[{"real_time":1,"cpu_time":1,"time_unit":"ns"}]})",
                  R"(benchmarks[0]: missing required field "name")"},
        Malformed{R"({"benchmarks":[{"name":3,"real_time":1,"cpu_time":1,"time_unit":"ns"}]})",
                  "benchmarks[0].name: expected a string, got a number"},
        Malformed{R"({"benchmarks":[{"name":"a","real_time":"1","cpu_time":1,"time_unit":"ns"}]})",
                  "benchmarks[0].real_time: expected a number, got a string"},
        Malformed{R"({"benchmarks":[{"name":"a","cpu_time":1,"time_unit":"ns"}]})",
                  R"(benchmarks[0]: missing required field "real_time")"},
        Malformed{
            R"({"benchmarks":[{"name":"a","real_time":1,"cpu_time":1,"time_unit":"fortnights"}]})",
            R"(benchmarks[0].time_unit: unknown time unit "fortnights")"},
        Malformed{R"({"benchmarks":[{"name":"a","real_time":1,"cpu_time":1}]})",
                  R"(benchmarks[0]: missing required field "time_unit")"},
        Malformed{
            R"({"benchmarks":[{"name":"a","run_type":"warmup","real_time":1,"cpu_time":1,"time_unit":"ns"}]})",
            R"(benchmarks[0].run_type: unknown run_type "warmup")"},
        Malformed{
            R"({"benchmarks":[{"name":"a","repetition_index":-1,"real_time":1,"cpu_time":1,"time_unit":"ns"}]})",
            "benchmarks[0].repetition_index: expected a non-negative integer"},
        Malformed{
            R"({"benchmarks":[{"name":"a","error_occurred":"yes","real_time":1,"cpu_time":1,"time_unit":"ns"}]})",
            "benchmarks[0].error_occurred: expected true or false"},
        Malformed{
            R"({"benchmarks":[{"name":"a","items_per_second":[1],"real_time":1,"cpu_time":1,"time_unit":"ns"}]})",
            "benchmarks[0].items_per_second: expected a number, got an array"},
        Malformed{R"({"context":[],"benchmarks":[]})", "context: expected an object"},
        Malformed{R"({"benchmarks":[{"name":"a","real_time":NaN,"cpu_time":1,"time_unit":"ns"}]})",
                  "NaN and Infinity are not valid JSON"}));

}  // namespace
}  // namespace perftrack::formats

namespace perftrack::formats {
namespace {

TEST(GbenchCounters, MetricOverridesGiveCountersUnitsAndDirections) {
    const std::string text = R"({"context":{},"benchmarks":[
      {"name":"infer/model:mlp","run_name":"infer/model:mlp","run_type":"iteration",
       "repetitions":1,"repetition_index":0,"threads":1,"iterations":10,"real_time":5.0,
       "cpu_time":5.0,"time_unit":"ms","compile_time":2.5,"peak_memory":1048576,"score":7}]})";
    AdapterOptions options;
    options.metrics["compile_time"] = {std::string("ms"), std::nullopt};
    options.metrics["peak_memory"] = {std::string("B"), std::nullopt};
    options.directions["score"] = core::Direction::higher;
    auto run = parse_results("gbench", text, "c.json", options);
    ASSERT_TRUE(run) << run.error().message;
    std::map<std::string, const core::Measurement*> by_metric;
    for (const auto& m : run->measurements) by_metric[m.series.metric] = &m;
    ASSERT_EQ(by_metric.count("compile_time"), 1u);
    EXPECT_EQ(by_metric["compile_time"]->series.unit, "ns");
    EXPECT_DOUBLE_EQ(by_metric["compile_time"]->samples[0], 2.5e6);
    EXPECT_EQ(by_metric["peak_memory"]->series.unit, "B");
    EXPECT_EQ(by_metric["peak_memory"]->series.direction, core::Direction::lower);
    EXPECT_EQ(by_metric["score"]->series.unit, "");
    EXPECT_EQ(by_metric["score"]->series.direction, core::Direction::higher);
}

}  // namespace
}  // namespace perftrack::formats
