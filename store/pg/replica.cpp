#include "store/pg/replica.hpp"

#include <thread>

#include <fmt/format.h>

#include "core/error.hpp"
#include "store/pg/connection_secrets.hpp"
#include "store/pg/pg_internal.hpp"

namespace perftrack::store::pg {

namespace {

// Polling interval: replay on a loopback standby takes milliseconds; a short poll keeps a
// check's added latency small without loading the standby.
constexpr std::chrono::milliseconds k_poll_interval{10};

constexpr const char* k_insert_lsn = "SELECT pg_current_wal_insert_lsn()::text";
constexpr const char* k_in_recovery = "SELECT pg_is_in_recovery()";
// NULL replay position: the standby has replayed nothing yet (still starting).
constexpr const char* k_replay_state =
    "SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false), "
    "COALESCE(pg_last_wal_replay_lsn()::text, ''), "
    "COALESCE(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), -1)::bigint, "
    "pg_is_wal_replay_paused()";

std::vector<std::string> secrets_of_both(const std::string& a, const std::string& b) {
    auto secrets = connection_secrets(a);
    for (auto& s : connection_secrets(b)) secrets.push_back(std::move(s));
    return secrets;
}

}  // namespace

ReplayStatus wait_for_replay(const std::string& primary_conninfo,
                             const std::string& replica_conninfo,
                             std::chrono::milliseconds timeout) {
    const auto secrets = secrets_of_both(primary_conninfo, replica_conninfo);
    const auto started = std::chrono::steady_clock::now();
    ReplayStatus status;
    status.target_lsn = guarded(secrets, [&] {
        pqxx::connection primary(primary_conninfo);
        pqxx::nontransaction tx(primary);
        return tx.exec1(k_insert_lsn)[0].as<std::string>();
    });
    guarded(secrets, [&] {
        pqxx::connection replica(replica_conninfo);
        pqxx::nontransaction tx(replica);
        if (!tx.exec1(k_in_recovery)[0].as<bool>())
            throw core::ErrorException(core::Error{
                core::ErrorKind::config,
                "--read-db is not a standby (pg_is_in_recovery() is false): most likely the "
                "primary itself, so nothing would be taken off it",
                "give --read-db a streaming replica of the --db database (docs/deploy.md, "
                "\"Read replicas\"), or leave it out to read from the primary"});
        const auto deadline = started + timeout;
        for (;;) {
            const auto row = tx.exec_params1(k_replay_state, status.target_lsn);
            const bool caught_up = row[0].as<bool>();
            status.replay_lsn = row[1].as<std::string>();
            status.bytes_behind = caught_up ? 0 : row[2].as<std::int64_t>();
            status.paused = row[3].as<bool>();
            status.waited_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            if (caught_up) return 0;
            if (std::chrono::steady_clock::now() >= deadline) break;
            std::this_thread::sleep_for(k_poll_interval);
        }
        const std::string behind =
            status.bytes_behind < 0
                ? std::string("has replayed nothing yet")
                : fmt::format("is {} bytes of WAL behind the primary", status.bytes_behind);
        throw core::ErrorException(core::Error{
            core::ErrorKind::database_unavailable,
            fmt::format("the read replica {} after waiting {:.1f} s{} (primary at {}, replica "
                        "replayed up to {}): not reading stale data",
                        behind, status.waited_seconds,
                        status.paused ? "; replay is paused on it" : "", status.target_lsn,
                        status.replay_lsn.empty() ? "-" : status.replay_lsn),
            status.paused ? "resume replay on the replica (SELECT pg_wal_replay_resume()), or "
                            "leave out --read-db to read from the primary"
                          : "wait longer (--read-db-wait SECONDS), check the replica's "
                            "replication, or leave out --read-db to read from the primary"});
    });
    return status;
}

}  // namespace perftrack::store::pg
