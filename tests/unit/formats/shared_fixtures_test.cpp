// Every file of ../shared/fixtures/formats/<folder> for the supported formats, parsed by its
// adapter and checked against values read from the file by hand: how many benchmarks and
// series it holds, how many failed, and one series checked exactly (unit, direction, sample
// count and one sample in canonical units). A second test makes sure no file of those folders
// is missing from the table, and a third that "auto" picks the expected adapter for each.
#include "tests/support/shared_fixtures.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

using core::Direction;

struct FixtureCase {
    const char* folder;      // under ../shared/fixtures/formats/
    const char* file;        // relative to the folder
    const char* format;      // the adapter that reads it (and that auto must pick)
    std::size_t benchmarks;  // distinct suite+benchmark+params with measurements
    std::size_t series;
    std::size_t failures;
    // One series, checked exactly.
    const char* benchmark;
    const char* params;  // compact JSON
    const char* metric;
    const char* unit;
    Direction direction;
    std::size_t samples;  // how many samples the series has
    std::size_t index;    // which one is checked
    double value;         // in canonical units (times in ns)
    // When set, the file must be refused with a message containing this text.
    const char* error = nullptr;
    // When set, auto-detection picks this adapter instead of `format` (same line format).
    const char* auto_format = nullptr;
    // When set, the checked series must be in this suite (two packages, same benchmark names).
    const char* suite = nullptr;
};

