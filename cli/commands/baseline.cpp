// perftrack baseline reset --benchmark GLOB [--metric M] --commit SHA --reason TEXT
// Records that a change is intended: from that commit on, the baseline of the matching series
// starts again (stored in baseline_reset; docs/detection.md). With --server, recorded by the
// server (an admin token's write).
#include <fmt/format.h>

#include "alerts/lifecycle.hpp"
#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "cli/server_options.hpp"
#include "client/api_calls.hpp"
#include "core/error.hpp"
#include "core/exit_code.hpp"
#include "core/time.hpp"

namespace perftrack::cli {

namespace {

struct ResetOptions {
    CommonOptions common;
    ServerOptions server;
    std::string benchmark_glob;
    std::optional<std::string> metric;
    std::string reason;
};

std::string scope_text(const std::optional<std::string>& metric,
                       const std::optional<std::string>& testbed) {
    return fmt::format("{}, {}", metric ? "metric " + *metric : std::string("every metric"),
                       testbed ? "testbed " + *testbed : std::string("every testbed"));
}

CommandResult reset_on_server(const ResetOptions& o, const client::ServerTarget& target,
                              const store::BaselineResetRequest& request) {
    client::Query query = {{"benchmark", request.benchmark_glob},
                           {"commit", request.commit},
                           {"reason", request.reason}};
    if (request.metric) query.emplace_back("metric", *request.metric);
    if (request.testbed) query.emplace_back("testbed", *request.testbed);
    if (o.common.commit_time) query.emplace_back("commit-time", *o.common.commit_time);
    auto reply = client::post_json(api_client_for(target, o.common.verbose), request.project,
                                   "baseline/reset", query);
    if (!reply) return api_failure(reply.error());
    if (o.common.quiet) return static_cast<int>(core::ExitCode::ok);
    const auto& body = reply->body;
    if (auto id = body.find("id"); id != body.end() && id->is_number_integer()) {
        fmt::print("baseline reset {} recorded: benchmarks matching '{}', {}, from commit {}: {}\n",
                   id->get<std::int64_t>(), request.benchmark_glob,
                   scope_text(request.metric, request.testbed), request.commit, request.reason);
        if (auto closed = body.find("closed_alerts");
            closed != body.end() && closed->is_array() && !closed->empty()) {
            std::string ids;
            for (const auto& a : *closed) ids += (ids.empty() ? "#" : ", #") + a.dump();
            fmt::print("closed {} alert{} it supersedes: {}\n", closed->size(),
                       closed->size() == 1 ? "" : "s", ids);
        }
    } else if (auto m = body.find("message"); m != body.end() && m->is_string()) {
        fmt::print("{}", m->get<std::string>());
    } else {
        fmt::print("baseline reset recorded by {}: benchmarks matching '{}', {}, from commit {}\n",
                   target.describe(), request.benchmark_glob,
                   scope_text(request.metric, request.testbed), request.commit);
    }
    return static_cast<int>(core::ExitCode::ok);
}

CommandResult run_reset(const ResetOptions& o) {
    const auto server = server_target_for(o.server, o.common.db, "baseline reset");
    if (!server) return tl::unexpected(server.error());
    // A shared server holds many projects: name the one to write to, not the checkout's guess.
    if (*server && !o.common.project)
        return tl::unexpected(core::Error{core::ErrorKind::usage,
                                          "baseline reset --server needs --project",
                                          "pass --project NAME"});
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
    if (*server) return reset_on_server(o, **server, request);
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
    const auto closed =
        alerts::close_superseded_alerts(*store, request.project, request.testbed, {*reset});
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
    add_server_option(*reset, options->server);
    reset->callback([options, &action] { action = [options] { return run_reset(*options); }; });
}

}  // namespace perftrack::cli
