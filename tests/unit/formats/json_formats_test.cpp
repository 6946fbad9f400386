// The JSON adapters other than gbench and records: pytest-benchmark and hyperfine on outputs
// captured from the Debian tools (tests/fixtures/formats/<tool>/README.md), JMH, BMF,
// github-action-benchmark and BenchmarkDotNet on small inputs in the tools' documented shapes
// for the rules the ../shared fixtures do not show.
#include <gtest/gtest.h>

#include "tests/support/shared_fixtures.hpp"
#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

using core::Direction;

core::Result<core::RunResults> parse(std::string_view format, std::string_view text,
                                     const AdapterOptions& options = {}) {
    return parse_results(format, text, "in.json", options);
}

// ---- pytest-benchmark

TEST(PytestBenchmarkAdapter, RoundsAreSamplesParamsAndGroupAreParams) {
    auto run = test::parse_file(
        "pytest-benchmark",
        testing::project_fixture("formats/pytest-benchmark/params-group-pedantic-3.2.2.json"));
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->measurements.size(), 4u) << test::describe(*run);
    // "capture_bench.py::test_fib[12]" with params {"n": 12}: the id suffix is dropped.
    const auto* fib = test::find_series(*run, "capture_bench.py::test_fib", R"({"n":12})", "time");
    ASSERT_NE(fib, nullptr) << test::describe(*run);
    EXPECT_EQ(fib->series.unit, "ns");
    EXPECT_EQ(fib->series.direction, Direction::lower);
    ASSERT_EQ(fib->samples.size(), 5u);
    EXPECT_DOUBLE_EQ(fib->samples[0], 2.3614999918208923e-05 * 1e9);
    const auto* sort =
        test::find_series(*run, "capture_bench.py::test_sort", R"({"group":"sorting"})", "time");
    ASSERT_NE(sort, nullptr);
    EXPECT_EQ(sort->samples.size(), 9u);
    // pedantic(rounds=4, iterations=2): 4 samples, each per iteration.
    const auto* pedantic = test::find_series(*run, "capture_bench.py::test_pedantic", "{}", "time");
    ASSERT_NE(pedantic, nullptr);
    ASSERT_EQ(pedantic->samples.size(), 4u);
    EXPECT_DOUBLE_EQ(pedantic->samples[3], 0.00057566449982005 * 1e9);
    EXPECT_EQ(run->context.fingerprint["python_version"], "3.11.2");
    EXPECT_TRUE(run->notes.empty());
}

// ---- hyperfine

TEST(HyperfineAdapter, EveryRunIsASampleAndParametersAreParams) {
    auto run = test::parse_file(
        "hyperfine", testing::project_fixture("formats/hyperfine/parameter-scan-1.15.json"));
    ASSERT_TRUE(run) << run.error().message;
    const auto* wall = test::find_series(*run, "seq 1 200000", R"({"n":2})", "wall_time");
    ASSERT_NE(wall, nullptr) << test::describe(*run);
    EXPECT_EQ(wall->samples,
              (std::vector<double>{0.005965336000000001 * 1e9, 0.003002798 * 1e9, 0.01118715 * 1e9,
                                   0.011722044000000001 * 1e9, 0.003098771 * 1e9}));
    const auto* user = test::find_series(*run, "seq 1 200000", R"({"n":2})", "user_time");
    ASSERT_NE(user, nullptr);
    EXPECT_EQ(user->samples, std::vector<double>{0.0026258 * 1e9});
    // n=1 has a system time of 0.0: no sample, no warning.
    EXPECT_EQ(test::find_series(*run, "seq 1 100000", R"({"n":1})", "system_time"), nullptr);
    EXPECT_NE(test::find_series(*run, "seq 1 200000", R"({"n":2})", "system_time"), nullptr);
    EXPECT_TRUE(run->warnings.empty());
}

TEST(HyperfineAdapter, NonZeroExitCodesAreANote) {
    auto run = test::parse_file(
        "hyperfine", testing::project_fixture("formats/hyperfine/shell-ignore-failure-1.15.json"));
    ASSERT_TRUE(run) << run.error().message;
    ASSERT_NE(test::find_series(*run, "sh -c \"exit 2\"", "{}", "wall_time"), nullptr);
    ASSERT_EQ(run->notes.size(), 1u);
    EXPECT_NE(run->notes[0].find("sh -c \"exit 2\": exited with a non-zero code"),
              std::string::npos)
        << run->notes[0];
    EXPECT_NE(run->notes[0].find("3 of 3 runs"), std::string::npos) << run->notes[0];
}

