// "auto" picks the right adapter for the project's own fixtures and for small samples of the
// formats without one (the ../shared fixtures are checked in shared_fixtures_test.cpp), and a
// file no adapter recognises is an input error that lists the formats tried.
#include <gtest/gtest.h>

#include "tests/support/shared_fixtures.hpp"
#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

std::string picked(std::string_view text) {
    for (const auto& a : all_adapters())
        if (a.sniff(text)) return std::string(a.name);
    return "(none)";
}

struct ProjectFixture {
    const char* path;  // under tests/fixtures/
    const char* format;
};

TEST(AutoDetect, ProjectFixtures) {
    const ProjectFixture fixtures[] = {
        {"formats/gbench/plain-1.7.1.json", "gbench"},
        {"formats/gbench/repetitions3-1.7.1.json", "gbench"},
        {"formats/gbench/aggregates-only-1.7.1.json", "gbench"},
        {"formats/hyperfine/parameter-scan-1.15.json", "hyperfine"},
        {"formats/hyperfine/shell-ignore-failure-1.15.json", "hyperfine"},
        {"formats/pytest-benchmark/params-group-pedantic-3.2.2.json", "pytest-benchmark"},
        {"formats/catch2/xml-with-failed-2.13.10.xml", "catch2"},
        {"formats/catch2/console-2.13.10.txt", "catch2"},
        {"formats/criterion/target/criterion/fib/20/new/estimates.json", "criterion"},
        {"formats/records/ml-frameworks.json", "records"},
        {"formats/records/inference-latency.jsonl", "records"},
    };
    for (const auto& f : fixtures) {
        const auto path = testing::project_fixture(f.path);
        EXPECT_EQ(picked(test::read_fixture(path)), f.format) << f.path;
        // And parsing with auto gives the same as naming the format.
        auto by_auto = test::parse_file("auto", path);
        auto by_name = test::parse_file(f.format, path);
        ASSERT_TRUE(by_auto && by_name) << f.path;
        EXPECT_EQ(test::describe(*by_auto), test::describe(*by_name)) << f.path;
    }
}

TEST(AutoDetect, SamplesOfTheOtherFormats) {
    EXPECT_EQ(picked(R"([{"jmhVersion":"1.37","benchmark":"a.B.c","mode":"thrpt"}])"), "jmh");
    EXPECT_EQ(picked(R"({"bench": {"latency": {"value": 1.0}}})"), "bmf");
    EXPECT_EQ(picked(R"([ {"name": "a", "unit": "ns", "value": 1} ])"), "gab-json");
    EXPECT_EQ(picked(R"({"Title":"x","HostEnvironmentInfo":{},"Benchmarks":[]})"),
              "benchmarkdotnet");
    EXPECT_EQ(picked("goos: linux\nBenchmarkX-8   100   12.5 ns/op\n"), "gobench");
    EXPECT_EQ(picked("test a ... bench:       3,296 ns/iter (+/- 521)\n"), "cargo-bench");
    EXPECT_EQ(picked("fib          time:   [1.0 ns 1.1 ns 1.2 ns]\n"), "criterion");
    EXPECT_EQ(picked(R"({"version":1,"results":[]})"), "perftrack");
    EXPECT_EQ(picked("{\"a\": \"x\", \"t_ms\": 1}\n{\"a\": \"y\", \"t_ms\": 2}\n"), "records");
}

TEST(AutoDetect, UnrecognisedInputListsTheFormatsTried) {
    for (const char* text : {"hello\n", "", "{\n  \"a\": 1\n}\n", "<html></html>"}) {
        auto run = parse_results("auto", text, "mystery.out", {});
        ASSERT_FALSE(run) << text;
        EXPECT_EQ(run.error().kind, core::ErrorKind::input);
        EXPECT_NE(run.error().message.find("mystery.out: unrecognised result format"),
                  std::string::npos)
            << run.error().message;
        EXPECT_NE(run.error().message.find(adapter_names()), std::string::npos)
            << run.error().message;
    }
}

TEST(Registry, EveryFormatIsListedOnceInAutoDetectOrder) {
    std::vector<std::string> names;
    for (const auto& a : all_adapters()) names.emplace_back(a.name);
    EXPECT_EQ(names,
              (std::vector<std::string>{
                  "perftrack", "gbench", "pytest-benchmark", "benchmarkdotnet", "hyperfine", "jmh",
                  "criterion", "bmf", "gab-json", "catch2", "gobench", "cargo-bench", "records"}));
    for (const auto& name : names) EXPECT_NE(find_adapter(name), nullptr) << name;
    auto unknown = parse_results("nope", "{}", "x", {});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, core::ErrorKind::usage);
}

}  // namespace
}  // namespace perftrack::formats
