// perftrack db prune: retention for histories that grow without bound. Deletes the runs older
// than a cutoff that nothing needs (store/pg/retention.cpp decides and deletes in one
// transaction) and says what went, per project, testbed and branch.
#include <chrono>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/value_parsers.hpp"
#include "core/error.hpp"
#include "reports/detect/replay.hpp"
#include "reports/detect/settings.hpp"
#include "store/pg/pg_store.hpp"

namespace perftrack::cli {

namespace {

struct PruneOptions {
    CommonOptions common;
    std::string older_than;
    std::optional<std::size_t> keep_every;
    bool keep_monthly = false;
    bool dry_run = false;
    std::vector<std::string> baseline_branches{"main"};
    std::size_t baseline_runs = reports::detect::DetectionSettings{}.baseline_runs;
};

std::string utc_minute(std::int64_t epoch_us) {
    const std::time_t t = static_cast<std::time_t>(epoch_us / 1'000'000);
    return fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(t));
}

CommandResult run_prune(const PruneOptions& o) {
    using core::ErrorKind;
    const auto age = parse_duration_seconds("--older-than", o.older_than);
    if (!age) return tl::unexpected(age.error());
    const std::int64_t age_s = *age;
    if (o.keep_every && *o.keep_every < 2)
        return core::fail(
            ErrorKind::usage,
            fmt::format("--keep-every {}: must be at least 2 (keep one run in N)", *o.keep_every));
    if (o.baseline_runs == 0)
        return core::fail(ErrorKind::usage, "--baseline-runs must be at least 1");
    for (const auto& b : o.baseline_branches)
        if (b.empty())
            return core::fail(ErrorKind::usage, "--baseline-branch: a branch name cannot be empty");

    reports::detect::DetectionSettings settings;
    settings.baseline_runs = o.baseline_runs;
    store::PruneRequest request;
    const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    request.cutoff_us = now_us - age_s * 1'000'000;
    request.baseline_branches = o.baseline_branches;
    // What `check` replays to judge the newest commit: the detector's warm-up before the block
    // of positions the commit falls in (reports/detect/replay.hpp), whatever block that is.
    request.window_runs =
        reports::detect::replay_warmup(settings) + reports::detect::k_replay_block;
    if (o.keep_every) {
        request.thinning = store::PruneThinning::every_n;
        request.every_n = *o.keep_every;
    } else if (o.keep_monthly) {
        request.thinning = store::PruneThinning::monthly;
    }
    request.dry_run = o.dry_run;

    // open_store starts and migrates the embedded database, or checks a shared one's schema.
    const auto target = store::resolve_connection_target(o.common.db);
    (void)open_store(o.common);
    const auto conninfo = conninfo_for(target);
    if (!conninfo) return tl::unexpected(conninfo.error());
    const auto report = store::pg::prune(*conninfo, request);

    if (o.common.quiet) return 0;
    fmt::print("{} {} run(s) ({} series values, {} samples) started before {}\n",
               report.dry_run ? "would delete" : "deleted", report.runs, report.series_values,
               report.samples, utc_minute(request.cutoff_us));
    for (const auto& g : report.groups)
        fmt::print("  {} / {} / {}: {} run(s), {} series values, {} samples\n", g.project,
                   g.testbed, g.branch, g.runs, g.series_values, g.samples);
    fmt::print(
        "kept {} older run(s) that a baseline window (newest {} runs on {}), an active alert, a "
        "change point or a baseline reset needs\n",
        report.protected_runs, request.window_runs, fmt::join(request.baseline_branches, ", "));
    if (report.dry_run) fmt::print("dry run: nothing was deleted\n");
    return 0;
}

}  // namespace

void register_db_prune(CLI::App& db, Action& action) {
    auto o = std::make_shared<PruneOptions>();
    auto* cmd = db.add_subcommand(
        "prune",
        "Delete runs (and their samples) older than a cutoff, except what baselines, active "
        "alerts, change points and baseline resets need; safe while CI jobs ingest");
    add_db_option(*cmd, o->common);
    cmd->add_option("--older-than", o->older_than,
                    "Delete runs that started more than this long ago: 36h, 90d, 12w")
        ->required();
    auto* every = cmd->add_option("--keep-every", o->keep_every,
                                  "Of the old runs of each testbed and branch, keep one in N");
    auto* monthly = cmd->add_flag("--keep-monthly", o->keep_monthly,
                                  "Of the old runs of each testbed and branch, keep the newest of "
                                  "each month");
    every->excludes(monthly);
    monthly->excludes(every);
    cmd->add_option("--baseline-branch", o->baseline_branches,
                    "A branch others are checked against; its newest runs are kept "
                    "(repeatable; default main)");
    cmd->add_option("--baseline-runs", o->baseline_runs,
                    "The check's baseline size, to size the kept window (default 30)");
    cmd->add_flag("--dry-run", o->dry_run, "Report what would be deleted; delete nothing");
    cmd->add_flag("-q,--quiet", o->common.quiet, "Print only errors");
    cmd->callback([o, &action] { action = [o] { return run_prune(*o); }; });
}

}  // namespace perftrack::cli
