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
    if (flags.confirm && !flags.request.ab.empty())
        return fail(ErrorKind::usage,
                    "--confirm re-runs regressed benchmarks of a regular run; an A/B run gets "
                    "more evidence from more --ab-rounds");

    runner::RunRequest r = flags.request;
    if (flags.config) r.config = *flags.config;
    r.shard = flags.identity.shard;
    auto overrides = adapter_options(flags.adapter);
    if (!overrides) return tl::unexpected(overrides.error());
    r.overrides = std::move(*overrides);
    return r;
}

}  // namespace perftrack::cli
