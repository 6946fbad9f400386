#pragma once
// The embedded default database: a private PostgreSQL cluster that perftrack initialises and
// starts itself under $PERFTRACK_HOME, listening on a unix socket only (no TCP port to clash
// with), so the first command on a fresh machine needs no configuration.
//
// PostgreSQL refuses to run as root. When perftrack runs as root, the server runs as the
// unprivileged "postgres" account (created by Debian's postgresql package); if that account
// cannot reach $PERFTRACK_HOME (e.g. under /root, mode 0700), the cluster lives in
// /var/lib/perftrack/clusters/<hash of PERFTRACK_HOME> instead, and `db status` says so.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <sys/types.h>

#include "core/error.hpp"

namespace perftrack::store {

struct LocalClusterLayout {
    std::filesystem::path home;         // PERFTRACK_HOME
    std::filesystem::path cluster_dir;  // holds data/, the log and (usually) the socket
    std::filesystem::path data_dir;
    std::filesystem::path socket_dir;
    std::filesystem::path log_file;
    std::filesystem::path lock_file;  // serialises init/start/stop between processes
    std::string server_user;          // the account the server runs as
    uid_t server_uid = 0;
    gid_t server_gid = 0;
    bool relocated = false;  // cluster_dir is not under home (root, home not traversable)
};

class LocalCluster {
  public:
    explicit LocalCluster(std::filesystem::path home);

    // Works out where the cluster lives and as whom it runs. Errors when perftrack runs as
    // root and there is no unprivileged account to run the server as.
    core::Result<LocalClusterLayout> layout() const;

    // Initialises the cluster when needed, starts it when it is not running, and returns the
    // libpq connection string. Safe to call from many processes at once.
    core::Result<std::string> ensure_running() const;

    // Stops a running cluster (fast shutdown). Returns false when it was not running.
    core::Result<bool> stop() const;

    bool initialized() const;
    // The postmaster's pid when the server is running.
    std::optional<pid_t> running_pid() const;
    // Bytes used by the data directory.
    std::uint64_t data_bytes() const;

    static std::string conninfo(const LocalClusterLayout& layout);
    static constexpr int k_port = 5432;  // private socket directory, so no clash with others

  private:
    std::filesystem::path m_home;
};

// Directory holding initdb, pg_ctl and postgres: $PERFTRACK_PG_BINDIR, else the newest
// /usr/lib/postgresql/*/bin, else `pg_config --bindir`. Empty when none has initdb.
std::filesystem::path postgres_bindir();

}  // namespace perftrack::store
