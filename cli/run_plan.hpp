#pragma once
// `perftrack run`: from flags and perftrack.toml to the list of suites to run, each with its
// settings resolved (flags > the suite's keys > the file's defaults > built-in defaults), and
// checked before anything runs: a missing binary, an unknown format or a bad flag ends the
// command with exit 2 and nothing is run.

#include <optional>
#include <string>
#include <vector>

#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "cli/run_assembly.hpp"
#include "core/error.hpp"
#include "runner/ab_runner.hpp"
#include "runner/command_suite.hpp"
#include "runner/gbench_suite.hpp"
#include "runner/shard.hpp"
#include "runner/suite_config.hpp"

namespace perftrack::cli {

struct RunFlags {
    CommonOptions common;
    IdentityFlags identity;  // --run-id, --run-group, --shard
    std::optional<std::string> config;
    std::optional<int> repetitions;
    std::vector<std::string> suites;  // --suite NAME: only these suites of the config
    std::optional<double> timeout_seconds;
    // For a command given after "--":
    std::string type = "auto";  // auto, gbench, command
    std::optional<std::string> name;
    std::optional<int> warmup;
    std::optional<std::string> results;
    std::string format = "auto";
    std::vector<std::string> directions;  // NAME=higher|lower
    std::vector<std::string> metrics;     // NAME=unit:direction (formats without units)
    std::string params;                   // a,b,c: fields of --results that become params
    std::string ignore_fields;            // a,b: fields of --results that are neither (records)
    // A/B mode
    std::vector<std::string> ab;  // BASELINE CANDIDATE
    std::optional<int> ab_rounds;
    // --check: judge the run after storing it (with --ab: the paired test of the two sides)
    bool check = false;
    // Re-run what looks regressed at most N more times, one at a time until decided (default:
    // reports::detect::k_default_pull_request_reruns on a pull request, 0 on the baseline branch).
    std::optional<int> confirm;
    bool no_fail = false;
    std::string check_format = "text";  // text, json, markdown
    std::optional<std::string> baseline_branch;
    std::optional<std::string> base_commit;
    DetectionFlags detection;          // --alpha, --min-change, --baseline-runs, --exact-tolerance
    std::vector<std::string> command;  // after "--"
};

struct PlannedSuite {
    runner::SuiteKind kind = runner::SuiteKind::gbench;
    runner::GbenchSuite gbench;
    runner::CommandSuite command;
    std::string where;  // "perftrack.toml:12" or "the command line", for messages
    const std::string& name() const {
        return kind == runner::SuiteKind::gbench ? gbench.name : command.name;
    }
};

struct RunPlan {
    runner::RunConfig config;  // empty without a file
    std::optional<runner::Shard> shard;
    std::vector<PlannedSuite> suites;
    std::optional<runner::AbSpec> ab;
};

// Reads the config (--config, else ./perftrack.toml when present), builds the suites and checks
// that each can be started. Errors: kind config (the file), usage (flags), both exit 2.
core::Result<RunPlan> build_run_plan(const RunFlags& flags);

}  // namespace perftrack::cli
