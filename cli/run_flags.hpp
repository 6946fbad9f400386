#pragma once
// `perftrack run`'s flags, and their translation into the runner's plan request. The flags that
// only make sense with --check are refused without it here; what the suites need is checked by
// runner::plan_run.

#include <optional>
#include <string>
#include <vector>

#include "cli/adapter_flags.hpp"
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
    // The flags the runner's request takes as they are (--repetitions, --suite, --timeout,
    // --type, --name, --warmup, --results, --format, --ab, --ab-rounds, the command after --)
    // are bound straight into it; run_request adds the config, the shard and the overrides.
    runner::RunRequest request;
    AdapterFlags adapter;  // --direction, --metric, --params, --ignore-fields (of --results)
    // --check: judge the run after storing it (with --ab: the paired test of the two sides)
    bool check = false;
    // Re-run what looks regressed at most N more times, one at a time until decided (default:
    // reports::detect::k_default_pull_request_reruns on a pull request, 0 on the baseline branch).
    std::optional<int> confirm;
    bool no_fail = false;
    std::string check_format = "text";  // text, json, markdown
    std::optional<std::string> baseline_branch;
    std::optional<std::string> base_commit;
    DetectionFlags detection;  // --alpha, --min-change, --baseline-runs, --exact-tolerance
};

// The request for runner::plan_run. Errors (kind usage, exit 2): a check flag without --check,
// --check with --shard, --confirm with --ab, a bad --direction or --metric value.
core::Result<runner::RunRequest> run_request(const RunFlags& flags);

}  // namespace perftrack::cli
