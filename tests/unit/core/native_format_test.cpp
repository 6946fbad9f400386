#include "core/native_format.hpp"

#include <gtest/gtest.h>

#include "core/exit_code.hpp"

namespace perftrack::core {
namespace {

constexpr const char* k_valid = R"({
  "version": 1,
  "context": {"project": "p", "branch": "main", "commit": "abc123", "testbed": "ci-x86",
              "commit_time": "2024-05-01T12:00:00Z"},
  "results": [
    {"benchmark": "train_step/mlp", "params": {"framework": "pytorch", "batch_size": 32},
     "metric": "step_time", "unit": "ms", "direction": "lower", "samples": [12.1, 12.3, 12.0]},
    {"benchmark": "train_step/mlp", "params": {"framework": "pytorch", "batch_size": 32},
     "metric": "throughput", "unit": "items/s", "direction": "higher", "samples": [2600]}
  ]
})";

TEST(NativeFormat, ParsesContextAndResults) {
    auto run = parse_native(k_valid, "r.json");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->context.project, "p");
    EXPECT_EQ(run->context.commit, "abc123");
    EXPECT_EQ(run->context.commit_time, "2024-05-01T12:00:00Z");
    ASSERT_EQ(run->measurements.size(), 2u);
    const auto& m = run->measurements[0];
    EXPECT_EQ(m.series.benchmark, "train_step/mlp");
    EXPECT_EQ(m.series.params.dump(), R"({"batch_size":32,"framework":"pytorch"})");
    EXPECT_EQ(m.series.unit, "ms");
    EXPECT_EQ(m.series.direction, Direction::lower);
    EXPECT_EQ(m.samples, (std::vector<double>{12.1, 12.3, 12.0}));
    EXPECT_EQ(run->measurements[1].series.direction, Direction::higher);
}

TEST(NativeFormat, RoundTripsThroughToNativeJson) {
    auto run = parse_native(k_valid, "r.json");
    ASSERT_TRUE(run);
    run->failures.push_back({"", "bm_fail", Params::object(), "crashed: SIGSEGV"});
    run->context.fingerprint = {{"cpu", "x86"}, {"cores", 2}};
    const std::string text = to_native_json(*run);
    auto again = parse_native(text, "spool");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(to_native_json(*again), text);
    EXPECT_EQ(again->failures.size(), 1u);
    EXPECT_EQ(again->context.fingerprint["cores"], 2);
}

TEST(NativeFormat, DoublesRoundTripExactly) {
    RunResults run;
    Measurement m;
    m.series.benchmark = "b";
    m.series.metric = "value";
    m.series.unit = "ns";
    m.samples = {0.1, 1.0 / 3.0, 123456789.123456789, 5e-324 * 1e10};
    run.measurements.push_back(m);
    auto again = parse_native(to_native_json(run), "x");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->measurements[0].samples, m.samples);
}

struct BadCase {
    const char* name;
    const char* text;
    const char* expected;  // substring of the message
};

class NativeFormatRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(NativeFormatRejects, WithPathAndProblem) {
    const auto& c = GetParam();
    auto run = parse_native(c.text, "in.json");
    ASSERT_FALSE(run) << c.name;
    EXPECT_EQ(run.error().kind, ErrorKind::input);
    EXPECT_EQ(exit_code_for(run.error().kind), ExitCode::bad_input);
    EXPECT_NE(run.error().message.find("in.json: "), std::string::npos) << run.error().message;
    EXPECT_NE(run.error().message.find(c.expected), std::string::npos)
        << c.name << ": " << run.error().message;
}

#define RESULT(extra)                                                                                                                                                                \
    R"({"version":1,"results":[{"benchmark":"a","metric":"t","unit":"ns","direction":"lower","samples":[1,2]},{"benchmark":"b","metric":"t","unit":"ns","direction":"lower",)" extra \
    "}]}"

