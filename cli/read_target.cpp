#include "cli/read_target.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/output.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "store/pg/pg_store.hpp"
#include "store/pg/replica.hpp"
#include "store/read_split.hpp"

namespace perftrack::cli {

namespace {

// A replica's connection failure names the replica's flag, not --db.
[[noreturn]] void rethrow_for_replica(const store::StoreError& e, const ReadTarget& target) {
    if (!e.unavailable()) throw e;
    throw core::ErrorException(core::Error{
        core::ErrorKind::database_unavailable,
        fmt::format("read replica ({}) unavailable: {}", target.source, e.what()),
        "start the replica, check --read-db / PERFTRACK_READ_DB, or leave it out to read from "
        "the primary"});
}

}  // namespace

void add_read_db_options(CLI::App& command, CommonOptions& o) {
    command.add_option("--read-db", o.read_db,
                       "Read history from this PostgreSQL streaming replica of --db (else "
                       "$PERFTRACK_READ_DB); writes stay on --db");
    command
        .add_option("--read-db-wait", o.read_db_wait_seconds,
                    "Seconds to wait for the replica to replay the primary's latest writes; "
                    "then exit 3 rather than read stale data")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
}

std::optional<ReadTarget> resolve_read_target(const CommonOptions& o) {
    if (o.read_db && !o.read_db->empty()) return ReadTarget{*o.read_db, "--read-db"};
    const char* env = std::getenv("PERFTRACK_READ_DB");
    if (env != nullptr && *env != '\0') return ReadTarget{env, "PERFTRACK_READ_DB"};
    return std::nullopt;
}

ReadStores open_read_stores(const CommonOptions& o) {
    ReadStores out;
    out.store = open_store(o);
    out.reader = out.store.get();
    const auto target = resolve_read_target(o);
    if (!target) return out;
    // open_store has started the embedded cluster when that is the primary.
    const auto primary = conninfo_for(store::resolve_connection_target(o.db));
    if (!primary) throw core::ErrorException(primary.error());
    const auto timeout = std::chrono::milliseconds(
        static_cast<std::int64_t>(std::llround(o.read_db_wait_seconds * 1000.0)));
    std::unique_ptr<store::Store> replica;
    try {
        const auto status = store::pg::wait_for_replay(*primary, target->url, timeout);
        if (o.verbose)
            print_note(fmt::format("read replica {} replayed the primary's {} after {:.2f} s",
                                   core::redact_database_url(target->url), status.target_lsn,
                                   status.waited_seconds));
        store::pg::ConnectOptions connect_options;
        connect_options.migrate = false;  // a standby is read-only; its schema is the primary's
        replica = store::pg::connect(target->url, connect_options);
    } catch (const store::StoreError& e) {
        rethrow_for_replica(e, *target);
    }
    auto split = std::make_unique<store::ReadSplitStore>(std::move(out.store), std::move(replica));
    out.reader = &split->replica();
    out.store = std::move(split);
    return out;
}

}  // namespace perftrack::cli
