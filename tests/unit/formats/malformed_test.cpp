// Malformed variants of every format (truncated, wrong types, empty, missing fields): each is an
// input error whose message starts with the file's name and names the place and the problem.
#include <gtest/gtest.h>

#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

struct Malformed {
    const char* format;
    const char* source;
    const char* text;
    const char* message;  // the error contains this (after "<source>: ")
};

void PrintTo(const Malformed& m, std::ostream* os) {
    *os << m.format << ": " << m.message;
}

class MalformedInput : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedInput, IsAnInputErrorNamingFileAndPlace) {
    const Malformed& c = GetParam();
    auto run = parse_results(c.format, c.text, c.source, {});
    ASSERT_FALSE(run) << c.format << " accepted:\n" << c.text << "\n" << test::describe(*run);
    EXPECT_EQ(run.error().kind, core::ErrorKind::input);
    const std::string prefix = std::string(c.source) + ": ";
    EXPECT_EQ(run.error().message.rfind(prefix, 0), 0u) << run.error().message;
    EXPECT_NE(run.error().message.find(c.message), std::string::npos) << run.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Formats, MalformedInput,
    ::testing::Values(
        // pytest-benchmark
        Malformed{"pytest-benchmark", "p.json", "", "file is empty"},
        Malformed{"pytest-benchmark", "p.json", R"({"benchmarks":[{"name":"t","stats":{)",
                  "invalid JSON at line 1"},
        Malformed{"pytest-benchmark", "p.json", R"({"benchmarks":{}})",
                  "benchmarks: expected an array, got an object"},
        Malformed{"pytest-benchmark", "p.json",
                  R"({"benchmarks":[{"name":"t","stats":{"median":"fast"}}]})",
                  "benchmarks[0].stats.median: expected a number, got a string"},
        Malformed{"pytest-benchmark", "p.json", R"({"benchmarks":[{"stats":{"median":1}}]})",
                  R"(benchmarks[0]: missing required field "name")"},
        Malformed{"pytest-benchmark", "p.json", R"({"benchmarks":[]})",
                  "no benchmark results found"},
        // hyperfine
        Malformed{"hyperfine", "h.json", "  \n", "file is empty"},
        Malformed{"hyperfine", "h.json", R"({"results":[{"command":"x","times":[0.1,)",
                  "unexpected end of input"},
        Malformed{"hyperfine", "h.json", R"({"results":[{"command":"x","times":[0.1,"a"]}]})",
                  "results[0].times[1]: expected a number, got a string"},
        Malformed{"hyperfine", "h.json", R"({"results":[{"times":[0.1]}]})",
                  R"(results[0]: missing required field "command")"},
        Malformed{"hyperfine", "h.json", R"({"results":[]})", "no benchmark results found"},
        // jmh
        Malformed{"jmh", "j.json", "", "file is empty"},
        Malformed{"jmh", "j.json", R"([{"benchmark":"b","mode":"avgt","primaryMetric":)",
                  "invalid JSON at line 1"},
        Malformed{
            "jmh", "j.json",
            R"([{"benchmark":"b","mode":"avgt","primaryMetric":{"score":"1","scoreUnit":"ns/op"}}])",
            "[0].primaryMetric.score: expected a number, got a string"},
        Malformed{
            "jmh", "j.json",
            R"([{"benchmark":"b","mode":"fast","primaryMetric":{"score":1,"scoreUnit":"ns/op"}}])",
            R"([0].mode: unknown mode "fast")"},
        Malformed{
            "jmh", "j.json",
            R"([{"benchmark":"b","mode":"avgt","primaryMetric":{"score":1,"scoreUnit":"ns/op","rawData":[[1,null]]}}])",
            "[0].primaryMetric.rawData[0][1]: expected a number, got null"},
        Malformed{"jmh", "j.json", "[]", "no benchmark results found"},
        Malformed{"jmh", "j.json", R"({"benchmark":"b"})", "expected a JSON array"},
        // bmf
        Malformed{"bmf", "b.json", "", "file is empty"},
        Malformed{"bmf", "b.json", R"({"bench":{"latency":{"value":)", "unexpected end of input"},
        Malformed{"bmf", "b.json", R"({"bench":{"latency":{"value":"12"}}})",
                  "bench.latency.value: expected a number, got a string"},
        Malformed{"bmf", "b.json", R"({"bench":{"latency":{"lower_value":1}}})",
                  R"(bench.latency: missing required field "value")"},
        Malformed{"bmf", "b.json", R"({"bench":[1]})", "bench: expected an object of measures"},
        Malformed{"bmf", "b.json", "{}", "no benchmark results found"},
        // gab-json
        Malformed{"gab-json", "g.json", "", "file is empty"},
        Malformed{"gab-json", "g.json", R"([{"name":"a","unit":"ns","value":1},{"name")",
                  "invalid JSON at line 1"},
        Malformed{"gab-json", "g.json", R"([{"name":"a","unit":"ns"}])",
                  R"([0]: missing required field "value")"},
        Malformed{"gab-json", "g.json", R"([{"name":"a","unit":7,"value":1}])",
                  "[0].unit: expected a string, got a number"},
        Malformed{"gab-json", "g.json", "[]", "no benchmark results found"},
        // benchmarkdotnet
        Malformed{"benchmarkdotnet", "d.json", "", "file is empty"},
        Malformed{"benchmarkdotnet", "d.json", R"({"Benchmarks":[{"Method":"M",)",
                  "invalid JSON at line 1"},
        Malformed{"benchmarkdotnet", "d.json",
                  R"({"Benchmarks":[{"Method":"M","Statistics":{"OriginalValues":[1,"x"]}}]})",
                  "Benchmarks[0].Statistics.OriginalValues[1]: expected a number, got a string"},
        Malformed{"benchmarkdotnet", "d.json",
                  R"({"Benchmarks":[{"Statistics":{"OriginalValues":[1]}}]})",
                  R"(Benchmarks[0]: missing required field "Method")"},
        Malformed{"benchmarkdotnet", "d.json", R"({"Benchmarks":[]})",
                  "no benchmark results found"},
        // criterion
        Malformed{"criterion", "c.txt", "", "no benchmark results found"},
        Malformed{"criterion", "c.txt", "fib          time:   [1.0 ns 1.1",
                  "line 1: fib: expected \"[low estimate high]\", the line is cut short"},
        Malformed{"criterion", "c.txt", "fib          time:   [1.0 ns x ns 1.2 ns]",
                  "line 1: fib: \"x\" is not a number"},
        Malformed{"criterion", "c.txt", "fib          time:   [1.0 ns 1.1 h 1.2 ns]",
                  "line 1: fib: unknown time unit \"h\""},
        Malformed{"criterion", "target/criterion/a/new/estimates.json",
                  R"({"mean":{"point_estimate":"x"},"slope":null})",
                  "mean.point_estimate: expected a number, got a string"},
        // cargo-bench
        Malformed{"cargo-bench", "r.txt", "", "no benchmark results found"},
        Malformed{"cargo-bench", "r.txt",
                  "test a ... bench:", "line 1: expected \"bench: N ns/iter\""},
        Malformed{"cargo-bench", "r.txt", "test a ... bench: 12 parsecs/iter (+/- 1)",
                  "line 1: unknown unit \"parsecs/iter\""},
        Malformed{"cargo-bench", "r.txt", "test a ... bench: 1 ns/iter (+/- 1)\ntest  ... FAILED",
                  "line 2: a FAILED line without a test name"},
        // gobench
        Malformed{"gobench", "g.txt", "", "no benchmark results found"},
        Malformed{"gobench", "g.txt", "BenchmarkX-8   100   12.5 ns/op   7",
                  "line 1: BenchmarkX-8: expected value/unit pairs"},
        Malformed{"gobench", "g.txt", "pkg: x\nBenchmarkX-8   100   1e999 ns/op",
                  "line 2: BenchmarkX-8: \"1e999\" is not a number"},
        // catch2
        Malformed{"catch2", "c.xml", R"(<?xml version="1.0"?><Catch><Group name="g">)",
                  "invalid XML at line 1"},
        Malformed{"catch2", "c.xml",
                  "<Catch>\n<BenchmarkResults name=\"x\"><mean "
                  "value=\"abc\"/></BenchmarkResults></Catch>",
                  "<BenchmarkResults> at line 2 (\"x\"): <mean value=\"abc\"> is not a number"},
        Malformed{"catch2", "c.xml", "<Catch><BenchmarkResults name=\"x\"/></Catch>",
                  "no <mean> and no <failed>"},
        Malformed{"catch2", "c.xml", "<testsuites/>", "root element <testsuites> is not Catch2's"},
        Malformed{"catch2", "c.txt", "", "no benchmark results found"}));

// nlohmann's dump() recurses per level; a fingerprint or param nested this deep would exhaust
// the stack when stored or spooled, so every JSON format refuses it while parsing.
TEST(MalformedInput, JsonNestedTooDeepIsRefused) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string gbench =
        R"({"context":{"caches":)" + deep +
        R"(},"benchmarks":[{"name":"a","real_time":1,"cpu_time":1,"time_unit":"ns"}]})";
    for (const auto& [format, text] :
         {std::pair{"gbench", gbench}, std::pair{"pytest-benchmark", "{\"machine_info\":" + deep},
          std::pair{"perftrack", "{\"version\":1,\"context\":{\"fingerprint\":{\"a\":" + deep},
          std::pair{"records", "[{\"a\":" + deep + "}]"}}) {
        auto run = parse_results(format, text, "deep.json", {});
        ASSERT_FALSE(run) << format;
        EXPECT_NE(run.error().message.find("deep.json: invalid JSON at line 1, column"),
                  std::string::npos)
            << run.error().message;
        EXPECT_NE(run.error().message.find("nested more than 256 levels deep"), std::string::npos)
            << format << ": " << run.error().message;
    }
}

}  // namespace
}  // namespace perftrack::formats