INSTANTIATE_TEST_SUITE_P(
    BadInputs, NativeFormatRejects,
    ::testing::Values(
        BadCase{"empty file", "", "file is empty"},
        BadCase{"truncated", R"({"version":1,"results":[{"benchmark":"a")", "truncated"},
        BadCase{"not an object", "[1,2]", "expected a JSON object"},
        BadCase{"no version", R"({"results":[]})", "missing required field \"version\""},
        BadCase{"wrong version", R"({"version":2,"results":[]})", "unsupported version 2"},
        BadCase{"empty results", R"({"version":1,"results":[]})", "results: no results"},
        BadCase{"results not array", R"({"version":1,"results":{}})", "results: expected an array"},
        BadCase{"NaN literal", RESULT(R"("samples":[1,NaN])"), "NaN and Infinity"},
        BadCase{"Infinity literal", RESULT(R"("samples":[-Infinity])"), "NaN and Infinity"},
        BadCase{"huge number", RESULT(R"("samples":[1e999])"), "number 1e999 is out of range"},
        BadCase{"string sample", RESULT(R"("samples":[1,"2"])"),
                "results[1].samples[1]: expected a number, got a string"},
        BadCase{"negative time", RESULT(R"("samples":[1,-3])"),
                "results[1].samples[1]: a time must be greater than zero"},
        BadCase{"zero time", RESULT(R"("samples":[0])"), "results[1].samples[0]"},
        BadCase{"empty samples", RESULT(R"("samples":[])"), "results[1].samples: no samples"},
        BadCase{"missing samples", RESULT(R"("x":1)"), "results[1].x: unknown key"},
        BadCase{
            "unknown direction",
            R"({"version":1,"results":[{"benchmark":"a","metric":"t","unit":"ns","direction":"down","samples":[1]}]})",
            "results[0].direction: unknown direction \"down\""},
        BadCase{
            "missing metric",
            R"({"version":1,"results":[{"benchmark":"a","unit":"ns","direction":"lower","samples":[1]}]})",
            "results[0]: missing required field \"metric\""},
        BadCase{
            "benchmark not string",
            R"({"version":1,"results":[{"benchmark":3,"metric":"t","unit":"ns","direction":"lower","samples":[1]}]})",
            "results[0].benchmark: expected a string, got a number"},
        BadCase{
            "nested params",
            R"({"version":1,"results":[{"benchmark":"a","params":{"x":{"y":1}},"metric":"t","unit":"ns","direction":"lower","samples":[1]}]})",
            "results[0].params.x: expected a string or a number"},
        BadCase{
            "bad commit time",
            R"({"version":1,"context":{"commit_time":"yesterday"},"results":[{"benchmark":"a","metric":"t","unit":"ns","direction":"lower","samples":[1]}]})",
            "context.commit_time"},
        BadCase{
            "unknown context key",
            R"({"version":1,"context":{"sha":"x"},"results":[{"benchmark":"a","metric":"t","unit":"ns","direction":"lower","samples":[1]}]})",
            "context.sha: unknown context key"},
        BadCase{
            "duplicate series",
            R"({"version":1,"results":[{"benchmark":"a","metric":"t","unit":"ns","direction":"lower","samples":[1]},{"benchmark":"a","metric":"t","unit":"ns","direction":"lower","samples":[2]}]})",
            "results[1]: duplicate series"}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) {
        std::string name = param_info.param.name;
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        return name;
    });

TEST(NativeFormat, NegativeValuesAllowedForNonTimeMetrics) {
    auto run = parse_native(
        R"({"version":1,"results":[{"benchmark":"a","metric":"delta","unit":"","direction":"higher","samples":[-1.5]}]})",
        "x");
    ASSERT_TRUE(run) << run.error().message;
}

TEST(NativeFormat, ReportsLineAndColumnOfSyntaxErrors) {
    auto run = parse_native("{\n  \"version\": 1,\n  \"results\": [tru]\n}", "f.json");
    ASSERT_FALSE(run);
    EXPECT_NE(run.error().message.find("f.json: invalid JSON at line 3"), std::string::npos)
        << run.error().message;
}

}  // namespace
}  // namespace perftrack::core
