#include "cli/detection_options.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "runner/context/git_info.hpp"
#include "runner/run_assembly.hpp"

namespace perftrack::cli {

void add_detection_options(CLI::App& command, DetectionFlags& flags) {
    command.add_option(
        "--baseline-runs", flags.baseline_runs,
        "Baseline: at most this many newest commits since the last change (default 30)");
    command.add_option("--alpha", flags.alpha,
                       "False discovery rate across the series of a check (default 0.01)");
    command.add_option("--min-change", flags.min_change_percent,
                       "Smallest change worth a flag, in percent (default 2)");
    command.add_option("--exact-tolerance", flags.exact_tolerance_percent,
                       "For metrics whose baseline never varies: change tolerated, in percent "
                       "(default 0: any change flags)");
}

core::Result<reports::detect::DetectionSettings> detection_settings(const DetectionFlags& flags) {
    reports::detect::DetectionSettings s;
    if (flags.baseline_runs) s.baseline_runs = *flags.baseline_runs;
    if (flags.alpha) s.alpha = *flags.alpha;
    if (flags.min_change_percent) s.defaults.min_change = *flags.min_change_percent / 100.0;
    if (flags.exact_tolerance_percent)
        s.defaults.exact_tolerance = *flags.exact_tolerance_percent / 100.0;
    if (auto problem = reports::detect::settings_problem(s); !problem.empty())
        return core::fail(
            core::ErrorKind::usage, problem,
            "see --alpha, --min-change (percent), --exact-tolerance, --baseline-runs");
    return s;
}

core::Result<SeriesIdentity> resolve_identity(const CommonOptions& common, bool need_branch,
                                              bool need_commit) {
    const runner::ResolveEnvironment env = runner::current_environment();
    core::RunContext ctx;
    ctx.project = common.project;
    ctx.testbed = common.testbed;
    ctx.branch = common.branch;
    ctx.commit = common.commit;
    core::merge_context(ctx, env.ci);
    if ((!ctx.project || !ctx.branch || !ctx.commit) && !env.git_dir.empty())
        core::merge_context(ctx, runner::context_from_git(env.git_dir));
    SeriesIdentity id;
    auto missing = [](const char* what, const char* flag) {
        return core::fail(
            core::ErrorKind::usage,
            fmt::format("no {}: pass {} (or run inside a git repository)", what, flag));
    };
    if (!ctx.project) return missing("project", "--project");
    id.project = *ctx.project;
    id.testbed = ctx.testbed.value_or(env.host_name);
    if (need_branch && !ctx.branch) return missing("branch", "--branch");
    id.branch = ctx.branch.value_or("");
    if (need_commit && !ctx.commit) return missing("commit", "--commit");
    id.commit = ctx.commit.value_or("");
    return id;
}

}  // namespace perftrack::cli
