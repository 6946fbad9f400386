// Running a real Google Benchmark binary (tests/programs/sample_gbench.cpp): listing, exact-name
// filters, every repetition kept, and what survives a crash, a hang and SkipWithError.
#include "runner/gbench_suite.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::runner {
namespace {

using namespace std::chrono_literals;

GbenchSuite sample(int repetitions = 2) {
    GbenchSuite s;
    s.name = "sample";
    s.binary = SAMPLE_GBENCH;
    s.repetitions = repetitions;
    s.args = {"--benchmark_min_time=0.002"};
    s.adapter_options.suite = "sample";
    return s;
}

const core::Measurement* find(const core::RunResults& r, const std::string& benchmark,
                              const std::string& metric) {
    for (const auto& m : r.measurements)
        if (m.series.benchmark == benchmark && m.series.metric == metric) return &m;
    return nullptr;
}

std::set<std::string> failed_names(const core::RunResults& r) {
    std::set<std::string> out;
    for (const auto& f : r.failures) out.insert(f.benchmark);
    return out;
}

TEST(GbenchSuite, ExactNameFilterEscapesRegexSpecials) {
    EXPECT_EQ(exact_name_filter({"BM_a", "BM_b/8", "BM_Fill<int>", "x.y+(z)|w"}),
              R"(^(BM_a|BM_b/8|BM_Fill<int>|x\.y\+\(z\)\|w)$)");
}

TEST(GbenchSuite, AbsorbsTheFlagsPerftrackSets) {
    GbenchSuite s = sample();
    s.args = {"--benchmark_filter=BM_Acc", "--benchmark_repetitions=3", "--benchmark_min_time=0.01",
              "--benchmark_out=/tmp/keep.json", "--benchmark_out_format=json"};
    ASSERT_TRUE(absorb_gbench_args(s));
    EXPECT_EQ(s.filter, "BM_Acc");
    EXPECT_EQ(s.repetitions, 3);
    EXPECT_EQ(s.keep_output, "/tmp/keep.json");
    EXPECT_EQ(s.args, std::vector<std::string>{"--benchmark_min_time=0.01"});

    s.args = {"--benchmark_out_format=csv"};
    EXPECT_FALSE(absorb_gbench_args(s));
    s.args = {"--benchmark_list_tests=true"};
    EXPECT_FALSE(absorb_gbench_args(s));
    s.args = {"--benchmark_repetitions=zero"};
    auto bad = absorb_gbench_args(s);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, core::ErrorKind::usage);
}

TEST(GbenchSuite, KeepsTheCompletePartsOfTruncatedJson) {
    using nlohmann::json;
    const auto read = [](std::string_view text) { return parse_gbench_results(text); };
    const std::string complete =
        R"({"context": {"a": [1, {"b": "}"}]}, "benchmarks": [{"name": "x"}]})";
    auto r = read(complete);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->doc, json::parse(complete));
    EXPECT_FALSE(r->truncated);
    // Cut inside the second entry: the first survives.
    r = read(R"({"context": {"k": 1}, "benchmarks": [{"name": "a]}"}, {"name": "b", "real)");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->truncated);
    EXPECT_EQ(r->doc, json::parse(R"({"context": {"k": 1}, "benchmarks": [{"name": "a]}"}]})"));
    // Cut after a number that may be incomplete: the entry is dropped, not kept with "12".
    r = read(R"({"context": {}, "benchmarks": [{"name": "a"}, {"name": "b", "real_time": 12)");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->doc, json::parse(R"({"context": {}, "benchmarks": [{"name": "a"}]})"));
    // The array just opened: no entries.
    r = read(R"({"context": {"k": 1}, "benchmarks": [)");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->doc, json::parse(R"({"context": {"k": 1}, "benchmarks": []})"));
    // Only the context finished (a key cut short, and one without its value).
    for (const char* text :
         {R"({"context": {"k": "\"}"}, "bench)", R"({"context": {"k": "\"}"}, "benchmarks")",
          R"({"context": {"k": "\"}"}, "benchmarks":)"}) {
        r = read(text);
        ASSERT_TRUE(r) << text;
        EXPECT_EQ(r->doc, json::parse(R"({"context": {"k": "\"}"}})")) << text;
    }
    // Garbage where the next entry should be: treated like the end of the file.
    r = read(R"({"context": {}, "benchmarks": [{"name": "a"}, xx)");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->doc["benchmarks"].size(), 1u);
    EXPECT_FALSE(read(R"({"context": {"k": 1)"));
    EXPECT_FALSE(read(""));
    EXPECT_FALSE(read("[1, 2"));
    r = read("[1, 2]");  // complete, but not Google Benchmark's object: the caller says so
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->doc.is_object());
}

TEST(GbenchSuite, RecognisesGoogleBenchmarkBinaries) {
    EXPECT_TRUE(looks_like_gbench_binary(SAMPLE_GBENCH));
    EXPECT_FALSE(looks_like_gbench_binary(RUSAGE_PROBE));
    EXPECT_FALSE(looks_like_gbench_binary("/bin/sh"));
    EXPECT_FALSE(looks_like_gbench_binary("/nonexistent"));
}

TEST(GbenchSuite, ListsWithTheFilter) {
    GbenchSuite s = sample();
    auto all = list_gbench_benchmarks(s);
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_EQ(*all,
              (std::vector<std::string>{"BM_Accumulate/64", "BM_Accumulate/512", "BM_Fill<int>",
                                        "BM_Unavailable", "BM_Hang", "BM_Crash"}));
    s.filter = "Fill";
    auto some = list_gbench_benchmarks(s);
    ASSERT_TRUE(some);
    EXPECT_EQ(*some, std::vector<std::string>{"BM_Fill<int>"});
    s.filter = "NoSuchBenchmark";
    auto none = list_gbench_benchmarks(s);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().kind, core::ErrorKind::usage);
    EXPECT_EQ(none.error().message,
              std::string("suite sample: filter \"NoSuchBenchmark\" matches no benchmark of ") +
                  SAMPLE_GBENCH);
}

