// perftrack.toml parsing: every key, the defaults, and the exact errors (file, line, key) for
// wrong keys, types and values.
#include "runner/suite_config.hpp"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::runner {
namespace {

core::Result<RunConfig> parse(std::string_view text) {
    return parse_config(text, "conf/perftrack.toml");
}

std::string error_of(std::string_view text) {
    auto c = parse(text);
    EXPECT_FALSE(c) << "accepted:\n" << text;
    if (c) return {};
    EXPECT_EQ(c.error().kind, core::ErrorKind::config);
    return c.error().message;
}

TEST(SuiteConfig, FullExample) {
    auto c = parse(R"(
project = "engine"
testbed = "ci-x86-large"
baseline_branch = "main"
repetitions = 12
timeout_seconds = 900

[metrics.items_per_second]
direction = "higher"
min_change_pct = 5

[[suite]]
name = "core"
binary = "build/bench/core_bench"
filter = "BM_Sort"
repetitions = 20
args = ["--benchmark_min_time=0.05"]
timeout_seconds = 120.5
env = { OMP_NUM_THREADS = "1" }

[suite.metrics.allocs]
direction = "lower"
min_change_pct = 1.5

[[suite]]
name = "train"
command = ["python3", "train.py", "--steps", "10"]
warmup = 1
runs = 3
working_dir = "examples/ml"
results = "out/results.json"
format = "records"
params = ["framework", "batch_size"]

[suite.metrics.avg_time_ms]
unit = "ms"

[[suite]]
name = "build"
command = "make -j2 >/dev/null"
)");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->project, "engine");
    EXPECT_EQ(c->testbed, "ci-x86-large");
    EXPECT_EQ(c->baseline_branch, "main");
    EXPECT_EQ(c->repetitions, 12);
    EXPECT_EQ(c->timeout_seconds, 900.0);
    ASSERT_EQ(c->suites.size(), 3u);

    const auto& core = c->suites[0];
    EXPECT_EQ(core.kind, SuiteKind::gbench);
    EXPECT_EQ(core.line, 12);
    EXPECT_EQ(core.binary, "conf/build/bench/core_bench") << "relative to the file's directory";
    EXPECT_EQ(core.filter, "BM_Sort");
    EXPECT_EQ(core.repetitions, 20);
    EXPECT_EQ(core.args, std::vector<std::string>{"--benchmark_min_time=0.05"});
    EXPECT_EQ(core.timeout_seconds, 120.5);
    EXPECT_EQ(core.working_dir, "conf");
    ASSERT_EQ(core.env.size(), 1u);
    EXPECT_EQ(core.env[0], (std::pair<std::string, std::string>{"OMP_NUM_THREADS", "1"}));

    const auto& train = c->suites[1];
    EXPECT_EQ(train.kind, SuiteKind::command);
    EXPECT_EQ(train.command, (std::vector<std::string>{"python3", "train.py", "--steps", "10"}));
    EXPECT_EQ(train.warmup_runs, 1);
    EXPECT_EQ(train.runs, 3);
    EXPECT_EQ(train.working_dir, "conf/examples/ml");
    EXPECT_EQ(train.results_file, "conf/out/results.json");
    EXPECT_EQ(train.results_format, "records");
    EXPECT_EQ(train.params, (std::vector<std::string>{"framework", "batch_size"}));
    EXPECT_EQ(metric_rule(*c, train, "avg_time_ms").unit, "ms");

    const auto& build = c->suites[2];
    EXPECT_EQ(build.command, (std::vector<std::string>{"/bin/sh", "-c", "make -j2 >/dev/null"}));

    // Suite rules win key by key over the file's.
    EXPECT_EQ(metric_rule(*c, core, "allocs").min_change_pct, 1.5);
    EXPECT_EQ(metric_rule(*c, core, "items_per_second").direction, core::Direction::higher);
    EXPECT_EQ(metric_rule(*c, train, "items_per_second").min_change_pct, 5.0);
    EXPECT_FALSE(metric_rule(*c, train, "allocs").direction);

    EXPECT_EQ(effective_repetitions(*c, core), 20);
    EXPECT_EQ(effective_repetitions(*c, train), 3);
    EXPECT_EQ(effective_repetitions(*c, build), 12) << "the file's repetitions";
    EXPECT_EQ(effective_timeout_seconds(*c, core), 120.5);
    EXPECT_EQ(effective_timeout_seconds(*c, build), 900.0);
}

TEST(SuiteConfig, DefaultsAndBinaryName) {
    auto c = parse("[[suite]]\nbinary = \"/opt/bench/micro\"\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_FALSE(c->project);
    ASSERT_EQ(c->suites.size(), 1u);
    EXPECT_EQ(c->suites[0].name, "micro") << "a binary suite is named after the file";
    EXPECT_EQ(c->suites[0].binary, "/opt/bench/micro") << "absolute paths stay";
    EXPECT_EQ(effective_repetitions(*c, c->suites[0]), k_default_repetitions);
    EXPECT_FALSE(effective_timeout_seconds(*c, c->suites[0]));
}

TEST(SuiteConfig, UnknownKeysNameFileLineAndKey) {
    EXPECT_EQ(error_of("project = \"p\"\nrepetitons = 3\n"),
              "conf/perftrack.toml:2: repetitons: unknown key (known here: project, testbed, "
              "baseline_branch, repetitions, timeout_seconds, metrics, suite)");
    EXPECT_EQ(error_of("[[suite]]\nbinary = \"b\"\n\nfliter = \"x\"\n"),
              "conf/perftrack.toml:4: suite[0].fliter: unknown key (known here: name, binary, "
              "filter, repetitions, args, command, warmup, runs, results, format, params, "
              "ignore_fields, working_dir, timeout_seconds, env, metrics)");
    EXPECT_EQ(error_of("[metrics.x]\ndirection = \"higher\"\nthreshold = 3\n"),
              "conf/perftrack.toml:3: metrics.x.threshold: unknown key (known here: direction, "
              "unit, min_change_pct)");
}

TEST(SuiteConfig, WrongTypesNameFileLineAndKey) {
    EXPECT_EQ(error_of("[[suite]]\nbinary = \"b\"\nrepetitions = \"ten\"\n"),
              "conf/perftrack.toml:3: suite[0].repetitions: expected an integer, got a string");
    EXPECT_EQ(error_of("project = 5\n"),
              "conf/perftrack.toml:1: project: expected a string, got an integer");
    EXPECT_EQ(error_of("[[suite]]\nbinary = \"b\"\nargs = [\"--a\", 3]\n"),
              "conf/perftrack.toml:3: suite[0].args[1]: expected a string, got an integer");
    EXPECT_EQ(error_of("[[suite]]\nname = \"n\"\ncommand = [\"a\"]\nenv = { X = 1 }\n"),
              "conf/perftrack.toml:4: suite[0].env.X: expected a string, got an integer");
    EXPECT_EQ(error_of("timeout_seconds = \"1m\"\n"),
              "conf/perftrack.toml:1: timeout_seconds: expected a number, got a string");
    EXPECT_EQ(error_of("suite = 3\n"),
              "conf/perftrack.toml:1: suite: write each suite as a "
              "[[suite]] table");
}

TEST(SuiteConfig, BadValues) {
    EXPECT_EQ(error_of("[[suite]]\nbinary = \"b\"\nrepetitions = 0\n"),
              "conf/perftrack.toml:3: suite[0].repetitions: 0 is out of range (1 to 100000)");
    EXPECT_EQ(error_of("[metrics.m]\ndirection = \"up\"\n"),
              "conf/perftrack.toml:2: metrics.m.direction: \"up\" is not a direction (lower or "
              "higher)");
    EXPECT_EQ(error_of("[metrics.m]\nmin_change_pct = -2\n"),
              "conf/perftrack.toml:2: metrics.m.min_change_pct: must be a positive number, not -2");
    EXPECT_EQ(error_of("[[suite]]\nname = \"x\"\n"),
              "conf/perftrack.toml:1: suite[0].binary: a suite needs binary = \"path\" (a Google "
              "Benchmark binary) or command = [\"argv\", ...]");
    EXPECT_EQ(error_of("[[suite]]\nbinary = \"b\"\ncommand = [\"c\"]\n"),
              "conf/perftrack.toml:1: suite[0].command: a suite has either binary (Google "
              "Benchmark) or command, not both");
    EXPECT_EQ(error_of("[[suite]]\nbinary = \"b\"\nruns = 3\n"),
              "conf/perftrack.toml:3: suite[0].runs: belongs to command suites, not to a binary "
              "suite");
    EXPECT_EQ(error_of("[[suite]]\ncommand = [\"c\"]\n"),
              "conf/perftrack.toml:1: suite[0].name: a command suite needs a name");
    EXPECT_EQ(error_of("[[suite]]\nname = \"c\"\ncommand = []\n"),
              "conf/perftrack.toml:3: suite[0].command: must not be empty");
    EXPECT_EQ(error_of("[[suite]]\nname = \"c\"\ncommand = [\"c\"]\nformat = \"gbench\"\n"),
              "conf/perftrack.toml:4: suite[0].format: needs results = \"file\" beside it");
    EXPECT_EQ(error_of("[[suite]]\nbinary = \"a/x\"\n[[suite]]\nbinary = \"b/x\"\n"),
              "conf/perftrack.toml:3: suite[1].name: two suites are named \"x\"; names must be "
              "unique");
}

TEST(SuiteConfig, InvalidTomlNamesLineAndColumn) {
    const std::string e = error_of("project = \"p\"\n[[suite]\n");
    EXPECT_EQ(e.rfind("conf/perftrack.toml:2:", 0), 0u) << e;
    EXPECT_NE(e.find("invalid TOML"), std::string::npos) << e;
}

TEST(SuiteConfig, LoadAndFind) {
    testing::TempDir dir;
    EXPECT_FALSE(find_config(dir.path()));
    const auto file = dir.write("perftrack.toml", "project = \"p\"\n");
    EXPECT_EQ(find_config(dir.path()), file);
    auto c = load_config(file);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->project, "p");
    auto missing = load_config(dir / "nope.toml");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, core::ErrorKind::config);
    EXPECT_NE(missing.error().message.find("nope.toml"), std::string::npos);
}

}  // namespace
}  // namespace perftrack::runner
