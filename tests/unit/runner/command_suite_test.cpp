// Plain command suites against real processes: the four process series with one sample per
// measured run, warm-ups left out, result files read after every run, and failures that keep
// what was measured before them.
#include "runner/command_suite.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::runner {
namespace {

using namespace std::chrono_literals;

const core::Measurement* find(const core::RunResults& r, const std::string& benchmark,
                              const std::string& metric) {
    for (const auto& m : r.measurements)
        if (m.series.benchmark == benchmark && m.series.metric == metric) return &m;
    return nullptr;
}

CommandSuite probe_suite(std::vector<std::string> args) {
    CommandSuite s;
    s.name = "probe";
    s.adapter_options.suite = "probe";
    s.argv = {RUSAGE_PROBE};
    s.argv.insert(s.argv.end(), args.begin(), args.end());
    return s;
}

TEST(CommandSuite, RecordsProcessSeriesPerMeasuredRun) {
    CommandSuite s = probe_suite({"spin", "30", "alloc", "40", "sleep", "20"});
    s.warmup_runs = 1;
    s.runs = 3;
    const SuiteOutcome o = run_command_suite(s, nullptr);
    EXPECT_FALSE(o.failed) << o.failure;
    EXPECT_TRUE(o.results.failures.empty());
    EXPECT_EQ(o.planned, 3u);
    for (const char* metric : {k_wall_time_metric, k_peak_memory_metric}) {
        const auto* m = find(o.results, "probe", metric);
        ASSERT_NE(m, nullptr) << metric;
        EXPECT_EQ(m->samples.size(), 3u) << metric << ": warm-up runs are not recorded";
        EXPECT_EQ(m->series.suite, "probe");
        EXPECT_EQ(m->series.direction, core::Direction::lower);
    }
    const auto* wall = find(o.results, "probe", k_wall_time_metric);
    EXPECT_EQ(wall->series.unit, "ns");
    for (double v : wall->samples) EXPECT_GE(v, 50e6) << "30 ms of CPU and 20 ms of sleep";
    const auto* memory = find(o.results, "probe", k_peak_memory_metric);
    EXPECT_EQ(memory->series.unit, "B");
    for (double v : memory->samples) EXPECT_GE(v, 40.0 * 1024 * 1024);
    // 30 ms of CPU time at least; how the kernel splits it between user and system time comes
    // from sampled ticks (and touching 40 MiB costs kernel time; on a busy machine a run's ticks
    // can all land on one side), so only the sum is certain. A CPU-time series with a 0 ns run
    // is left out with a note saying so.
    const auto* user = find(o.results, "probe", k_user_time_metric);
    const auto* sys = find(o.results, "probe", k_system_time_metric);
    ASSERT_TRUE(user != nullptr || sys != nullptr) << "30 ms of CPU time was accounted somewhere";
    for (std::size_t i = 0; i < 3; ++i) {
        const double u = user != nullptr ? user->samples.at(i) : 0.0;
        const double k = sys != nullptr ? sys->samples.at(i) : 0.0;
        EXPECT_GE(u + k, 30e6 * 0.95);
    }
    std::size_t missing = 0;
    for (const auto* series : {user, sys}) {
        if (series != nullptr) {
            EXPECT_EQ(series->samples.size(), 3u);
            EXPECT_EQ(series->series.unit, "ns");
        } else {
            ++missing;
        }
    }
    ASSERT_EQ(o.results.notes.size(), missing);
    if (sys == nullptr) {
        EXPECT_NE(std::find(o.results.notes.begin(), o.results.notes.end(),
                            "system_time of probe is not recorded: it was below the "
                            "kernel's CPU-time resolution (0 ns) in some runs"),
                  o.results.notes.end());
    }
    EXPECT_GE(o.child_wall_ns, 4 * 50'000'000) << "warm-up time is still benchmark-process time";
}

TEST(CommandSuite, NonZeroExitKeepsEarlierRunsAndReportsStderr) {
    testing::TempDir dir;
    CommandSuite s;
    s.name = "flaky";
    s.adapter_options.suite = "flaky";
    // Succeeds twice, then fails with a message on stderr.
    s.argv = {"/bin/sh", "-c",
              "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; "
              "if [ $n -ge 3 ]; then echo 'disk full' >&2; exit 7; fi"};
    s.working_dir = dir.path();
    s.runs = 5;
    const SuiteOutcome o = run_command_suite(s, nullptr);
    EXPECT_TRUE(o.failed);
    EXPECT_EQ(o.failure, "run 3/5: /bin/sh exited with status 7");
    EXPECT_EQ(o.stderr_tail, "disk full\n");
    const auto* wall = find(o.results, "flaky", k_wall_time_metric);
    ASSERT_NE(wall, nullptr);
    EXPECT_EQ(wall->samples.size(), 2u);
    ASSERT_EQ(o.results.failures.size(), 1u);
    EXPECT_EQ(o.results.failures[0].benchmark, "flaky");
    EXPECT_EQ(o.results.failures[0].message,
              "run 3/5: /bin/sh exited with status 7; stderr: disk full");
}

TEST(CommandSuite, ReadsTheResultFileAfterEveryRun) {
    testing::TempDir dir;
    CommandSuite s;
    s.name = "train";
    s.adapter_options.suite = "train";
    const auto file = dir / "results.json";
    s.argv = {
        "/bin/sh", "-c",
        "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; "
        "printf '{\"version\":1,\"results\":[{\"benchmark\":\"step\",\"metric\":\"step_time\","
        "\"unit\":\"ms\",\"direction\":\"lower\",\"samples\":[1%s]}]}' $n > results.json"};
    s.working_dir = dir.path();
    s.results_file = file;
    s.results_format = "perftrack";
    s.runs = 3;
    s.warmup_runs = 1;
    const SuiteOutcome o = run_command_suite(s, nullptr);
    EXPECT_FALSE(o.failed) << o.failure;
    const auto* step = find(o.results, "step", "step_time");
    ASSERT_NE(step, nullptr);
    // Run 1 was the warm-up (it wrote 11); the measured runs wrote 12, 13 and 14.
    EXPECT_EQ(step->samples, (std::vector<double>{12, 13, 14}));
    ASSERT_NE(find(o.results, "train", k_wall_time_metric), nullptr);
}

TEST(CommandSuite, KeepsTheResultFilesContextForTheFingerprint) {
    testing::TempDir dir;
    CommandSuite s;
    s.name = "ml";
    s.adapter_options.suite = "ml";
    // A records file whose context changes in the second run: the first value stays, as the
    // testbed's fingerprint is the one of the first run.
    s.argv = {"/bin/sh", "-c",
              "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; "
              "printf '[{\"context\":{\"threads\":%s,\"torch\":\"2.13\"}},"
              "{\"benchmark\":\"step\",\"time_ms\":1}]' $n > results.json"};
    s.working_dir = dir.path();
    s.results_file = dir / "results.json";
    s.results_format = "records";
    s.runs = 2;
    const SuiteOutcome o = run_command_suite(s, nullptr);
    EXPECT_FALSE(o.failed) << o.failure;
    EXPECT_EQ(o.results.context.fingerprint, (nlohmann::json{{"threads", 1}, {"torch", "2.13"}}));
    ASSERT_NE(find(o.results, "step", "time"), nullptr);
}

TEST(CommandSuite, AResultFileThatIsNotRewrittenFailsTheRun) {
    testing::TempDir dir;
    const auto file = dir.write(
        "results.json",
        R"({"version":1,"results":[{"benchmark":"b","metric":"m","unit":"ms","samples":[1]}]})");
    CommandSuite s = probe_suite({"exit", "0"});
    s.results_file = file;
    s.runs = 2;
    const SuiteOutcome o = run_command_suite(s, nullptr);
    EXPECT_TRUE(o.failed);
    EXPECT_EQ(o.failure,
              fmt::format("run 1/2: {} did not rewrite {}", RUSAGE_PROBE, file.string()));
    EXPECT_EQ(find(o.results, "probe", k_wall_time_metric), nullptr);
}

TEST(CommandSuite, TimeoutCoversAllRuns) {
    CommandSuite s = probe_suite({"sleep", "300"});
    s.runs = 10;
    s.timeout = 700ms;
    const auto started = std::chrono::steady_clock::now();
    const SuiteOutcome o = run_command_suite(s, nullptr);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_TRUE(o.failed);
    EXPECT_NE(o.failure.find("timed out"), std::string::npos) << o.failure;
    const auto* wall = find(o.results, "probe", k_wall_time_metric);
    ASSERT_NE(wall, nullptr);
    EXPECT_GE(wall->samples.size(), 1u);
    EXPECT_LE(wall->samples.size(), 2u);
}

}  // namespace
}  // namespace perftrack::runner