TEST(GbenchSuite, KeepsEveryRepetitionAndRecordsSkipWithError) {
    GbenchSuite s = sample(3);
    s.filter = "^BM_(Accumulate|Fill|Unavailable)";
    auto names = list_gbench_benchmarks(s);
    ASSERT_TRUE(names);
    const SuiteOutcome o = run_gbench_suite(s, *names, true, nullptr);
    EXPECT_FALSE(o.failed) << o.failure;
    EXPECT_EQ(o.planned, 4u);
    const auto* acc = find(o.results, "BM_Accumulate/64", "real_time");
    ASSERT_NE(acc, nullptr);
    EXPECT_EQ(acc->samples.size(), 3u) << "one sample per repetition";
    EXPECT_EQ(acc->series.suite, "sample");
    ASSERT_NE(find(o.results, "BM_Fill<int>", "cpu_time"), nullptr);
    EXPECT_EQ(failed_names(o.results), std::set<std::string>{"BM_Unavailable"});
    EXPECT_GT(o.child_wall_ns, 0);
    EXPECT_GE(o.wall_ns, o.child_wall_ns);
    ASSERT_EQ(o.programs.size(), 1u);
    EXPECT_NE(o.programs[0].compiler.find("GCC"), std::string::npos) << o.programs[0].compiler;
    EXPECT_FALSE(o.programs[0].library_build_type.empty());
}

TEST(GbenchSuite, RunsOnlyTheNamedBenchmarks) {
    GbenchSuite s = sample(2);
    const SuiteOutcome o =
        run_gbench_suite(s, {"BM_Fill<int>", "BM_Accumulate/512"}, false, nullptr);
    EXPECT_FALSE(o.failed) << o.failure;
    std::set<std::string> benchmarks;
    for (const auto& m : o.results.measurements) benchmarks.insert(m.series.benchmark);
    EXPECT_EQ(benchmarks, (std::set<std::string>{"BM_Fill<int>", "BM_Accumulate/512"}));
}

TEST(GbenchSuite, CrashKeepsFinishedBenchmarksAndMarksTheRest) {
    GbenchSuite s = sample(2);
    s.env = {{"SAMPLE_GBENCH_CRASH", "1"}};
    // Registration order, so everything before BM_Crash finished when it crashes.
    s.args.push_back("--benchmark_enable_random_interleaving=false");
    s.filter = "^BM_(Accumulate|Fill|Crash)";
    auto names = list_gbench_benchmarks(s);
    ASSERT_TRUE(names);
    const SuiteOutcome o = run_gbench_suite(s, *names, true, nullptr);
    EXPECT_TRUE(o.failed);
    EXPECT_NE(o.failure.find("was killed by SIGSEGV (signal 11)"), std::string::npos) << o.failure;
    EXPECT_NE(o.failure.find("3 of 4 benchmarks finished"), std::string::npos) << o.failure;
    const auto* acc = find(o.results, "BM_Accumulate/512", "real_time");
    ASSERT_NE(acc, nullptr) << "finished benchmarks are kept";
    EXPECT_EQ(acc->samples.size(), 2u);
    ASSERT_EQ(o.results.failures.size(), 1u);
    EXPECT_EQ(o.results.failures[0].benchmark, "BM_Crash");
    EXPECT_NE(
        o.results.failures[0].message.find("did not finish: sample_gbench was killed by SIGSEGV"),
        std::string::npos)
        << o.results.failures[0].message;
}

TEST(GbenchSuite, TimeoutStopsAHangingBinaryAndKeepsWhatFinished) {
    GbenchSuite s = sample(1);
    s.env = {{"SAMPLE_GBENCH_HANG", "1"}};
    s.args.push_back("--benchmark_enable_random_interleaving=false");
    s.filter = "^BM_(Fill|Hang)";
    s.timeout = 1500ms;
    auto names = list_gbench_benchmarks(s);
    ASSERT_TRUE(names);
    const auto started = std::chrono::steady_clock::now();
    const SuiteOutcome o = run_gbench_suite(s, *names, true, nullptr);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    EXPECT_TRUE(o.failed);
    EXPECT_NE(o.failure.find("timed out after 1.5 s (the suite's limit)"), std::string::npos)
        << o.failure;
    EXPECT_NE(find(o.results, "BM_Fill<int>", "real_time"), nullptr);
    EXPECT_EQ(failed_names(o.results), std::set<std::string>{"BM_Hang"});
}

TEST(GbenchSuite, KeepsTheUsersOwnOutputFile) {
    testing::TempDir dir;
    GbenchSuite s = sample(1);
    s.filter = "Fill";
    s.keep_output = dir / "mine.json";
    const SuiteOutcome o = run_gbench_suite(s, {"BM_Fill<int>"}, true, nullptr);
    EXPECT_FALSE(o.failed) << o.failure;
    EXPECT_NE(testing::read_file(s.keep_output).find("\"BM_Fill<int>\""), std::string::npos);
}

TEST(GbenchSuite, BinaryThatIsNotGoogleBenchmarkFails) {
    GbenchSuite s = sample(1);
    s.binary = RUSAGE_PROBE;
    s.args = {};
    const SuiteOutcome o = run_gbench_suite(s, {"BM_x"}, true, nullptr);
    EXPECT_TRUE(o.failed);
    EXPECT_FALSE(o.results.failures.empty());
}

}  // namespace
}  // namespace perftrack::runner
