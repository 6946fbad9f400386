#pragma once
// Read replicas for the commands that only read history (check, report, backtest, compare,
// alerts list): --read-db URL, else $PERFTRACK_READ_DB. History is read from the replica once it
// has replayed what the primary had written when the command started (store/pg/replica.hpp);
// alert lifecycle writes and everything else stay on the primary (store/read_split.hpp).

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

struct ReadTarget {
    std::string url;
    std::string source;  // "--read-db" or "PERFTRACK_READ_DB"
};

// Adds --read-db and --read-db-wait.
void add_read_db_options(CLI::App& command, CommonOptions& options);

// --read-db, else $PERFTRACK_READ_DB; nothing when neither is set (read from the primary).
std::optional<ReadTarget> resolve_read_target(const CommonOptions& options);

struct ReadStores {
    // Reads history from the replica when one is configured, everything else on the primary.
    std::unique_ptr<store::Store> store;
    // Reads everything, alerts included, from the replica when configured, else the primary
    // (owned by `store`): for commands that write nothing.
    store::Store* reader = nullptr;
};

// open_store for the primary, then, with a read target, waits for the replica to catch up and
// connects to it. Throws what open_store throws, and core::ErrorException: config (exit 2) when
// the read target is not a standby; database_unavailable (exit 3) when it did not catch up in
// --read-db-wait seconds or cannot be reached.
ReadStores open_read_stores(const CommonOptions& options);

}  // namespace perftrack::cli
