// The plan of `perftrack run`: settings resolved request > suite > file > defaults, suites
// selected by name, and everything that cannot start refused (with the place named) before
// anything runs.
#include "runner/run_plan.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::runner {
namespace {

using namespace std::chrono_literals;

// A config in `dir` with a Google Benchmark suite and a plain command suite.
std::filesystem::path write_config(const testing::TempDir& dir, std::string_view extra = "") {
    return dir.write("perftrack.toml", fmt::format(R"(
project = "p"
repetitions = 4
timeout_seconds = 30

[metrics.items]
direction = "higher"

[[suite]]
name = "gb"
binary = "{}"
args = ["--benchmark_filter=BM_Fill"]

[[suite]]
name = "probe"
command = ["{}", "spin", "1"]
runs = 2
results = "out.json"
format = "records"
params = ["size"]
{}
)",
                                                   SAMPLE_GBENCH, RUSAGE_PROBE, extra));
}

RunRequest with_config(const std::filesystem::path& file) {
    RunRequest r;
    r.config = file;
    return r;
}

core::Error error_of(const RunRequest& request) {
    auto plan = plan_run(request);
    EXPECT_FALSE(plan) << "planned " << (plan ? plan->suites.size() : 0) << " suites";
    return plan ? core::Error{} : plan.error();
}

TEST(RunPlan, SuitesOfTheConfigWithTheirSettingsResolved) {
    testing::TempDir dir;
    auto plan = plan_run(with_config(write_config(dir)));
    ASSERT_TRUE(plan) << plan.error().message;
    ASSERT_EQ(plan->suites.size(), 2u);
    const auto& gb = plan->suites[0];
    EXPECT_EQ(gb.kind, SuiteKind::gbench);
    EXPECT_EQ(gb.name(), "gb");
    EXPECT_EQ(gb.gbench.filter, "BM_Fill");  // taken out of args
    EXPECT_EQ(gb.gbench.repetitions, 4);     // the file's default
    EXPECT_EQ(gb.gbench.timeout, std::chrono::nanoseconds(30s));
    EXPECT_EQ(gb.gbench.adapter_options.directions.at("items"), core::Direction::higher);
    EXPECT_EQ(gb.where, fmt::format("{}:9", (dir / "perftrack.toml").string()));
    const auto& probe = plan->suites[1];
    EXPECT_EQ(probe.kind, SuiteKind::command);
    EXPECT_EQ(probe.command.runs, 2);  // the suite's own key beats the file's default
    EXPECT_EQ(probe.command.results_format, "records");
    EXPECT_EQ(probe.command.adapter_options.param_fields, std::vector<std::string>{"size"});
    EXPECT_FALSE(plan->ab);
    EXPECT_FALSE(plan->shard);
}

TEST(RunPlan, TheRequestOverridesTheConfig) {
    testing::TempDir dir;
    auto request = with_config(write_config(dir));
    request.repetitions = 7;
    request.timeout_seconds = 1.5;
    request.shard = "2/3";
    request.overrides.directions["items"] = core::Direction::lower;
    request.overrides.param_fields = {"size", "threads"};
    auto plan = plan_run(request);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->suites[0].gbench.repetitions, 7);
    EXPECT_EQ(plan->suites[1].command.runs, 7);
    EXPECT_EQ(plan->suites[1].command.timeout, std::chrono::nanoseconds(1500ms));
    EXPECT_EQ(plan->suites[0].gbench.adapter_options.directions.at("items"),
              core::Direction::lower);
    EXPECT_EQ(plan->suites[1].command.adapter_options.param_fields,
              (std::vector<std::string>{"size", "threads"}));
    ASSERT_TRUE(plan->shard);
    EXPECT_EQ(plan->shard->text(), "2/3");
}

TEST(RunPlan, SuiteSelectionByNameAndUnknownNames) {
    testing::TempDir dir;
    auto request = with_config(write_config(dir));
    request.suites = {"probe"};
    auto plan = plan_run(request);
    ASSERT_TRUE(plan) << plan.error().message;
    ASSERT_EQ(plan->suites.size(), 1u);
    EXPECT_EQ(plan->suites[0].name(), "probe");

    request.suites = {"nope"};
    const auto e = error_of(request);
    EXPECT_EQ(e.kind, core::ErrorKind::usage);
    EXPECT_EQ(e.message, "--suite nope: no such suite (known: gb, probe)");
}

TEST(RunPlan, AMissingBinaryIsAConfigErrorNamingTheLine) {
    testing::TempDir dir;
    const auto file = write_config(dir, R"(
[[suite]]
name = "gone"
binary = "/nonexistent/bench"
)");
    const auto e = error_of(with_config(file));
    EXPECT_EQ(e.kind, core::ErrorKind::config);
    EXPECT_EQ(e.message, fmt::format("{}:22: suite \"gone\": /nonexistent/bench does not exist",
                                     file.string()));
    EXPECT_FALSE(e.hint.empty());
}

