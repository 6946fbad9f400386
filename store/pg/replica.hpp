#pragma once
// Read replicas (`--read-db`): before a command reads from a PostgreSQL streaming standby, it
// waits until the standby has replayed everything the primary had written when the command
// started, so it never reports from stale data without saying so.

#include <chrono>
#include <cstdint>
#include <string>

namespace perftrack::store::pg {

// Where the standby stood when waiting ended.
struct ReplayStatus {
    std::string target_lsn;  // the primary's WAL insert position when the wait began
    std::string replay_lsn;  // the standby's last replayed position ("" when none yet)
    std::int64_t bytes_behind = 0;
    bool paused = false;  // replay paused on the standby (pg_wal_replay_pause)
    double waited_seconds = 0;
};

// Reads the primary's WAL insert position (pg_current_wal_insert_lsn: everything inserted,
// including commits that synchronous_commit = off has not flushed yet; pg_current_wal_lsn, the
// write position, can precede such a commit and let a stale read through), then polls the
// standby until its replay position reaches it.
//
// Errors: core::ErrorException of kind config (exit 2) when `replica_conninfo` is not a standby
// (pg_is_in_recovery() is false: most likely the primary itself); of kind database_unavailable
// (exit 3) when the standby has not caught up within `timeout`, with the bytes still behind and
// whether replay is paused. StoreError (unavailable for a connection failure) from either
// server. Connection strings never appear in messages.
ReplayStatus wait_for_replay(const std::string& primary_conninfo,
                             const std::string& replica_conninfo,
                             std::chrono::milliseconds timeout);

}  // namespace perftrack::store::pg
