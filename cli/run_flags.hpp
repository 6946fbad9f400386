#pragma once
// `perftrack run`'s flags, and their translation into the runner's plan request. The flags that
// only make sense with --check are refused without it here; what the suites need is checked by
// runner::plan_run.

#include <optional>
#include <string>
#include <vector>

#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "cli/server_options.hpp"
#include "core/error.hpp"
#include "runner/run_plan.hpp"

namespace perftrack::cli {

struct RunFlags {
    CommonOptions common;
    ServerOptions server;    // --server: store (and --check) through a perftrack server
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

// The request for runner::plan_run. Errors (kind usage, exit 2): a check flag without --check,
// --check with --shard, --confirm with --ab, a bad --direction or --metric value.
core::Result<runner::RunRequest> run_request(const RunFlags& flags);

}  // namespace perftrack::cli
