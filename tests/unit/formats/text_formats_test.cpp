// The text adapters: Catch2 on outputs captured from Debian's Catch2 2.13.10 (XML and console,
// which must name benchmarks alike), criterion, cargo bench and go test -bench on small inputs
// in the tools' shapes for the rules the ../shared fixtures do not show.
#include <gtest/gtest.h>

#include "tests/support/shared_fixtures.hpp"
#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

using core::Direction;

core::Result<core::RunResults> parse(std::string_view format, std::string_view text,
                                     std::string_view source = "out.txt",
                                     const AdapterOptions& options = {}) {
    return parse_results(format, text, source, options);
}

std::vector<std::string> benchmark_names(const core::RunResults& run) {
    std::vector<std::string> names;
    for (const auto& m : run.measurements) names.push_back(m.series.benchmark);
    return names;
}

// ---- Catch2

TEST(Catch2Adapter, XmlMeansAndFailures) {
    auto run = test::parse_file(
        "catch2", testing::project_fixture("formats/catch2/xml-with-failed-2.13.10.xml"));
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(benchmark_names(*run),
              (std::vector<std::string>{"Fibonacci/fib 10", "Fibonacci/fib 15",
                                        "Strings/append/append 64 chars"}));
    const auto* fib = test::find_series(*run, "Fibonacci/fib 15", "{}", "time");
    ASSERT_NE(fib, nullptr);
    EXPECT_EQ(fib->series.unit, "ns");
    EXPECT_EQ(fib->samples, std::vector<double>{14665.9});
    ASSERT_EQ(run->failures.size(), 1u);
    EXPECT_EQ(run->failures[0].benchmark, "Broken/throws");
    EXPECT_EQ(run->failures[0].message, "benchmark body failed");
}

TEST(Catch2Adapter, ConsoleTablesNameBenchmarksLikeXml) {
    auto run =
        test::parse_file("catch2", testing::project_fixture("formats/catch2/console-2.13.10.txt"));
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(benchmark_names(*run),
              (std::vector<std::string>{"Fibonacci/fib 10", "Fibonacci/fib 15",
                                        "Strings/append/append 64 chars"}));
    EXPECT_EQ(test::find_series(*run, "Strings/append/append 64 chars", "{}", "time")->samples,
              std::vector<double>{179.543});
}

TEST(Catch2Adapter, ConsoleRowCutShortIsAnError) {
    auto run = parse("catch2", R"(
-------------------------------------------------------------------------------
Case
-------------------------------------------------------------------------------
x.cpp:1
...............................................................................

benchmark name                       samples       iterations    estimated
                                     mean          low mean      high mean
                                     std dev       low std dev   high std dev
-------------------------------------------------------------------------------
fib 10                                          20           587    1.42054 ms
                                        47.2083 ns    47.1486 ns
)");
    ASSERT_FALSE(run);
    EXPECT_NE(run.error().message.find("out.txt: line 13: expected the mean line of benchmark "
                                       "\"fib 10\""),
              std::string::npos)
        << run.error().message;
}

TEST(Catch2Adapter, DeepXmlIsWalkedWithoutRecursionAndLongScopesAreRefused) {
    std::string nested = "<Catch>";
    for (int i = 0; i < 100000; ++i) nested += "<a>";
    for (int i = 0; i < 100000; ++i) nested += "</a>";
    nested += R"(<TestCase name="t"><BenchmarkResults name="b"><mean value="5"/>)"
              R"(</BenchmarkResults></TestCase></Catch>)";
    auto run = parse("catch2", nested, "deep.xml");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(test::find_series(*run, "t/b", "{}", "time")->samples, std::vector<double>{5});

    const std::string long_name(2000, 's');
    auto xml = parse("catch2",
                     "<Catch>\n<Section name=\"" + long_name +
                         R"("><BenchmarkResults name="b"><mean value="1"/></BenchmarkResults>)"
                         "</Section></Catch>",
                     "long.xml");
    ASSERT_FALSE(xml);
    EXPECT_NE(xml.error().message.find("long.xml: <Section> at line 2: test case and section "
                                       "names longer than 1024 bytes"),
              std::string::npos)
        << xml.error().message;
    auto console = parse("catch2", std::string(79, '-') + "\n" + long_name + "\n", "long.txt");
    ASSERT_FALSE(console);
    EXPECT_NE(console.error().message.find("long.txt: line 2: test case and section names"),
              std::string::npos)
        << console.error().message;
}

// ---- criterion

