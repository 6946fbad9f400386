#pragma once
// Flags shared by the subcommands (README, "Command reference"), and the wiring from them to a
// store: --db, else $PERFTRACK_DB, else $DATABASE_URL, else the embedded local cluster.

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/model.hpp"
#include "store/connection_target.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

struct CommonOptions {
    std::optional<std::string> db;
    std::optional<std::string> project;
    std::optional<std::string> testbed;
    std::optional<std::string> branch;
    std::optional<std::string> commit;
    std::optional<std::string> commit_time;
    bool quiet = false;
    bool verbose = false;
    // Commands that only read (cli/read_target.hpp): a streaming replica to read history from,
    // and how long to wait for it to replay the primary's latest writes.
    std::optional<std::string> read_db;
    double read_db_wait_seconds = 30;
};

// --run-id, --run-group, --shard (ingest and run).
struct IdentityFlags {
    std::optional<std::string> run_id;
    std::optional<std::string> run_group;
    std::optional<std::string> shard;  // "I/N"
};

// The flags as a run context (the highest precedence of runner::resolve_run).
core::RunContext context_from_flags(const CommonOptions& common, const IdentityFlags& identity);

// Adds --db, --project, --testbed, --branch, --commit, --commit-time, --quiet, --verbose.
void add_common_options(CLI::App& command, CommonOptions& options);
// Adds only --db (commands that do not name a series, such as `db status`).
void add_db_option(CLI::App& command, CommonOptions& options);

// Connects, starting and migrating the embedded cluster when that is the target; a shared
// database must already have a schema this binary can use. Throws StoreError (unavailable() for
// exit 3), store::SchemaVersionError, or core::ErrorException with the embedded cluster's start
// failure (kind database_unavailable: exit 3, and store_or_spool spools the run): connecting is
// the errors rule's standing database case, so every command that uses a store handles a lost
// database in one place.
std::unique_ptr<store::Store> open_store(const CommonOptions& options);

// The connection string of the target, starting the embedded cluster when needed. Errors: the
// cluster's (kind database_unavailable, with a hint).
core::Result<std::string> conninfo_for(const store::ConnectionTarget& target);

// The target with the password hidden, for messages: "embedded (/root/.local/share/perftrack)".
std::string describe_target(const store::ConnectionTarget& target);

}  // namespace perftrack::cli