// The values below were read from the fixture files by hand; times are converted to ns
// (e.g. 5.045883023808889 ms -> 5.045883023808889e6 ns).
const FixtureCase k_cases[] = {
    // ---- gbench
    {"gbench", "gab-googlecpp_output.json", "gbench", 2, 4, 0, "fib_20", "{}", "real_time", "ns",
     Direction::lower, 1, 0, 27455.600415007055},
    {"gbench", "local-1.7.1-aggregates-only-us-context.json", "gbench", 3, 13, 0,
     "BM_StringCopy/4096", "{}", "real_time", "ns", Direction::lower, 1, 0,
     0.04069848714405054 * 1e3},
    {"gbench", "local-1.7.1-plain.json", "gbench", 21, 64, 1, "BM_Sort/100000", "{}", "real_time",
     "ns", Direction::lower, 1, 0, 5.045883023808889 * 1e6},
    {"gbench", "local-1.7.1-random-interleaving-repetitions3.json", "gbench", 5, 14, 0,
     "BM_StringCopy/512", "{}", "real_time", "ns", Direction::lower, 3, 2, 16.23428238636524},
    {"gbench", "local-1.7.1-repetitions5-aggregates.json", "gbench", 9, 26, 0, "BM_VectorSum/1024",
     "{}", "throughput", "items/s", Direction::higher, 5, 4, 3896218057.932358},
    {"gbench", "local-1.7.1-skip-with-error.json", "gbench", 2, 5, 1, "BM_Error/1", "{}",
     "cpu_time", "ns", Direction::lower, 1, 0, 0.45945315099999984},
    {"gbench", "local-1.7.1-template-args-threads.json", "gbench", 8, 20, 0,
     "BM_Template<4>/64/real_time", R"({"threads":2})", "throughput", "items/s", Direction::higher,
     1, 0, 3849087356.3352203},
    {"gbench", "local-1.7.1-user-counters.json", "gbench", 2, 14, 0, "BM_Counters/1048576", "{}",
     "peak_memory_bytes", "", Direction::lower, 1, 0, 1048576.0},
    {"gbench", "local-1.9.5-min-time-iterations.json", "gbench", 2, 6, 0, "BM_VectorSum/1024", "{}",
     "cpu_time", "ns", Direction::lower, 1, 0, 269.7250000000002},
    {"gbench", "local-1.9.5-repetitions3-mixed.json", "gbench", 15, 48, 2, "BM_Counters/1048576",
     "{}", "real_time", "ns", Direction::lower, 3, 2, 17202.95630371868},
    {"gbench", "upstream-compare-inputs/test1_run1.json", "gbench", 14, 28, 0, "BM_NotBadTimeUnit",
     "{}", "real_time", "ns", Direction::lower, 1, 0, 0.4 * 1e9},
    {"gbench", "upstream-compare-inputs/test1_run2.json", "gbench", 14, 28, 0,
     "BM_DifferentTimeUnit", "{}", "real_time", "ns", Direction::lower, 1, 0, 1.0},
    {"gbench", "upstream-compare-inputs/test2_run.json", "gbench", 10, 20, 0, "BM_Hi", "{}",
     "cpu_time", "ns", Direction::lower, 1, 0, 24.0 * 1e6},
    {"gbench", "upstream-compare-inputs/test3_run0.json", "gbench", 2, 4, 0, "BM_Two", "{}",
     "cpu_time", "ns", Direction::lower, 2, 1, 86.0},
    {"gbench", "upstream-compare-inputs/test3_run1.json", "gbench", 4, 8, 0, "short", "{}",
     "real_time", "ns", Direction::lower, 1, 0, 800.0},
    // Hand-written rows without any time: nothing was measured.
    {"gbench", "upstream-compare-inputs/test4_run.json", "gbench", 0, 0, 0, "", "", "", "",
     Direction::lower, 0, 0, 0, R"(benchmarks[0]: missing required field "time_unit")"},
    // One aggregate ("zz", a percentage) and no median: nothing to store.
    {"gbench", "upstream-compare-inputs/test4_run0.json", "gbench", 0, 0, 0, "", "", "", "",
     Direction::lower, 0, 0, 0, "aggregate rows only, and none is a median"},
    // ---- pytest-benchmark (stats.data in s -> ns)
    // stats.data trimmed by hand to 4 numbers and "... omitted": the median is the sample.
    {"pytest-benchmark", "gab-pytest_output.json", "pytest-benchmark", 2, 2, 0,
     "bench.py::test_fib_20", "{}", "time", "ns", Direction::lower, 1, 0,
     0.0029605825000003083 * 1e9},
    // test_sleep_2 kept all its 5 rounds.
    {"pytest-benchmark", "gab-pytest_several_units.json", "pytest-benchmark", 4, 4, 0,
     "bench.py::test_sleep_2", "{}", "time", "ns", Direction::lower, 5, 0, 2.005173128 * 1e9},
    {"pytest-benchmark", "local-pytest-benchmark-3.2.2-params-groups-pedantic.json",
     "pytest-benchmark", 6, 6, 0, "test_bench.py::test_fib", R"({"n":10})", "time", "ns",
     Direction::lower, 82, 0, 5.1040000244029216e-06 * 1e9},
    // No stats.data: the median is the one sample.
    {"pytest-benchmark", "pytest-benchmark-repo-storage-v2.5.0-0030.json", "pytest-benchmark", 1, 1,
     0, "tests/test_normal.py::test_xfast_parametrized[0]", "{}", "time", "ns", Direction::lower, 1,
     0, 2.2016379230260297e-07 * 1e9},
    // ---- hyperfine (times in s -> ns; user/system means of 0 are not stored)
    {"hyperfine", "bencher-hyperfine-one.json", "hyperfine", 1, 3, 0, "sleep 0.01", "{}",
     "wall_time", "ns", Direction::lower, 214, 0, 0.01074585146 * 1e9},
    {"hyperfine", "bencher-hyperfine-two.json", "hyperfine", 2, 6, 0, "sleep 0.2", "{}",
     "wall_time", "ns", Direction::lower, 13, 0, 0.21231231072000004 * 1e9},
    // "true" ran below the shell-spawn correction: all 5 times are 0, only its CPU times stay.
    {"hyperfine", "local-hyperfine-1.15.0-ignore-failure.json", "hyperfine", 2, 4, 0,
     "sh -c \"exit 3\"", "{}", "wall_time", "ns", Direction::lower, 5, 1,
     0.006140547100000001 * 1e9},
    {"hyperfine", "local-hyperfine-1.15.0-parameter-list.json", "hyperfine", 2, 6, 0,
     "head -c 1000k /dev/zero | gzip > /dev/null", R"({"size":1000})", "wall_time", "ns",
     Direction::lower, 10, 0, 0.01808761144 * 1e9},
    // n=3: 8 of its 10 times are 0 and are left out.
    {"hyperfine", "local-hyperfine-1.15.0-parameter-scan.json", "hyperfine", 4, 10, 0,
     "seq 1 300000 > /dev/null", R"({"n":3})", "wall_time", "ns", Direction::lower, 2, 1,
     0.00015936939999999962 * 1e9},
    {"hyperfine", "local-hyperfine-1.15.0-two-commands.json", "hyperfine", 2, 5, 0, "sleep 0.02",
     "{}", "wall_time", "ns", Direction::lower, 20, 0, 0.0323098262 * 1e9},
    // ---- catch2 XML (mean in ns)
    {"catch2-xml", "local-catch2-v2.13.10-xml-benchmark-no-analysis.xml", "catch2", 5, 5, 0,
     "Fibonacci/fib 20", "{}", "time", "ns", Direction::lower, 1, 0, 8567.05},
    {"catch2-xml", "local-catch2-v2.13.10-xml-with-failed-benchmark.xml", "catch2", 5, 5, 1,
     "Containers/vector/vector sort 10000", "{}", "time", "ns", Direction::lower, 1, 0, 363667},
    {"catch2-xml", "local-catch2-v3.7.1-xml-with-failed-benchmark.xml", "catch2", 5, 5, 1,
     "Containers/string/string concat 64", "{}", "time", "ns", Direction::lower, 1, 0, 111.186},
    // ---- catch2 console (mean)
    {"catch2-console", "bencher-catch2-issue_351-sections.txt", "catch2", 6, 6, 0,
     "Even More Fibonacci/With a long name/Fibonacci 10 with a long name", "{}", "time", "ns",
     Direction::lower, 1, 0, 344},
    {"catch2-console", "gab-catch2_output_v2.txt", "catch2", 4, 4, 0, "Fibonacci/Fibonacci 20",
     "{}", "time", "ns", Direction::lower, 1, 0, 41.731 * 1e3},
    {"catch2-console", "gab-catch2_output_v3.txt", "catch2", 4, 4, 0,
     "More Fibonacci/Fibonacci-15_bench", "{}", "time", "ns", Direction::lower, 1, 0, 3.789 * 1e3},
    // Windows timings rounded to "0 ns": Fibonacci 10 is left out (warning).
    {"catch2-console", "gab-issue16_output-windows.txt", "catch2", 1, 1, 0,
     "Fibonacci/Fibonacci 20", "{}", "time", "ns", Direction::lower, 1, 0, 1},
    {"catch2-console", "local-catch2-v2.13.10-console.txt", "catch2", 5, 5, 0,
     "Containers/vector/vector sort 10000", "{}", "time", "ns", Direction::lower, 1, 0,
     356.883 * 1e3},
    {"catch2-console", "local-catch2-v3.7.1-console.txt", "catch2", 5, 5, 0, "Fibonacci/fib 20",
     "{}", "time", "ns", Direction::lower, 1, 0, 8.91159 * 1e3},
    // ---- jmh (rawData: fork-major)
    // Hand-edited: scoreUnit s/op in thrpt mode contradicts itself.
    {"jmh", "bencher-jmh-latency.json", "jmh", 0, 0, 0, "", "", "", "", Direction::lower, 0, 0, 0,
     R"([0].primaryMetric.scoreUnit: "s/op" does not fit mode thrpt)"},
    {"jmh", "bencher-jmh-six-caffeine-params.json", "jmh", 6, 6, 0,
     "com.github.guava.caffeine.cache.ComputeBenchmark.compute_sameKey",
     R"({"computeType":"Guava"})", "throughput", "ops/s", Direction::higher, 3, 0,
     30013960.585613117},
    {"jmh", "gab-jmh_output.json", "jmh", 1, 1, 0,
     "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere", "{}", "throughput", "ops/s",
     Direction::higher, 3, 2, 3.375353964729294E9},
    {"jmh", "gab-jmh_output_2.json", "jmh", 1, 1, 0,
     "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere",
     R"({"paramA":17,"paramB":33})", "throughput", "ops/s", Direction::higher, 3, 1,
     3.37651988895058E9},
    // ---- go test -bench
    {"go-test-bench", "bencher-go-bench-three-auxmetric.txt", "gobench", 3, 4, 0,
     "BenchmarkFib20WithAuxMetric", R"({"gomaxprocs":8})", "auxMetricUnits", "", Direction::lower,
     1, 0, 4.0, nullptr, nullptr, "bencher.dev"},
    {"go-test-bench", "gab-go_fiber_duplicate_names_output.txt", "gobench", 4, 16, 0,
     "BenchmarkAppendMsgitem", R"({"gomaxprocs":4})", "throughput", "B/s", Direction::higher, 1, 0,
     2678.46 * 1e6, nullptr, nullptr, "github.com/gofiber/fiber/v3/middleware/csrf"},
    {"go-test-bench", "gab-go_fiber_output.txt", "gobench", 6, 18, 0,
     "Benchmark_Utils_GetOffer/mime_extension#02", R"({"gomaxprocs":4})", "alloc_bytes", "B",
     Direction::lower, 1, 0, 48},
    {"go-test-bench", "golang-perf-benchfmt-units-config-lines.txt", "gobench", 4, 4, 0,
     "BenchmarkNonExact", R"({"note":"after"})", "text-bytes", "", Direction::lower, 3, 0, 101},
    {"go-test-bench", "golang-perf-benchstat-new.txt", "gobench", 2, 2, 0, "BenchmarkEncode",
     R"({"format":"gob","gomaxprocs":48})", "time", "ns", Direction::lower, 10, 9, 3062},
    {"go-test-bench", "golang-perf-benchstat-old.txt", "gobench", 2, 2, 0, "BenchmarkEncode",
     R"({"format":"json","gomaxprocs":48})", "time", "ns", Direction::lower, 10, 9, 1774},
    {"go-test-bench", "golang-perf-suffixarray-count10-multimetric.txt", "gobench", 42, 168, 0,
     "BenchmarkSaveRestore", R"({"bits":32,"gomaxprocs":8})", "throughput", "B/s",
     Direction::higher, 10, 2, 322.62 * 1e6, nullptr, nullptr, "index/suffixarray"},
    // ---- criterion (the estimate, the middle of [low estimate high])
    {"criterion", "bencher-criterion-dogfood.txt", "criterion", 4, 4, 0, "Adapter::Json", "{}",
     "time", "ns", Direction::lower, 1, 0, 3.4796 * 1e3},
    {"criterion", "bencher-criterion-many.txt", "criterion", 5, 5, 0, "file", "{}", "time", "ns",
     Direction::lower, 1, 0, 323.90 * 1e-3},
    {"criterion", "bencher-criterion-regressed.txt", "criterion", 4, 4, 0, "tracing_file", "{}",
     "time", "ns", Direction::lower, 1, 0, 60.753 * 1e3},
    // --output-format bencher: libtest lines, which cargo-bench reads too.
    {"criterion", "gab-criterion_output.txt", "criterion", 4, 4, 0, "Fibonacci (Execution)", "{}",
     "time", "ns", Direction::lower, 1, 0, 1672496},
    // ---- cargo bench (libtest)
    {"cargo-bench", "bencher-rust-bench-failed.txt", "cargo-bench", 2, 2, 1, "tests::benchmark_c",
     "{}", "time", "ns", Direction::lower, 1, 0, 3215},
    {"cargo-bench", "bencher-rust-bench-issue_390-decimals.txt", "cargo-bench", 4, 4, 0,
     "bleu::benchmark::bench_batch_bleu", "{}", "time", "ns", Direction::lower, 1, 0, 13967756.30},
    {"cargo-bench", "bencher-rust-bench-many-units.txt", "cargo-bench", 6, 6, 0,
     "tests::three_digit", "{}", "time", "ns", Direction::lower, 1, 0, 333 * 1e9},
    {"cargo-bench", "gab-cargo_output.txt", "cargo-bench", 2, 2, 0, "bench_fib_20", "{}", "time",
     "ns", Direction::lower, 1, 0, 18149},
    // ---- bmf
    {"bmf", "bencher-report_bmf_mixed.json", "bmf", 3, 3, 0, "tests::benchmark_c", "{}", "latency",
     "ns", Direction::lower, 1, 0, 3361.0},
    {"bmf", "bencher-report_dhat.json", "bmf", 1, 6, 0, "bench_play_game", "{}", "total_bytes", "",
     Direction::lower, 1, 0, 662},
    {"bmf", "bencher-report_latency.json", "bmf", 3, 3, 0, "tests::benchmark_b", "{}", "latency",
     "ns", Direction::lower, 1, 0, 3443.0},
    // ---- gab-json (the direction is the action's setting, not in the file: lower by default)
    {"gab-custom", "gab-customBiggerIsBetter_output.json", "gab-json", 2, 2, 0,
     "My Custom Bigger Is Better Benchmark - Throughput", "{}", "value", "req/s", Direction::lower,
     1, 0, 70},
    {"gab-custom", "gab-customSmallerIsBetter_output.json", "gab-json", 2, 2, 0,
     "My Custom Smaller Is Better Benchmark - CPU Load", "{}", "value", "Percent", Direction::lower,
     1, 0, 50},
    {"gab-custom", "gab-customSmallerIsBetter_output2.json", "gab-json", 4, 4, 0, "Binary file",
     "{}", "value", "ns", Direction::lower, 1, 0, 3886.75},
    // ---- BenchmarkDotNet (OriginalValues in ns; Memory: B/op and GC per 1000 ops)
    {"benchmarkdotnet", "bencher-dotnet-memory-0.15.8.json", "benchmarkdotnet", 2, 10, 0,
     "BenchmarkDotNet.Samples.Memory.AllocExactList",
     R"j({"job":"ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)"})j", "allocated_bytes",
     "B", Direction::lower, 1, 0, 184},
    // 0.9.9 has no OriginalValues: the median is the one sample.
    {"benchmarkdotnet", "bencher-dotnet-two-0.9.9.json", "benchmarkdotnet", 2, 2, 0,
     "BenchmarkDotNet.Samples.Intro.IntroJsonExport.Sleep20", "{}", "time", "ns", Direction::lower,
     1, 0, 20362636.192500003},
    {"benchmarkdotnet", "bencher-dotnet-two_more-0.12.1.json", "benchmarkdotnet", 2, 2, 0,
     "Sample.Benchmarks.Fib20", "{}", "time", "ns", Direction::lower, 13, 0, 51.17876464128494},
};

