// perftrack alerts list [--open] | ack ID --note "..." | resolve ID
// The stored alerts: what regressed, where, since which commit, and who knows about it. With
// --server (which needs --project: the API is per project) the server's alerts, printed alike.
#include <algorithm>

#include <fmt/format.h>

#include "alerts/notice.hpp"
#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/output.hpp"
#include "cli/read_target.hpp"
#include "cli/server_options.hpp"
#include "client/api_calls.hpp"
#include "core/display.hpp"
#include "core/exit_code.hpp"
#include "core/time.hpp"
#include "reports/output/alert_json.hpp"
#include "reports/output/alert_json_reader.hpp"

namespace perftrack::cli {

namespace {

struct AlertsOptions {
    CommonOptions common;  // --db only
    ServerOptions server;
    bool open_only = false;
    std::optional<std::string> project;
    std::optional<std::string> testbed;
    std::optional<std::string> branch;
    std::string format = "text";
    std::size_t limit = 0;
    std::int64_t id = 0;
    std::string note;
};

// Names come from benchmark output: keep terminal control characters out of the table.
std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return out;
}

std::string series_name(const store::Alert& a) {
    return printable(core::series_name(a.series));
}

std::string status_text(const store::Alert& a) {
    if (a.status == store::AlertStatus::resolved && a.resolution)
        return fmt::format("resolved ({})", store::to_string(*a.resolution));
    return std::string(store::to_string(a.status));
}

std::string pending_channels(const store::Alert& a) {
    std::string out;
    for (const auto& d : a.deliveries) {
        if (d.delivered) continue;
        if (!out.empty()) out += ",";
        out += d.channel;
    }
    return out;
}

std::string date_of(std::int64_t us) {
    return core::format_iso8601_utc(us).substr(0, 10);
}

std::string describe(const store::Alert& a) {
    return fmt::format("{} {} on testbed {}, branch {}: {} since {}", series_name(a),
                       printable(a.series.metric), printable(a.testbed), printable(a.branch),
                       core::format_change_percent(a.change_pct), core::short_sha(a.commit));
}

void print_table(const std::vector<store::Alert>& alerts) {
    const std::vector<std::string> header = {"ID",     "STATUS", "SERIES",      "METRIC",
                                             "CHANGE", "SINCE",  "TESTBED",     "BRANCH",
                                             "OPENED", "SEEN",   "UNDELIVERED", "NOTE"};
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : alerts)
        rows.push_back({std::to_string(a.id), status_text(a), series_name(a),
                        printable(a.series.metric), core::format_change_percent(a.change_pct),
                        core::short_sha(a.commit), printable(a.testbed), printable(a.branch),
                        date_of(a.opened_at_us), fmt::format("{}x", a.times_seen),
                        pending_channels(a), printable(a.note)});
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        width[c] = header[c].size();
        for (const auto& r : rows) width[c] = std::max(width[c], core::text_width(r[c]));
    }
    const auto print_row = [&](const std::vector<std::string>& r) {
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (c + 1 == r.size()) {
                line += r[c];
            } else {
                line += fmt::format("{:<{}}  ", r[c], width[c]);
            }
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        fmt::print("{}\n", line);
    };
    print_row(header);
    for (const auto& r : rows) print_row(r);
}

// The API is per project: --server needs --project.
core::Result<std::string> project_for_server(const AlertsOptions& o, std::string_view command) {
    if (o.project && !o.project->empty()) return *o.project;
    return core::fail(core::ErrorKind::usage,
                      fmt::format("{} --server needs --project (the API is per project)", command),
                      "pass --project NAME");
}

CommandResult list_on_server(const AlertsOptions& o, const client::ServerTarget& target) {
    auto project = project_for_server(o, "alerts list");
    if (!project) return tl::unexpected(project.error());
    client::Query query = {{"state", o.open_only ? "open" : "all"}};
    if (o.testbed) query.emplace_back("testbed", *o.testbed);
    if (o.branch) query.emplace_back("branch", *o.branch);
    if (o.limit > 0) query.emplace_back("limit", std::to_string(o.limit));
    auto reply =
        client::get_json(api_client_for(target, o.common.verbose), *project, "alerts", query);
    if (!reply) return api_failure(reply.error());
    auto alerts = reports::output::alerts_from_json(reply->body);
    if (!alerts) {
        print_error(
            fmt::format("perftrack server {}: {}", target.describe(), alerts.error().message),
            "is the server the same perftrack version as this client?");
        return static_cast<int>(core::ExitCode::internal_error);
    }
    if (o.format == "json") {
        // The server's list is the JSON `alerts list --format json` prints (read above, so it
        // is known to be alerts); printed as that command prints it.
        fmt::print("{}\n", reply->body.dump(2));
        return 0;
    }
    if (alerts->empty()) {
        fmt::print("{}\n", o.open_only ? "no open alerts" : "no alerts");
        return 0;
    }
    print_table(*alerts);
    return 0;
}

// ack / resolve through the server; prints what the server answered about the alert.
CommandResult change_on_server(const AlertsOptions& o, const client::ServerTarget& target,
                               const std::string& action, const client::Query& query) {
    auto project = project_for_server(o, "alerts " + action);
    if (!project) return tl::unexpected(project.error());
    auto reply = client::post_json(api_client_for(target, o.common.verbose), *project,
                                   fmt::format("alerts/{}/{}", o.id, action), query);
    if (!reply) return api_failure(reply.error());
    if (o.common.quiet) return 0;
    const std::string done = action == "ack" ? "acknowledged" : "resolved";
    const nlohmann::json& body = reply->body.contains("alert") ? reply->body["alert"] : reply->body;
    auto alerts = reports::output::alerts_from_json(body);
    if (alerts && alerts->size() == 1) {
        fmt::print("{} alert {}: {}\n", done, o.id, describe(alerts->front()));
    } else {
        fmt::print("{} alert {}\n", done, o.id);
    }
    return 0;
}

