#pragma once
// The PostgreSQL implementation of the store (libpqxx 6.4). Nothing outside store/pg/ sees
// pqxx: this header exposes only perftrack types.

#include <memory>
#include <string>

#include "store/store.hpp"

namespace perftrack::store::pg {

struct ConnectOptions {
    // Apply pending migrations on connect (every command migrates on first use).
    bool migrate = true;
    // Secrets to scrub from every error message (the password of the URL is always scrubbed).
    std::vector<std::string> secrets;
};

// Connects and (by default) migrates. Throws StoreError; unavailable() when the server cannot
// be reached.
std::unique_ptr<Store> connect(const std::string& conninfo, const ConnectOptions& options = {});

struct MigrationReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<std::string> applied;  // file names, in order
};

// Applies pending migrations under an advisory lock: safe to run twice and from many processes
// at once. Throws StoreError.
MigrationReport migrate(const std::string& conninfo);

// The newest migration compiled into this binary.
int latest_schema_version();

}  // namespace perftrack::store::pg
