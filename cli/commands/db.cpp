// perftrack db migrate|status|start|stop
#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/output.hpp"
#include "core/exit_code.hpp"
#include "core/file_io.hpp"
#include "store/embedded/local_cluster.hpp"
#include "store/pg/pg_store.hpp"
#include "store/spool.hpp"

namespace perftrack::cli {

namespace {

CommandResult run_migrate(const CommonOptions& o) {
    const auto target = store::resolve_connection_target(o.db);
    const auto conninfo = conninfo_for(target);
    if (!conninfo) return tl::unexpected(conninfo.error());
    const auto report = store::pg::migrate(*conninfo);
    if (o.quiet) return 0;
    if (report.to_version > store::pg::latest_schema_version()) {
        fmt::print(
            "schema is version {}, newer than this perftrack's {}; the migrations since are "
            "additive, so it can use it as it is ({})\n",
            report.to_version, store::pg::latest_schema_version(), describe_target(target));
    } else if (report.applied.empty()) {
        fmt::print("schema is current (version {}) in {}\n", report.to_version,
                   describe_target(target));
    } else {
        for (const auto& name : report.applied) fmt::print("applied {}\n", name);
        fmt::print("schema migrated from version {} to {} in {}\n", report.from_version,
                   report.to_version, describe_target(target));
    }
    return 0;
}

core::Error not_embedded(const store::ConnectionTarget& target, std::string_view verb) {
    return core::Error{core::ErrorKind::usage,
                       fmt::format("db {}: the database is {}, not the embedded one", verb,
                                   describe_target(target)),
                       "start and stop your own server yourself; unset --db, PERFTRACK_DB and "
                       "DATABASE_URL to manage the embedded database"};
}

CommandResult run_start(const CommonOptions& o) {
    const auto target = store::resolve_connection_target(o.db);
    if (!target.embedded) return tl::unexpected(not_embedded(target, "start"));
    store::LocalCluster cluster(target.home);
    const bool was_running = cluster.running_pid().has_value();
    const auto conninfo = conninfo_for(target);
    if (!conninfo) return tl::unexpected(conninfo.error());
    store::pg::migrate(*conninfo);
    if (!o.quiet) {
        const auto layout = cluster.layout();
        fmt::print("embedded database {} (data in {}, pid {})\n",
                   was_running ? "already running" : "started",
                   layout ? layout->data_dir.string() : "?", cluster.running_pid().value_or(0));
    }
    return 0;
}

CommandResult run_stop(const CommonOptions& o) {
    const auto target = store::resolve_connection_target(o.db);
    if (!target.embedded) return tl::unexpected(not_embedded(target, "stop"));
    store::LocalCluster cluster(target.home);
    auto stopped = cluster.stop();
    if (!stopped) return tl::unexpected(stopped.error());
    if (!o.quiet) fmt::print("embedded database {}\n", *stopped ? "stopped" : "was not running");
    return 0;
}

CommandResult run_status(const CommonOptions& o) {
    const auto target = store::resolve_connection_target(o.db);
    fmt::print("database: {}\n", describe_target(target));
    if (target.embedded) {
        store::LocalCluster cluster(target.home);
        auto layout = cluster.layout();
        if (!layout) return tl::unexpected(layout.error());
        fmt::print("data directory: {}{}\n", layout->data_dir.string(),
                   layout->relocated ? " (outside PERFTRACK_HOME: the server account cannot "
                                       "enter it)"
                                     : "");
        fmt::print("server account: {}\n", layout->server_user);
        if (!cluster.initialized()) {
            fmt::print("state: not initialised (the first command that needs it creates it)\n");
            return 0;
        }
        fmt::print("size on disk: {}\n", core::human_bytes(cluster.data_bytes()));
        const auto pid = cluster.running_pid();
        if (!pid) {
            fmt::print(
                "state: stopped (perftrack starts it when needed; or 'perftrack db start')\n");
            return 0;
        }
        fmt::print("state: running (pid {}, socket in {})\n", *pid, layout->socket_dir.string());
    }
    // Reports the version whatever it is; the embedded database migrates itself as always.
    store::pg::ConnectOptions connect_options;
    connect_options.migrate = target.embedded;
    connect_options.check_schema = false;
    const auto conninfo = conninfo_for(target);
    if (!conninfo) return tl::unexpected(conninfo.error());
    auto db = store::pg::connect(*conninfo, connect_options);
    const auto s = db->status();
    fmt::print("schema version: {} (this perftrack: {})\n", s.schema_version,
               store::pg::latest_schema_version());
    fmt::print("projects: {}\nruns: {}\nseries values: {}\nsamples: {}\n", s.projects, s.runs,
               s.series_values, s.samples);
    fmt::print("database size: {}\n",
               core::human_bytes(static_cast<std::uint64_t>(s.database_bytes)));
    const auto spooled = store::spooled_files(target.home).size();
    if (spooled > 0) fmt::print("spooled runs waiting for 'perftrack push': {}\n", spooled);
    std::fflush(stdout);
    // A schema this perftrack cannot use ends the status with the error and what to run.
    store::pg::verify_schema(*conninfo);
    return 0;
}

}  // namespace

void register_db(CLI::App& app, Action& action) {
    auto options = std::make_shared<CommonOptions>();
    auto* db = app.add_subcommand("db", "Manage the database: migrate, status, start, stop, prune");
    db->require_subcommand(1);
    struct Sub {
        const char* name;
        const char* help;
        CommandResult (*fn)(const CommonOptions&);
    };
    static const Sub subs[] = {
        {"migrate",
         "Apply pending schema migrations (a shared database changes only through this; the "
         "embedded one migrates itself)",
         run_migrate},
        {"status", "Where the database is, its size, and counts of projects, runs and samples",
         run_status},
        {"start", "Initialise (when needed) and start the embedded database", run_start},
        {"stop", "Stop the embedded database", run_stop},
    };
    for (const auto& sub : subs) {
        auto* cmd = db->add_subcommand(sub.name, sub.help);
        add_db_option(*cmd, *options);
        cmd->add_flag("-q,--quiet", options->quiet, "Print only errors");
        auto fn = sub.fn;
        cmd->callback([options, fn, &action] { action = [options, fn] { return fn(*options); }; });
    }
    register_db_prune(*db, action);
}

}  // namespace perftrack::cli