// The folders the table must cover completely.
const char* const k_folders[] = {"gbench",        "pytest-benchmark", "hyperfine",
                                 "catch2-xml",    "catch2-console",   "jmh",
                                 "go-test-bench", "criterion",        "cargo-bench",
                                 "bmf",           "gab-custom",       "benchmarkdotnet"};

std::string case_name(const FixtureCase& c) {
    return std::string(c.folder) + "/" + c.file;
}

std::filesystem::path case_path(const FixtureCase& c) {
    return *testing::shared_dir() / "fixtures" / "formats" / c.folder / c.file;
}

// gtest prints a parameter's bytes unless told otherwise.
void PrintTo(const FixtureCase& c, std::ostream* os) {
    *os << case_name(c);
}

class SharedFormatFixture : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(SharedFormatFixture, ParsesToTheValuesInTheFile) {
    PERFTRACK_REQUIRE_SHARED();
    const FixtureCase& c = GetParam();
    auto run = test::parse_file(c.format, case_path(c));
    if (c.error != nullptr) {
        ASSERT_FALSE(run) << case_name(c) << " was accepted:\n" << test::describe(*run);
        EXPECT_EQ(run.error().kind, core::ErrorKind::input);
        EXPECT_NE(run.error().message.find(c.error), std::string::npos) << run.error().message;
        EXPECT_NE(run.error().message.find(c.file), std::string::npos)
            << "the message names the file: " << run.error().message;
        return;
    }
    ASSERT_TRUE(run) << run.error().message;
    const core::RunCounts counts = core::count(*run);
    EXPECT_EQ(counts.benchmarks, c.benchmarks) << test::describe(*run);
    EXPECT_EQ(counts.series, c.series) << test::describe(*run);
    EXPECT_EQ(run->failures.size(), c.failures) << test::describe(*run);
    const core::Measurement* m =
        test::find_series(*run, c.benchmark, c.params, c.metric, c.unit, c.suite);
    ASSERT_NE(m, nullptr) << c.benchmark << " " << c.params << " " << c.metric << " [" << c.unit
                          << "] not found in:\n"
                          << test::describe(*run);
    EXPECT_EQ(m->series.unit, c.unit);
    EXPECT_EQ(m->series.direction, c.direction);
    ASSERT_EQ(m->samples.size(), c.samples);
    EXPECT_DOUBLE_EQ(m->samples[c.index], c.value);
    // Every series is usable: samples present, times positive.
    for (const auto& s : run->measurements) {
        EXPECT_FALSE(s.samples.empty()) << s.series.benchmark << " " << s.series.metric;
        if (s.series.unit == "ns") {
            for (double v : s.samples)
                EXPECT_GT(v, 0) << s.series.benchmark << " " << s.series.metric;
        }
    }
}

