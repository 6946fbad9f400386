#include "cli/common_options.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/redact.hpp"
#include "store/embedded/local_cluster.hpp"
#include "store/pg/pg_store.hpp"

namespace perftrack::cli {

void add_db_option(CLI::App& command, CommonOptions& o) {
    command.add_option("--db", o.db,
                       "PostgreSQL URL (else $PERFTRACK_DB, else $DATABASE_URL, else the embedded "
                       "local database under $PERFTRACK_HOME)");
}

void add_common_options(CLI::App& command, CommonOptions& o) {
    add_db_option(command, o);
    command.add_option("--project", o.project, "Project name (else from context, CI or git)");
    command.add_option("--testbed", o.testbed,
                       "Testbed: where the run happened (else $PERFTRACK_TESTBED, else the host "
                       "name)");
    command.add_option("--branch", o.branch, "Branch (else from context, CI or git)");
    command.add_option("--commit", o.commit, "Commit sha (else from context, CI or git)");
    command.add_option("--commit-time", o.commit_time,
                       "Commit time, ISO 8601 (else from context, CI or git)");
    command.add_flag("-q,--quiet", o.quiet, "Print only errors");
    command.add_flag("-v,--verbose", o.verbose, "Print more detail");
}

core::RunContext context_from_flags(const CommonOptions& common, const IdentityFlags& identity) {
    core::RunContext c;
    c.project = common.project;
    c.testbed = common.testbed;
    c.branch = common.branch;
    c.commit = common.commit;
    c.commit_time = common.commit_time;
    c.run_id = identity.run_id;
    c.run_group = identity.run_group;
    c.shard = identity.shard;
    return c;
}

std::string describe_target(const store::ConnectionTarget& t) {
    if (t.embedded) return fmt::format("embedded database under {}", t.home.string());
    return fmt::format("{} ({})", core::redact_database_url(t.url), t.source);
}

core::Result<std::string> conninfo_for(const store::ConnectionTarget& target) {
    if (!target.embedded) return target.url;
    return store::LocalCluster(target.home).ensure_running();
}

std::unique_ptr<store::Store> open_store(const CommonOptions& options) {
    const auto target = store::resolve_connection_target(options.db);
    // The embedded database migrates itself; a shared one only through `perftrack db migrate`.
    store::pg::ConnectOptions connect_options;
    connect_options.migrate = target.embedded;
    const auto conninfo = conninfo_for(target);
    if (!conninfo) throw core::ErrorException(conninfo.error());
    return store::pg::connect(*conninfo, connect_options);
}

}  // namespace perftrack::cli