TEST(CriterionAdapter, ConsoleTimesThroughputsAndWrappedNames) {
    auto run = parse("criterion", R"(Benchmarking parse/json/1024: Analyzing
parse/json/1024         time:   [1.0000 µs 1.2500 µs 1.5000 µs]
                        thrpt:  [781.25 MiB/s 800.00 MiB/s 820.00 MiB/s]
                 change:
                        time:   [-1.0% +0.5% +2.0%] (p = 0.40 > 0.05)
                        thrpt:  [-2.0% -0.5% +1.0%]
                        No change in performance detected.
a rather long benchmark name that criterion prints on its own line
                        time:   [10.000 ms 11.000 ms 12.000 ms]
                        thrpt:  [1.0000 Kelem/s 1.1000 Kelem/s 1.2000 Kelem/s]
)");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(test::find_series(*run, "parse/json/1024", "{}", "time")->samples,
              std::vector<double>{1250});
    const auto* bytes = test::find_series(*run, "parse/json/1024", "{}", "throughput", "B/s");
    ASSERT_NE(bytes, nullptr) << test::describe(*run);
    EXPECT_EQ(bytes->series.direction, Direction::higher);
    EXPECT_EQ(bytes->samples, std::vector<double>{800.0 * 1024 * 1024});
    const char* long_name = "a rather long benchmark name that criterion prints on its own line";
    EXPECT_EQ(test::find_series(*run, long_name, "{}", "time")->samples, std::vector<double>{11e6});
    EXPECT_EQ(test::find_series(*run, long_name, "{}", "throughput", "elem/s")->samples,
              std::vector<double>{1100});
    EXPECT_EQ(run->measurements.size(), 4u);
}

TEST(CriterionAdapter, EstimatesJsonIsNamedByItsPath) {
    auto path =
        testing::project_fixture("formats/criterion/target/criterion/fib/20/new/estimates.json");
    auto run = test::parse_file("criterion", path);
    ASSERT_TRUE(run) << run.error().message;
    ASSERT_EQ(run->measurements.size(), 1u);
    EXPECT_EQ(run->measurements[0].series.benchmark, "fib/20");
    EXPECT_EQ(run->measurements[0].series.metric, "time");
    EXPECT_EQ(run->measurements[0].samples, std::vector<double>{26157.5});  // the slope
    const std::string text = test::read_fixture(path);
    auto change = parse("criterion", text, "target/criterion/fib/20/change/estimates.json");
    ASSERT_FALSE(change);
    EXPECT_NE(change.error().message.find("change/estimates.json"), std::string::npos);
    auto unnamed = parse("criterion", text, "-");
    ASSERT_FALSE(unnamed);
    EXPECT_NE(unnamed.error().message.find("does not name its benchmark"), std::string::npos);
    // No slope (flat sampling): the mean. Outside a criterion/ directory only the directory
    // above the baseline's names the benchmark.
    auto mean = parse("criterion", R"({"mean":{"point_estimate":5.5},"slope":null})",
                      "results/x/base/estimates.json");
    ASSERT_TRUE(mean) << mean.error().message;
    EXPECT_EQ(mean->measurements[0].series.benchmark, "x");
    EXPECT_EQ(mean->measurements[0].samples, std::vector<double>{5.5});
}

TEST(CriterionAdapter, BrokenIntervalIsAnErrorWithItsLine) {
    auto run = parse("criterion", "fib   time:   [1.0 ns 1.1 ns]\n");
    ASSERT_FALSE(run);
    EXPECT_NE(run.error().message.find("out.txt: line 1: fib: expected three values"),
              std::string::npos)
        << run.error().message;
}

// ---- cargo bench

TEST(CargoBenchAdapter, MedianThroughputAndFailures) {
    auto run = parse("cargo-bench", R"(
running 3 tests
test parse ... bench:       1,234 ns/iter (+/- 56) = 830 MB/s
test slow  ... bench:           2 ms/iter (+/- 0)
test boom  ... FAILED

failures:

---- boom stdout ----
thread 'main' panicked at 'index out of bounds', src/lib.rs:9:5

test result: FAILED. 0 passed; 1 failed; 0 ignored; 2 measured; 0 filtered out
)");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(test::find_series(*run, "parse", "{}", "time")->samples, std::vector<double>{1234});
    EXPECT_EQ(test::find_series(*run, "parse", "{}", "throughput", "B/s")->samples,
              std::vector<double>{830e6});
    EXPECT_EQ(test::find_series(*run, "slow", "{}", "time")->samples, std::vector<double>{2e6});
    ASSERT_EQ(run->failures.size(), 1u);
    EXPECT_EQ(run->failures[0].message,
              "FAILED: thread 'main' panicked at 'index out of bounds', src/lib.rs:9:5");
}

