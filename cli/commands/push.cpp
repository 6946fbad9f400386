// perftrack push: uploads every spooled run, oldest first. A file is removed only after its
// transaction committed (or the run turned out to be stored already), so an interrupted push
// loses nothing and a repeated push duplicates nothing. With --server the spool goes through the
// perftrack server's API (cli/server_upload.hpp).
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/output.hpp"
#include "cli/server_options.hpp"
#include "cli/server_upload.hpp"
#include "cli/store_or_spool.hpp"
#include "core/exit_code.hpp"
#include "store/spool.hpp"

namespace perftrack::cli {

namespace {

struct PushOptions {
    CommonOptions common;
    ServerOptions server;
};

CommandResult run_push(const PushOptions& p) {
    const CommonOptions& o = p.common;
    const auto server = server_target_for(p.server, o.db, "push");
    if (!server) return tl::unexpected(server.error());
    if (*server) return push_to_server(o, api_client_for(**server, o.verbose));
    // Opened at the first run: an empty spool needs no database. A database that cannot be
    // reached throws, which the CLI maps to exit 3 with every file still spooled.
    decltype(open_store(o)) db;
    return push_spooled_runs(o, store::resolve_connection_target(o.db).home,
                             [&](const store::RunToStore& run, const std::filesystem::path&) {
                                 if (!db) db = open_store(o);
                                 return SpoolSend{db->ingest(run)};
                             });
}

}  // namespace

void register_push(CLI::App& app, Action& action) {
    auto options = std::make_shared<PushOptions>();
    auto* cmd = app.add_subcommand("push",
                                   "Upload runs spooled while the database was unavailable "
                                   "($PERFTRACK_HOME/spool)");
    add_db_option(*cmd, options->common);
    add_server_option(*cmd, options->server);
    cmd->add_flag("-q,--quiet", options->common.quiet, "Print only errors");
    cmd->callback([options, &action] { action = [options] { return run_push(*options); }; });
}

}  // namespace perftrack::cli