TEST(RunPlan, AnUnknownResultsFormatIsRefused) {
    testing::TempDir dir;
    const auto e = error_of(with_config(write_config(dir, R"(
[[suite]]
name = "odd"
command = ["true"]
results = "o.json"
format = "nosuchformat"
)")));
    EXPECT_EQ(e.kind, core::ErrorKind::config);
    EXPECT_NE(e.message.find("unknown results format \"nosuchformat\""), std::string::npos)
        << e.message;
}

TEST(RunPlan, AConfigWithoutSuitesHasNothingToRun) {
    testing::TempDir dir;
    const auto file = dir.write("perftrack.toml", "project = \"p\"\n");
    const auto e = error_of(with_config(file));
    EXPECT_EQ(e.kind, core::ErrorKind::usage);
    EXPECT_EQ(e.message, fmt::format("{} defines no [[suite]]", file.string()));
}

TEST(RunPlan, ACommandLineGbenchBinaryOrPlainCommand) {
    testing::TempDir dir;
    const auto empty = dir.write("perftrack.toml", "project = \"p\"\n");
    RunRequest request = with_config(empty);
    request.command = {SAMPLE_GBENCH, "--benchmark_repetitions=3"};
    auto plan = plan_run(request);
    ASSERT_TRUE(plan) << plan.error().message;
    ASSERT_EQ(plan->suites.size(), 1u);
    EXPECT_EQ(plan->suites[0].kind, SuiteKind::gbench);  // detected
    EXPECT_EQ(plan->suites[0].gbench.repetitions, 3);
    EXPECT_EQ(plan->suites[0].where, "the command line");

    request.type = "command";
    request.name = "sample";
    request.warmup = 2;
    plan = plan_run(request);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->suites[0].kind, SuiteKind::command);
    EXPECT_EQ(plan->suites[0].name(), "sample");
    EXPECT_EQ(plan->suites[0].command.warmup_runs, 2);
    EXPECT_EQ(plan->suites[0].command.runs, k_default_repetitions);
}

TEST(RunPlan, ContradictoryRequestsAreUsageErrors) {
    testing::TempDir dir;
    const auto file = write_config(dir);
    const auto message = [&](auto change) {
        RunRequest r = with_config(file);
        change(r);
        const auto e = error_of(r);
        EXPECT_EQ(e.kind, core::ErrorKind::usage) << e.message;
        return e.message;
    };
    EXPECT_EQ(message([](RunRequest& r) { r.repetitions = 0; }),
              "--repetitions must be at least 1");
    EXPECT_EQ(message([](RunRequest& r) { r.timeout_seconds = -1; }),
              "--timeout must be a positive number of seconds");
    EXPECT_EQ(message([](RunRequest& r) { r.warmup = 1; }),
              "--type, --name, --warmup and --results describe a command given after --");
    EXPECT_EQ(message([](RunRequest& r) {
                  r.command = {"true"};
                  r.suites = {"gb"};
              }),
              "--suite selects suites of the config; it cannot be combined with a command "
              "after --");
    EXPECT_EQ(message([](RunRequest& r) {
                  r.command = {"true"};
                  r.type = "python";
              }),
              "--type \"python\": expected auto, gbench or command");
    EXPECT_EQ(message([](RunRequest& r) { r.command = {"no-such-program-perftrack-test"}; }),
              "cannot run no-such-program-perftrack-test: not found on PATH");
    EXPECT_EQ(message([](RunRequest& r) {
                  r.command = {SAMPLE_GBENCH};
                  r.results = "x.json";
              }).rfind(fmt::format("{} is a Google Benchmark binary", SAMPLE_GBENCH), 0),
              0u);
}

TEST(RunPlan, AbModeBuildsBothSides) {
    testing::TempDir dir;
    RunRequest request = with_config(write_config(dir));
    request.ab = {SAMPLE_GBENCH, SAMPLE_GBENCH_SLOWER};
    request.command = {"--benchmark_filter=BM_Fill"};
    request.ab_rounds = 6;
    auto plan = plan_run(request);
    ASSERT_TRUE(plan) << plan.error().message;
    ASSERT_TRUE(plan->ab);
    EXPECT_TRUE(plan->suites.empty());
    EXPECT_EQ(plan->ab->rounds, 6);
    EXPECT_EQ(plan->ab->baseline.binary, SAMPLE_GBENCH);
    EXPECT_EQ(plan->ab->candidate.binary, SAMPLE_GBENCH_SLOWER);
    EXPECT_EQ(plan->ab->candidate.filter, "BM_Fill");
    EXPECT_EQ(plan->ab->baseline.name, plan->ab->candidate.name);

    request.shard = "1/2";
    EXPECT_EQ(error_of(request).message, "--ab and --shard cannot be combined");
    request.shard.reset();
    request.ab = {SAMPLE_GBENCH, "/nonexistent/candidate"};
    const auto e = error_of(request);
    EXPECT_EQ(e.kind, core::ErrorKind::usage);
    EXPECT_NE(e.message.find("--ab: suite"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace perftrack::runner
