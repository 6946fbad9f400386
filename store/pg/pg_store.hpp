#pragma once
// The PostgreSQL implementation of the store (libpqxx 6.4). Nothing outside store/pg/ sees
// pqxx: this header exposes only perftrack types.

#include <memory>
#include <string>

#include "store/retention.hpp"
#include "store/store.hpp"

namespace perftrack::store::pg {

struct ConnectOptions {
    // Apply pending migrations on connect: for the embedded database, which has one user and
    // one binary. A shared database is migrated only by migrate() (`perftrack db migrate`), so
    // one CI job with a newer perftrack cannot upgrade a team's database under everyone else.
    bool migrate = false;
    // Refuse a schema this binary cannot use (SchemaVersionError). Off only for `db status`,
    // which reports the version whatever it is (and can then only count what exists).
    bool check_schema = true;
    // Secrets to scrub from every error message (the password of the URL is always scrubbed).
    std::vector<std::string> secrets;
};

// Connects, then migrates or checks the schema as `options` say. Throws StoreError
// (unavailable() when the server cannot be reached) or SchemaVersionError.
std::unique_ptr<Store> connect(const std::string& conninfo, const ConnectOptions& options = {});

struct MigrationReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<std::string> applied;  // file names, in order
};

// Applies pending migrations under an advisory lock: safe to run twice and from many processes
// at once. A database newer than this binary is left alone when the newer migrations are all
// additive (to_version then exceeds latest_schema_version()); otherwise SchemaVersionError.
// Throws StoreError.
MigrationReport migrate(const std::string& conninfo);

// Connects and checks that this binary can use the schema; returns its version. Throws
// SchemaVersionError (with the command to run) or StoreError.
int verify_schema(const std::string& conninfo);

// `perftrack db prune`: deletes the old runs nothing needs, in one transaction that takes only
// row locks (concurrent ingest goes on), and reports them; a dry run deletes nothing. The
// schema must be one this binary can use (SchemaVersionError). Throws StoreError.
PruneReport prune(const std::string& conninfo, const PruneRequest& request);

// The plans PostgreSQL chooses (EXPLAIN (FORMAT JSON), one JSON document per statement) for the
// reads load_history makes for `query` (check's windows and report's whole branch): the run
// listing, then the sample rows. For the tests asserting that those reads use indexes, never a
// sequential scan of the sample table. Empty when the project, testbed or branch is unknown.
// Throws StoreError.
std::vector<std::string> explain_history_reads(const std::string& conninfo,
                                               const HistoryQuery& query);

// The newest migration compiled into this binary.
int latest_schema_version();

}  // namespace perftrack::store::pg