CommandResult run_list(const AlertsOptions& o) {
    if (o.format != "text" && o.format != "json")
        return tl::unexpected(
            core::Error{core::ErrorKind::usage,
                        fmt::format("--format {}: expected text or json", o.format), ""});
    const auto server = server_target_for(o.server, o.common.db, "alerts list");
    if (!server) return tl::unexpected(server.error());
    if (*server) return list_on_server(o, **server);
    auto stores = open_read_stores(o.common);
    auto* db = stores.reader;
    store::AlertQuery q;
    q.project = o.project;
    q.testbed = o.testbed;
    q.branch = o.branch;
    q.active_only = o.open_only;
    if (o.limit > 0) q.limit = o.limit;
    const auto alerts = db->list_alerts(q);
    if (o.format == "json") {
        fmt::print("{}\n", reports::output::alerts_json(alerts).dump(2));
        return 0;
    }
    if (alerts.empty()) {
        fmt::print("{}\n", o.open_only ? "no open alerts" : "no alerts");
        return 0;
    }
    print_table(alerts);
    return 0;
}

core::Error no_such_alert(std::int64_t id) {
    return core::Error{core::ErrorKind::usage, fmt::format("no alert with id {}", id),
                       "see 'perftrack alerts list'"};
}

CommandResult run_ack(const AlertsOptions& o) {
    if (o.note.find_first_not_of(" \t\r\n") == std::string::npos)
        return tl::unexpected(core::Error{core::ErrorKind::usage,
                                          "alerts ack: --note must say something",
                                          "for example --note \"expected: new allocator\""});
    const auto server = server_target_for(o.server, o.common.db, "alerts ack");
    if (!server) return tl::unexpected(server.error());
    if (*server) return change_on_server(o, **server, "ack", {{"note", o.note}});
    auto db = open_store(o.common);
    const auto update = db->acknowledge_alert(o.id, o.note);
    if (!update.alert) return tl::unexpected(no_such_alert(o.id));
    if (!update.changed)
        return tl::unexpected(core::Error{
            core::ErrorKind::usage,
            fmt::format("alert {} is already resolved; there is nothing to acknowledge", o.id),
            ""});
    if (!o.common.quiet) fmt::print("acknowledged alert {}: {}\n", o.id, describe(*update.alert));
    return 0;
}

CommandResult run_resolve(const AlertsOptions& o) {
    const auto server = server_target_for(o.server, o.common.db, "alerts resolve");
    if (!server) return tl::unexpected(server.error());
    if (*server) return change_on_server(o, **server, "resolve", {});
    auto db = open_store(o.common);
    const auto update = db->resolve_alert(o.id, store::AlertResolution::manual, {});
    if (!update.alert) return tl::unexpected(no_such_alert(o.id));
    if (o.common.quiet) return 0;
    if (!update.changed) {
        fmt::print("alert {} was already resolved ({})\n", o.id, status_text(*update.alert));
        return 0;
    }
    fmt::print("resolved alert {}: {}\n", o.id, describe(*update.alert));
    return 0;
}

}  // namespace

void register_alerts(CLI::App& app, Action& action) {
    auto options = std::make_shared<AlertsOptions>();
    auto* alerts = app.add_subcommand(
        "alerts",
        "Regressions found by check, with their lifecycle: list, ack (acknowledge with a note),\n"
        "resolve. An alert also resolves itself when its series returns to the old level, and a\n"
        "baseline reset closes the alerts it declares intended.");
    alerts->require_subcommand(1);

    auto* list = alerts->add_subcommand("list", "List alerts, newest first");
    add_db_option(*list, options->common);
    add_read_db_options(*list, options->common);
    list->add_flag("--open", options->open_only, "Only open and acknowledged alerts");
    list->add_option("--project", options->project, "Only this project");
    list->add_option("--testbed", options->testbed, "Only this testbed");
    list->add_option("--branch", options->branch, "Only this branch");
    list->add_option("--format", options->format, "text or json")->capture_default_str();
    list->add_option("--limit", options->limit, "At most N alerts (0: all)");
    add_server_option(*list, options->server);
    list->callback([options, &action] { action = [options] { return run_list(*options); }; });

    auto* ack = alerts->add_subcommand(
        "ack", "Acknowledge an alert: someone is on it, or it is expected; say which in the note");
    add_db_option(*ack, options->common);
    ack->add_option("id", options->id, "Alert id (from 'alerts list')")->required();
    ack->add_option("--note", options->note, "Why: who is on it, or why it is expected")
        ->required();
    ack->add_flag("-q,--quiet", options->common.quiet, "Print only errors");
    add_server_option(*ack, options->server);
    ack->add_option("--project", options->project, "With --server: the alert's project");
    ack->callback([options, &action] { action = [options] { return run_ack(*options); }; });

    auto* resolve = alerts->add_subcommand("resolve", "Mark an alert resolved");
    add_db_option(*resolve, options->common);
    resolve->add_option("id", options->id, "Alert id (from 'alerts list')")->required();
    resolve->add_flag("-q,--quiet", options->common.quiet, "Print only errors");
    add_server_option(*resolve, options->server);
    resolve->add_option("--project", options->project, "With --server: the alert's project");
    resolve->callback([options, &action] { action = [options] { return run_resolve(*options); }; });
}

}  // namespace perftrack::cli
