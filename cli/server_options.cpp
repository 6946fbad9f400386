#include "cli/server_options.hpp"

#include <fmt/format.h>

#include "cli/output.hpp"

namespace perftrack::cli {

void add_server_option(CLI::App& command, ServerOptions& options) {
    command.add_option("--server", options.server,
                       "Talk to this perftrack server (http(s)://HOST[:PORT]) instead of the "
                       "database; else $PERFTRACK_SERVER. Token: $PERFTRACK_TOKEN");
}

void note_refused_flags(const CLI::App& command, ServerOptions& options,
                        std::initializer_list<std::string_view> names) {
    for (const auto name : names)
        if (command.count(std::string(name)) > 0) options.refused.emplace_back(name);
}

core::Result<std::optional<client::ServerTarget>> server_target_for(
    const ServerOptions& options, const std::optional<std::string>& db_flag,
    std::string_view command) {
    if (options.server && db_flag)
        return core::fail(core::ErrorKind::usage,
                          fmt::format("{}: --server and --db together; choose one", command),
                          "--server stores and reads through the perftrack server, --db directly");
    // An explicit --db is the user's choice over a server named in the environment.
    if (db_flag) return std::optional<client::ServerTarget>();
    auto target = client::resolve_server_target(options.server);
    if (!target) return tl::unexpected(target.error());
    if (*target && !options.refused.empty())
        return core::fail(
            core::ErrorKind::usage,
            fmt::format("{} {} cannot be used with a server ({}): the API does not carry it",
                        command, fmt::join(options.refused, ", "), (*target)->describe()),
            "run it against the database with --db, or drop the flag");
    return target;
}

CommandResult api_failure(const client::ApiError& error) {
    print_error(error.message, error.hint);
    return error.exit_code;
}

client::ApiClient api_client_for(const client::ServerTarget& target, bool verbose) {
    client::ApiClient api(target);
    if (verbose) api.on_retry([](const std::string& message) { print_note(message); });
    return api;
}

}  // namespace perftrack::cli