TEST(CargoBenchAdapter, BadValueNamesTheLine) {
    auto run = parse("cargo-bench", "\ntest a ... bench:  1,2x ns/iter (+/- 1)\n");
    ASSERT_FALSE(run);
    EXPECT_NE(run.error().message.find("out.txt: line 2: \"1,2x\" is not a number"),
              std::string::npos)
        << run.error().message;
}

// ---- go test -bench

TEST(GobenchAdapter, ConfigLinesUnitsRepeatsAndFailures) {
    auto run = parse("gobench", R"(goos: linux
goarch: amd64
pkg: example.com/codec
cpu: Intel(R) Xeon(R) CPU
Unit tokens/s better=higher
Unit retries/op better=lower
variant: fast
BenchmarkDecode/size=1K-8     1000   1500 ns/op   682.67 MB/s   512 B/op   3 allocs/op   900 tokens/s
BenchmarkDecode/size=1K-8     1000   1520 ns/op   673.68 MB/s   512 B/op   3 allocs/op   910 tokens/s
BenchmarkDecode/size=1K-8     1000   1510 ns/op   678.14 MB/s   512 B/op   3 allocs/op   905 tokens/s
BenchmarkRetry     50   20 ns/op   2 retries/op
--- FAIL: BenchmarkBroken-8
    codec_test.go:42: decoder returned an error
FAIL
)");
    ASSERT_TRUE(run) << run.error().message;
    const char* params = R"({"gomaxprocs":8,"size":"1K","variant":"fast"})";
    const auto* time = test::find_series(*run, "BenchmarkDecode", params, "time");
    ASSERT_NE(time, nullptr) << test::describe(*run);
    EXPECT_EQ(time->series.suite, "example.com/codec");
    EXPECT_EQ(time->samples, (std::vector<double>{1500, 1520, 1510}));
    EXPECT_EQ(test::find_series(*run, "BenchmarkDecode", params, "alloc_bytes")->series.unit, "B");
    EXPECT_EQ(test::find_series(*run, "BenchmarkDecode", params, "allocs")->samples,
              (std::vector<double>{3, 3, 3}));
    EXPECT_EQ(test::find_series(*run, "BenchmarkDecode", params, "tokens/s")->series.direction,
              Direction::higher);
    EXPECT_EQ(test::find_series(*run, "BenchmarkRetry", R"({"variant":"fast"})", "retries/op")
                  ->series.direction,
              Direction::lower);
    EXPECT_EQ(run->context.fingerprint["cpu"], "Intel(R) Xeon(R) CPU");
    ASSERT_EQ(run->failures.size(), 1u);
    EXPECT_EQ(run->failures[0].benchmark, "BenchmarkBroken");
    EXPECT_EQ(run->failures[0].message, "FAIL: codec_test.go:42: decoder returned an error");
}

TEST(GobenchAdapter, IndentedLogLinesAreNotConfiguration) {
    auto run = parse("gobench", R"(BenchmarkA-2   10   5 ns/op
--- BENCH: BenchmarkA-2
    note: printed by the benchmark
BenchmarkB-2   10   7 ns/op
)");
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_NE(test::find_series(*run, "BenchmarkB", R"({"gomaxprocs":2})", "time"), nullptr)
        << test::describe(*run);
}

TEST(GobenchAdapter, ResultLineWithABadValueIsAnError) {
    auto run = parse("gobench", "BenchmarkX-4   100   12x ns/op\n");
    ASSERT_FALSE(run);
    EXPECT_NE(run.error().message.find("out.txt: line 1: BenchmarkX-4: \"12x\" is not a number"),
              std::string::npos)
        << run.error().message;
}

TEST(TextAdapters, NoBenchmarkLinesIsAnError) {
    for (const char* format : {"catch2", "criterion", "cargo-bench", "gobench"}) {
        auto run = parse(format, "PASS\nok  \texample.com/x\t0.01s\n");
        ASSERT_FALSE(run) << format;
        EXPECT_EQ(run.error().kind, core::ErrorKind::input);
        EXPECT_NE(run.error().message.find("out.txt: no benchmark results found"),
                  std::string::npos)
            << format << ": " << run.error().message;
    }
}

}  // namespace
}  // namespace perftrack::formats
