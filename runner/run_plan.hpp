#pragma once
// `perftrack run`'s plan: from what was asked (the flags, already parsed) and perftrack.toml to
// the list of suites to run, each with its settings resolved (the request > the suite's keys >
// the file's defaults > built-in defaults), and checked before anything runs: a missing binary,
// an unknown format or a contradictory request is an Error (exit 2) and nothing is run.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "formats/adapter.hpp"
#include "runner/ab_runner.hpp"
#include "runner/command_suite.hpp"
#include "runner/gbench_suite.hpp"
#include "runner/shard.hpp"
#include "runner/suite_config.hpp"

namespace perftrack::runner {

// What `perftrack run` was asked to run. Messages about it name the flag each field comes from.
struct RunRequest {
    std::optional<std::filesystem::path> config;  // --config; else ./perftrack.toml when present
    std::optional<std::string> shard;             // --shard "I/N"
    std::optional<int> repetitions;
    std::vector<std::string> suites;  // --suite NAME: only these suites of the config
    std::optional<double> timeout_seconds;
    // For a command given after "--":
    std::string type = "auto";  // auto, gbench, command
    std::optional<std::string> name;
    std::optional<int> warmup;
    std::optional<std::string> results;
    std::string format = "auto";
    // --direction, --metric, --params, --ignore-fields: applied over the config's metric rules
    // (directions and metrics per name; params and ignored fields replace when not empty).
    formats::AdapterOptions overrides;
    // A/B mode
    std::vector<std::string> ab;  // BASELINE CANDIDATE
    std::optional<int> ab_rounds;
    std::vector<std::string> command;  // after "--"
};

struct PlannedSuite {
    SuiteKind kind = SuiteKind::gbench;
    GbenchSuite gbench;
    CommandSuite command;
    std::string where;  // "perftrack.toml:12" or "the command line", for messages
    const std::string& name() const {
        return kind == SuiteKind::gbench ? gbench.name : command.name;
    }
};

struct RunPlan {
    RunConfig config;  // empty without a file
    std::optional<Shard> shard;
    std::vector<PlannedSuite> suites;  // empty in A/B mode
    std::optional<AbSpec> ab;
};

// Reads the config (request.config, else ./perftrack.toml when present), builds the suites and
// checks that each can be started. Errors: kind config (the file or a suite it names), usage
// (the request), both exit 2.
core::Result<RunPlan> plan_run(const RunRequest& request);

}  // namespace perftrack::runner