TEST(HyperfineAdapter, ZeroTimesSayHowToAvoidThem) {
    auto run = parse("hyperfine", R"({"results":[{"command":"true","mean":0.001,
        "times":[0.0,0.002],"exit_codes":[0,0]}]})");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(test::find_series(*run, "true", "{}", "wall_time")->samples,
              std::vector<double>{0.002 * 1e9});
    ASSERT_EQ(run->warnings.size(), 1u);
    EXPECT_NE(run->warnings[0].find("--shell=none"), std::string::npos) << run->warnings[0];
}

// ---- JMH

TEST(JmhAdapter, ModesUnitsSecondaryMetricsAndForks) {
    auto run = parse("jmh", R"([
      {"jmhVersion":"1.37","benchmark":"org.x.Bench.parse","mode":"avgt","params":{"size":"100"},
       "primaryMetric":{"score":2.5,"scoreUnit":"us/op","rawData":[[2.0,3.0],[2.5]]},
       "secondaryMetrics":{"·gc.alloc.rate.norm":{"score":48.0,"scoreUnit":"B/op","rawData":[[48.0,48.0],[48.0]]},
                           "·gc.time":{"score":0.0,"scoreUnit":"ms","rawData":[[0.0,0.0],[0.0]]}}},
      {"jmhVersion":"1.37","benchmark":"org.x.Bench.parse","mode":"thrpt","params":{"size":"100"},
       "primaryMetric":{"score":400.0,"scoreUnit":"ops/ms"}},
      {"jmhVersion":"1.37","benchmark":"org.x.Bench.once","mode":"ss",
       "primaryMetric":{"score":1.5,"scoreUnit":"s/op","rawData":[[1.5]]}}])");
    ASSERT_TRUE(run) << run.error().message;
    const auto* avgt =
        test::find_series(*run, "org.x.Bench.parse", R"({"size":100})", "average_time");
    ASSERT_NE(avgt, nullptr) << test::describe(*run);
    EXPECT_EQ(avgt->series.unit, "ns");
    EXPECT_EQ(avgt->series.direction, Direction::lower);
    EXPECT_EQ(avgt->samples, (std::vector<double>{2000, 3000, 2500}));  // fork 0, then fork 1
    const auto* alloc =
        test::find_series(*run, "org.x.Bench.parse", R"({"size":100})", "gc_alloc_rate_norm");
    ASSERT_NE(alloc, nullptr);
    EXPECT_EQ(alloc->series.unit, "B/op");
    EXPECT_EQ(alloc->samples, (std::vector<double>{48, 48, 48}));
    // gc.time of 0 means no collection happened: nothing stored, no warning.
    EXPECT_EQ(test::find_series(*run, "org.x.Bench.parse", R"({"size":100})", "gc_time"), nullptr);
    EXPECT_TRUE(run->warnings.empty());
    const auto* thrpt =
        test::find_series(*run, "org.x.Bench.parse", R"({"size":100})", "throughput");
    ASSERT_NE(thrpt, nullptr);
    EXPECT_EQ(thrpt->series.unit, "ops/s");
    EXPECT_EQ(thrpt->series.direction, Direction::higher);
    EXPECT_EQ(thrpt->samples, std::vector<double>{400000});  // the score: no rawData (note)
    const auto* ss = test::find_series(*run, "org.x.Bench.once", "{}", "single_shot_time");
    ASSERT_NE(ss, nullptr);
    EXPECT_EQ(ss->samples, std::vector<double>{1.5e9});
    EXPECT_EQ(run->context.fingerprint["jmhVersion"], "1.37");
    ASSERT_EQ(run->notes.size(), 1u);
    EXPECT_NE(run->notes[0].find("score"), std::string::npos);
}

// ---- BMF

