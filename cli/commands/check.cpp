// perftrack check: judges every benchmark x metric of one commit's runs against the baseline
// branch (docs/detection.md). Exit 1 when something regressed, unless --no-fail.
#include "reports/detect/check.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/ab_check.hpp"
#include "cli/alert_options.hpp"
#include "cli/baseline_target.hpp"
#include "cli/check_alerts.hpp"
#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "cli/output.hpp"
#include "cli/read_target.hpp"
#include "cli/server_check.hpp"
#include "cli/server_options.hpp"
#include "core/exit_code.hpp"
#include "reports/output/check_output.hpp"

namespace perftrack::cli {

namespace {

struct CheckOptions {
    CommonOptions common;
    ServerOptions server;
    DetectionFlags detection;
    std::optional<std::string> baseline_branch;
    std::optional<std::string> base_commit;
    std::string format = "text";
    bool no_fail = false;
    bool ab = false;  // judge the commit's newest A/B run instead (cli/ab_check.hpp)
    AlertOptions alerts;
};

// Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
bool use_colour() {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour != nullptr && *no_colour != '\0') return false;
    return ::isatty(STDOUT_FILENO) == 1;
}

// No commit from --commit, CI or git (outside a checkout): the branch's newest stored commit, as
// `report` does, saying which on stderr.
core::Result<std::string> newest_stored_commit(store::HistoryReader& reader,
                                               const SeriesIdentity& id, bool quiet) {
    auto newest = reports::detect::newest_commit(reader, id.project, id.testbed, id.branch);
    if (!newest)
        return core::fail(
            core::ErrorKind::usage,
            fmt::format("no commit: pass --commit (or run inside a git repository); branch {} of "
                        "project {} on testbed {} has no stored runs to pick the newest of",
                        id.branch, id.project, id.testbed),
            "check --project, --testbed and --branch");
    if (!quiet)
        print_note(
            fmt::format("no --commit and no git commit here: checking {}, the newest "
                        "commit stored for branch {}",
                        *newest, id.branch));
    return *newest;
}

// The baseline branch and, on another branch, the merge-base: from the flags, CI or git (the
// client's checkout, which the server does not have).
void complete_request(const CheckOptions& o, reports::detect::CheckRequest& request,
                      const runner::EnvLookup& env) {
    request.baseline_branch = o.baseline_branch.value_or(ci_target_branch(env).value_or("main"));
    if (request.branch == request.baseline_branch) return;
    if (o.base_commit) {
        request.base_commit = o.base_commit;
    } else if (auto from_ci = ci_merge_base(env)) {
        request.base_commit = from_ci;
    } else if (!request.commit.empty()) {
        if (auto mb = git_merge_base_of(request.commit, request.baseline_branch)) {
            request.base_commit = mb->commit;
            request.base_commit_time_us = mb->commit_time_us;
        }
    }
}

// --server: the server judges; the same renderers print (cli/server_check.hpp).
CommandResult check_on_server(const CheckOptions& o, const client::ServerTarget& target,
                              reports::detect::CheckRequest request, const runner::EnvLookup& env) {
    complete_request(o, request, env);
    const auto checked = check_through_server(api_client_for(target, o.common.verbose), request,
                                              o.common.quiet, detection_query(o.detection));
    if (!checked.result) return checked.failure_exit_code;
    print_check_result(*checked.result, o.format, use_colour());
    if (checked.result->has_regression() && !o.no_fail)
        return static_cast<int>(core::ExitCode::regression);
    return static_cast<int>(core::ExitCode::ok);
}

CommandResult run_check(const CheckOptions& o) {
    const auto server = server_target_for(o.server, o.common.db, "check");
    if (!server) return tl::unexpected(server.error());
    if (o.ab) return check_ab_in_store(o.common, o.detection, o.format, o.no_fail);
    const auto settings = detection_settings(o.detection);
    if (!settings) return tl::unexpected(settings.error());
    const auto identity = resolve_identity(o.common, true, false);
    if (!identity) return tl::unexpected(identity.error());
    const SeriesIdentity& id = *identity;
    const auto env = runner::process_env();
    // Alert channels are resolved first: a bad setting is exit 2 before any work.
    const auto ci = runner::context_from_ci(env);
    const auto alert_settings = resolve_alert_settings(o.alerts, ci.ci_job_url);
    if (!alert_settings) return tl::unexpected(alert_settings.error());
    reports::detect::CheckRequest request;
    request.project = id.project;
    request.testbed = id.testbed;
    request.branch = id.branch;
    request.commit = id.commit;
    if (*server) return check_on_server(o, **server, std::move(request), env);
    auto store = open_read_stores(o.common).store;
    if (request.commit.empty()) {
        auto newest = newest_stored_commit(*store, id, o.common.quiet);
        if (!newest) return tl::unexpected(newest.error());
        request.commit = std::move(*newest);
    }
    request.baseline_branch = o.baseline_branch.value_or(ci_target_branch(env).value_or("main"));
    if (request.branch != request.baseline_branch) {
        if (o.base_commit) {
            request.base_commit = o.base_commit;
        } else if (auto from_ci = ci_merge_base(env)) {
            request.base_commit = from_ci;
        } else if (auto mb = git_merge_base_of(request.commit, request.baseline_branch)) {
            request.base_commit = mb->commit;
            request.base_commit_time_us = mb->commit_time_us;
        }
    }
    // Change points for the alert stage, from the runs the check reads anyway (after_check).
    request.change_points = true;
    auto result = reports::detect::run_check(*store, request, *settings);
    if (!result) return tl::unexpected(result.error());
    if (o.format == "json") {
        fmt::print("{}\n", reports::output::check_json(*result).dump(2));
    } else if (o.format == "markdown") {
        fmt::print("{}", reports::output::render_check_markdown(*result));
    } else {
        fmt::print("{}", reports::output::render_check_text(*result, {use_colour()}));
    }
    std::fflush(stdout);
    // Alerts, change points, notifications, the job summary: after the verdict, and unable to
    // change it.
    after_check(*store, *alert_settings, *result,
                {o.common.quiet, o.common.verbose, ci.pull_request});
    if (result->has_regression() && !o.no_fail) return static_cast<int>(core::ExitCode::regression);
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace

void register_check(CLI::App& app, Action& action) {
    auto options = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand(
        "check",
        "Compare one commit's results with the baseline branch and flag significant changes.\n"
        "Exits 1 when a benchmark regressed (unless --no-fail).");
    add_common_options(*cmd, options->common);
    add_read_db_options(*cmd, options->common);
    add_detection_options(*cmd, options->detection);
    cmd->add_option("--baseline-branch", options->baseline_branch,
                    "Branch whose history is the baseline (else the CI target branch, else main)");
    cmd->add_option("--base-commit", options->base_commit,
                    "Pull requests: the merge-base with the baseline branch (else from CI "
                    "variables or git merge-base)");
    cmd->add_option("--format", options->format, "Output: text, json or markdown")
        ->check(CLI::IsMember({"text", "json", "markdown"}))
        ->capture_default_str();
    cmd->add_flag("--no-fail", options->no_fail, "Report regressions but exit 0");
    cmd->add_flag("--ab", options->ab,
                  "Judge the commit's newest A/B run (perftrack run --ab): paired Wilcoxon "
                  "signed-rank test and paired bootstrap interval of baseline vs candidate");
    add_alert_options(*cmd, options->alerts);
    add_server_option(*cmd, options->server);
    cmd->callback([options, cmd, &action] {
        // The detection flags travel as query parameters; the A/B check and the notification
        // channels have no place in the API (the server records and delivers alerts itself).
        note_refused_flags(
            *cmd, options->server,
            {"--ab", "--webhook-url", "--slack-webhook-url", "--github", "--report-url"});
        action = [options] { return run_check(*options); };
    });
}

}  // namespace perftrack::cli
