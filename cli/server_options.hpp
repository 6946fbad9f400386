#pragma once
// --server URL (else $PERFTRACK_SERVER): the commands that store or read results talk to a
// perftrack server's API instead of the database, with the same exit codes (client/). What the
// API cannot carry is refused with a clear message (exit 2) rather than silently ignored.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "client/api_client.hpp"
#include "client/server_target.hpp"

namespace perftrack::cli {

struct ServerOptions {
    std::optional<std::string> server;
    // Flags the command was given that the server path cannot honour (filled after parsing).
    std::vector<std::string> refused;
};

// Adds --server.
void add_server_option(CLI::App& command, ServerOptions& options);

// After parsing: records which of `names` (long flag names, "--ab") were given, for
// server_target_for to refuse when the command talks to a server.
void note_refused_flags(const CLI::App& command, ServerOptions& options,
                        std::initializer_list<std::string_view> names);

// The server to talk to, or nullopt for the database. Errors (usage, exit 2): --server together
// with --db (an explicit --db wins over $PERFTRACK_SERVER), a bad URL, or a refused flag.
core::Result<std::optional<client::ServerTarget>> server_target_for(
    const ServerOptions& options, const std::optional<std::string>& db_flag,
    std::string_view command);

// An API failure as the command's end: prints it (token scrubbed) and returns its exit code.
CommandResult api_failure(const client::ApiError& error);

// An ApiClient for the target that reports retries under --verbose.
client::ApiClient api_client_for(const client::ServerTarget& target, bool verbose);

}  // namespace perftrack::cli