TEST(BmfAdapter, BuiltinMeasuresHaveUnitsOthersTakeMetricOverrides) {
    AdapterOptions options;
    options.metrics["max_bytes"] = {"B", Direction::lower};
    options.metrics["Frames"] = {std::nullopt, Direction::higher};
    auto run = parse("bmf", R"({"encode": {"latency": {"value": 12.5, "lower_value": 12.0},
        "throughput": {"value": 800}, "build-time": {"value": 1.5}, "file-size": {"value": 4096},
        "Max Bytes": {"value": 9}, "Frames": {"value": 60}}})",
                     options);
    ASSERT_TRUE(run) << run.error().message;
    auto check = [&](const char* metric, const char* unit, Direction dir, double value) {
        const auto* m = test::find_series(*run, "encode", "{}", metric);
        ASSERT_NE(m, nullptr) << metric << "\n" << test::describe(*run);
        EXPECT_EQ(m->series.unit, unit) << metric;
        EXPECT_EQ(m->series.direction, dir) << metric;
        EXPECT_EQ(m->samples, std::vector<double>{value}) << metric;
    };
    check("latency", "ns", Direction::lower, 12.5);
    check("throughput", "ops/s", Direction::higher, 800);
    check("build_time", "ns", Direction::lower, 1.5e9);
    check("file_size", "B", Direction::lower, 4096);
    check("max_bytes", "B", Direction::lower, 9);  // --metric by its snake_case name
    check("frames", "", Direction::higher, 60);    // --metric by the name in the file
}

// ---- github-action-benchmark custom JSON

TEST(GabJsonAdapter, BiggerIsBetterNeedsTheDirectionFlag) {
    AdapterOptions options;
    options.directions["value"] = Direction::higher;
    auto run = parse("gab-json", R"([{"name":"req","unit":"req/s","value":70,"range":"3"},
        {"name":"req","unit":"req/s","value":72},{"name":"lat","unit":"ms","value":1.5,"range":0.1}])",
                     options);
    ASSERT_TRUE(run) << run.error().message;
    const auto* req = test::find_series(*run, "req", "{}", "value");
    ASSERT_NE(req, nullptr);
    EXPECT_EQ(req->series.direction, Direction::higher);
    EXPECT_EQ(req->samples, (std::vector<double>{70, 72}));  // a repeated name: more samples
    const auto* lat = test::find_series(*run, "lat", "{}", "value");
    ASSERT_NE(lat, nullptr);
    EXPECT_EQ(lat->series.unit, "ns");
    EXPECT_EQ(lat->samples, std::vector<double>{1.5e6});
}

// ---- BenchmarkDotNet

TEST(BenchmarkDotNetAdapter, ParametersJobsAndFailedBenchmarks) {
    auto run = parse("benchmarkdotnet", R"j({"Title":"t","HostEnvironmentInfo":{
        "ProcessorName":{"IsValueCreated":true,"Value":"Xeon"},"OsVersion":"Linux"},
      "Benchmarks":[
        {"Namespace":"App","Type":"Parser","Method":"Parse","Parameters":"Size=10&Mode=fast",
         "DisplayInfo":"Parser.Parse(Size=10, Mode=fast): .NET 8.0(Runtime=.NET 8.0)",
         "Statistics":{"OriginalValues":[10.5,11.0],"Median":10.75},
         "Memory":{"Gen0Collections":5,"Gen1Collections":0,"Gen2Collections":0,
                   "TotalOperations":10000,"BytesAllocatedPerOperation":72}},
        {"Namespace":"App","Type":"Parser","Method":"Broken","Parameters":"",
         "DisplayInfo":"Parser.Broken: DefaultJob","Statistics":null}]})j");
    ASSERT_TRUE(run) << run.error().message;
    const char* params = R"j({"Mode":"fast","Size":10,"job":".NET 8.0(Runtime=.NET 8.0)"})j";
    const auto* time = test::find_series(*run, "App.Parser.Parse", params, "time");
    ASSERT_NE(time, nullptr) << test::describe(*run);
    EXPECT_EQ(time->samples, (std::vector<double>{10.5, 11.0}));
    const auto* gen0 = test::find_series(*run, "App.Parser.Parse", params, "gc_gen0_collections");
    ASSERT_NE(gen0, nullptr);
    EXPECT_EQ(gen0->series.unit, "per 1000 ops");
    EXPECT_EQ(gen0->samples, std::vector<double>{0.5});
    ASSERT_EQ(run->failures.size(), 1u);
    EXPECT_EQ(run->failures[0].benchmark, "App.Parser.Broken");
    EXPECT_EQ(run->failures[0].params.dump(), "{}");
    EXPECT_EQ(run->context.fingerprint["ProcessorName"], "Xeon");
}

}  // namespace
}  // namespace perftrack::formats