TEST_P(SharedFormatFixture, AutoDetectionPicksTheAdapter) {
    PERFTRACK_REQUIRE_SHARED();
    const FixtureCase& c = GetParam();
    const std::string text = test::read_fixture(case_path(c));
    const char* expected = c.auto_format != nullptr ? c.auto_format : c.format;
    const Adapter* picked = nullptr;
    for (const auto& a : all_adapters())
        if (a.sniff(text)) {
            picked = &a;
            break;
        }
    ASSERT_NE(picked, nullptr) << case_name(c) << " is not recognised by any adapter";
    EXPECT_EQ(picked->name, expected) << case_name(c);
}

INSTANTIATE_TEST_SUITE_P(Formats, SharedFormatFixture, ::testing::ValuesIn(k_cases),
                         [](const ::testing::TestParamInfo<FixtureCase>& param) {
                             std::string name = case_name(param.param);
                             for (char& ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return name;
                         });

TEST(SharedFormatFixtures, EveryFileOfTheSupportedFoldersIsInTheTable) {
    PERFTRACK_REQUIRE_SHARED();
    std::set<std::string> listed;
    for (const auto& c : k_cases) listed.insert(case_name(c));
    std::size_t files = 0;
    for (const char* folder : k_folders) {
        const auto base = *testing::shared_dir() / "fixtures" / "formats" / folder;
        const auto found = testing::shared_format_files(folder);
        EXPECT_FALSE(found.empty()) << "no files in " << base;
        for (const auto& path : found) {
            ++files;
            const std::string name =
                std::string(folder) + "/" + std::filesystem::relative(path, base).generic_string();
            EXPECT_TRUE(listed.count(name) == 1)
                << name << " is not in k_cases: add it with values read from the file";
        }
    }
    EXPECT_EQ(files, std::size(k_cases)) << "k_cases lists a file that does not exist";
}

}  // namespace
}  // namespace perftrack::formats
