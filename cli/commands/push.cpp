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
    const auto target = store::resolve_connection_target(o.db);
    const auto files = store::spooled_files(target.home);
    if (files.empty()) {
        if (!o.quiet) fmt::print("nothing to push: {} is empty\n", store::spool_dir(target.home).string());
        return 0;
    }
    auto db = open_store(o);
    int exit_code = 0;
    std::size_t pushed = 0;
    for (const auto& file : files) {
        auto run = store::read_spooled_run(file);
        if (!run) {
            // A damaged file stays where it is for a human to look at; the others still go.
            print_error(run.error());
            exit_code = static_cast<int>(core::ExitCode::bad_input);
            continue;
        }
        const auto outcome = db->ingest(*run);
        std::error_code ec;
        std::filesystem::remove(file, ec);
        if (ec) print_warning(fmt::format("{}: stored but not removed: {}", file.string(), ec.message()));
        ++pushed;
        if (!o.quiet) fmt::print("{}\n", describe_outcome(*run, outcome));
    }
    if (!o.quiet) fmt::print("pushed {} of {} spooled runs\n", pushed, files.size());
    return exit_code;
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
