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

#include "tests/unit/runner/adapters/adapter_test_util.hpp"

namespace perftrack::runner::adapters {
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
};

// The folders the table must cover completely.
const char* const k_folders[] = {"gbench"};

std::string case_name(const FixtureCase& c) {
    return std::string(c.folder) + "/" + c.file;
}

std::filesystem::path case_path(const FixtureCase& c) {
    return *testing::shared_dir() / "fixtures" / "formats" / c.folder / c.file;
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
    const core::Measurement* m = test::find_series(*run, c.benchmark, c.params, c.metric, c.unit);
    ASSERT_NE(m, nullptr) << c.benchmark << " " << c.params << " " << c.metric << " [" << c.unit
                          << "] not found in:\n"
                          << test::describe(*run);
    EXPECT_EQ(m->unit, c.unit);
    EXPECT_EQ(m->direction, c.direction);
    ASSERT_EQ(m->samples.size(), c.samples);
    EXPECT_DOUBLE_EQ(m->samples[c.index], c.value);
    // Every series is usable: samples present, times positive.
    for (const auto& s : run->measurements) {
        EXPECT_FALSE(s.samples.empty()) << s.benchmark << " " << s.metric;
        if (s.unit == "ns") {
            for (double v : s.samples) EXPECT_GT(v, 0) << s.benchmark << " " << s.metric;
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
}  // namespace perftrack::runner::adapters
