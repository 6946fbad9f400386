// perftrack baseline reset --benchmark GLOB [--metric M] --commit SHA --reason TEXT
// Records that a change is intended: from that commit on, the baseline of the matching series
// starts again (stored in baseline_reset; docs/detection.md).
#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "core/error.hpp"
#include "core/exit_code.hpp"
#include "core/time.hpp"
#include "alerts/lifecycle.hpp"

namespace perftrack::cli {

namespace {

struct ResetOptions {
    CommonOptions common;
    std::string benchmark_glob;
    std::optional<std::string> metric;
    std::string reason;
};

CommandResult run_reset(const ResetOptions& o) {
    if (!o.common.commit)
        return tl::unexpected(core::Error{core::ErrorKind::usage,
                                          "baseline reset: --commit is required",
                                          "the commit that introduced the intended change"});
    const auto identity = resolve_identity(o.common, false, true);
    if (!identity) return tl::unexpected(identity.error());
    const SeriesIdentity& id = *identity;
    store::BaselineResetRequest request;
    request.project = id.project;
    request.testbed = o.common.testbed;  // only an explicit testbed narrows the reset
    request.benchmark_glob = o.benchmark_glob;
    request.metric = o.metric;
    request.commit = id.commit;
    request.reason = o.reason;
    if (o.common.commit_time) {
        auto t = core::parse_iso8601_us(*o.common.commit_time);
        if (!t)
            return tl::unexpected(core::Error{
                core::ErrorKind::usage,
                fmt::format("--commit-time \"{}\" is not ISO 8601", *o.common.commit_time),
                "e.g. 2024-05-01T12:30:00Z"});
        request.commit_time_us = *t;
    }
    auto store = open_store(o.common);
    const auto reset = store->add_baseline_reset(request);
    if (!reset)
        return tl::unexpected(core::Error{
            core::ErrorKind::usage,
            request.testbed ? fmt::format("project {} has no results on testbed {}",
                                          request.project, *request.testbed)
                            : fmt::format("project {} has no results yet", request.project),
            "check --project and --testbed"});
    // The reset declares the change intended: the alerts it supersedes are closed now.
    const auto closed = alerts::close_superseded_alerts(*store, request.project,
                                                                 request.testbed, {*reset});
    if (!o.common.quiet)
        fmt::print(
            "baseline reset {} recorded: benchmarks matching '{}', {}, {}, from commit {}: {}\n",
            reset->id, reset->benchmark_glob,
            reset->metric ? "metric " + *reset->metric : std::string("every metric"),
            request.testbed ? "testbed " + *request.testbed : std::string("every testbed"),
            reset->commit, reset->reason);
    if (!o.common.quiet && !closed.empty()) {
        std::string ids;
        for (const auto& a : closed) ids += (ids.empty() ? "#" : ", #") + std::to_string(a.id);
        fmt::print("closed {} alert{} it supersedes: {}\n", closed.size(),
                   closed.size() == 1 ? "" : "s", ids);
    }
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace

void register_baseline(CLI::App& app, Action& action) {
    auto* baseline = app.add_subcommand("baseline", "Manage baselines");
    baseline->require_subcommand(1);
    auto options = std::make_shared<ResetOptions>();
    auto* reset = baseline->add_subcommand(
        "reset",
        "Record an intended change: the baseline of the matching benchmarks starts again at\n"
        "--commit, so the change is not flagged and later commits compare with the new level.");
    add_common_options(*reset, options->common);
    reset
        ->add_option("--benchmark", options->benchmark_glob,
                     "Benchmarks to reset: a shell glob over names ('BM_Sort*', '*')")
        ->required();
    reset->add_option("--metric", options->metric, "Only this metric (default: every metric)");
    reset
        ->add_option("--reason", options->reason,
                     "Why the change is intended (kept with the reset)")
        ->required();
    reset->callback([options, &action] { action = [options] { return run_reset(*options); }; });
}

}  // namespace perftrack::cli
