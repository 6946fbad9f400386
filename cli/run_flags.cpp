#include "cli/run_flags.hpp"

#include "cli/value_parsers.hpp"

namespace perftrack::cli {

using core::ErrorKind;
using core::fail;

core::Result<runner::RunRequest> run_request(const RunFlags& flags) {
    if (flags.confirm && *flags.confirm < 0)
        return fail(ErrorKind::usage, "--confirm needs a count of at least 0 (0: no re-runs)");
    const bool checking = flags.check || flags.confirm;
    const bool detection_flags = flags.detection.alpha || flags.detection.baseline_runs ||
                                 flags.detection.min_change_percent ||
                                 flags.detection.exact_tolerance_percent;
    if (!checking && (flags.no_fail || flags.check_format != "text" || flags.baseline_branch ||
                      flags.base_commit || detection_flags))
        return fail(ErrorKind::usage,
                    "--no-fail, --check-format, --baseline-branch, --base-commit, --alpha, "
                    "--min-change, --baseline-runs and --exact-tolerance go with --check");
    if (checking && flags.identity.shard)
        return fail(ErrorKind::usage,
                    "--check with --shard would judge the commit before every shard arrived",
                    "run 'perftrack check' in a job after all shards");
    if (flags.confirm && !flags.ab.empty())
        return fail(ErrorKind::usage,
                    "--confirm re-runs regressed benchmarks of a regular run; an A/B run gets "
                    "more evidence from more --ab-rounds");

    runner::RunRequest r;
    if (flags.config) r.config = *flags.config;
    r.shard = flags.identity.shard;
    r.repetitions = flags.repetitions;
    r.suites = flags.suites;
    r.timeout_seconds = flags.timeout_seconds;
    r.type = flags.type;
    r.name = flags.name;
    r.warmup = flags.warmup;
    r.results = flags.results;
    r.format = flags.format;
    for (const auto& d : flags.directions) {
        auto parsed = parse_direction_override(d);
        if (!parsed) return tl::unexpected(parsed.error());
        r.overrides.directions[parsed->first] = parsed->second;
    }
    for (const auto& m : flags.metrics) {
        auto parsed = parse_metric_override(m);
        if (!parsed) return tl::unexpected(parsed.error());
        r.overrides.metrics[parsed->first] = parsed->second;
    }
    r.overrides.param_fields = split_list(flags.params);
    r.overrides.ignored_fields = split_list(flags.ignore_fields);
    r.ab = flags.ab;
    r.ab_rounds = flags.ab_rounds;
    r.command = flags.command;
    return r;
}

}  // namespace perftrack::cli
