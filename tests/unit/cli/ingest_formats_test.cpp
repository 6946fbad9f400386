// `perftrack ingest --format F` on malformed input of every format, through the real binary:
// exit 2, one message naming the file and the place, nothing else. Parsing fails before any
// database is opened; --db still points at a port where nothing listens, so even a bug that
// got past parsing could not write anywhere.
#include <cctype>
#include <string>

#include <gtest/gtest.h>

#include "core/exit_code.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::cli {
namespace {

constexpr const char* k_unreachable_db = "postgresql://127.0.0.1:1/none";

struct BadInput {
    const char* format;
    const char* file_name;
    const char* content;
    const char* place;  // the message names this place (after the file name)
};

class IngestMalformed : public ::testing::TestWithParam<BadInput> {};

TEST_P(IngestMalformed, ExitsTwoNamingFileAndPlace) {
    const BadInput& c = GetParam();
    testing::TempDir dir;
    const auto file = dir.write(c.file_name, c.content);
    testing::ProcessOptions options;
    options.env["PERFTRACK_HOME"] = (dir / "home").string();
    const auto result = testing::run_perftrack(
        {"ingest", "--format", c.format, "--db", k_unreachable_db, "--project", "p", "--branch",
         "main", "--commit", "abc", file.string()},
        options);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    const std::string expected = file.string() + ": " + c.place;
    EXPECT_NE(result.err.find(expected), std::string::npos)
        << "expected \"" << expected << "\" in:\n"
        << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_FALSE(std::filesystem::exists(dir / "home"))
        << "nothing (not even the embedded database) was set up";
}

INSTANTIATE_TEST_SUITE_P(
    Formats, IngestMalformed,
    ::testing::Values(
        BadInput{"gbench", "truncated.json",
                 "{\"benchmarks\": [{\"name\": \"BM_a\", \"real_time\": 1,",
                 "invalid JSON at line 1"},
        BadInput{
            "gbench", "wrong-type.json",
            R"({"benchmarks":[{"name":"BM_a","real_time":"fast","cpu_time":1,"time_unit":"ns"}]})",
            "benchmarks[0].real_time: expected a number, got a string"},
        BadInput{"gbench", "empty.json", "", "file is empty"},
        BadInput{"pytest-benchmark", "p.json",
                 R"({"benchmarks":[{"name":"t","stats":{"median":"x"}}]})",
                 "benchmarks[0].stats.median: expected a number, got a string"},
        BadInput{"hyperfine", "h.json", R"({"results":[{"command":"x","times":[0.1,)",
                 "invalid JSON at line 1"},
        BadInput{"catch2", "c.xml", "<Catch><Group name=\"g\">", "invalid XML at line 1"},
        BadInput{"catch2", "c.txt",
                 "benchmark name  samples  iterations  estimated\n---------------------------"
                 "-----\nfib 10   20   587   1.4 ms\n",
                 "line 3: benchmark \"fib 10\" (line 3) is cut short before its mean line"},
        BadInput{
            "jmh", "j.json",
            R"([{"benchmark":"b","mode":"thrpt","primaryMetric":{"score":1,"scoreUnit":"s/op"}}])",
            R"([0].primaryMetric.scoreUnit: "s/op" does not fit mode thrpt)"},
        BadInput{"gobench", "g.txt", "BenchmarkX-8   100   abc ns/op\n",
                 "line 1: BenchmarkX-8: \"abc\" is not a number"},
        BadInput{"criterion", "c.txt", "\nfib   time:   [1.0 ns 1.1 ns\n",
                 "line 2: fib: expected \"[low estimate high]\""},
        BadInput{"cargo-bench", "r.txt", "running 1 test\n", "no benchmark results found"},
        BadInput{"gab-json", "g.json", R"([{"name":"a","unit":"ns","value":"1"}])",
                 "[0].value: expected a number, got a string"},
        BadInput{"benchmarkdotnet", "d.json", R"({"Benchmarks":[{"Method":"M","Statistics":7}]})",
                 "Benchmarks[0].Statistics: expected an object, got a number"},
        BadInput{"bmf", "b.json", R"({"b":{"latency":{}}})",
                 R"(b.latency: missing required field "value")"},
        BadInput{"records", "r.jsonl", "{\"a\":\"x\",\"t_ms\":1}\n{\"a\":\n",
                 "line 2: invalid JSON at column"},
        BadInput{"auto", "mystery.txt", "hello\n",
                 "unrecognised result format (tried: perftrack, gbench"}),
    [](const ::testing::TestParamInfo<BadInput>& param) {
        std::string name = std::string(param.param.format) + "_" + param.param.file_name;
        for (char& ch : name)
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        return name;
    });

}  // namespace
}  // namespace perftrack::cli
