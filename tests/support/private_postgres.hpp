#pragma once
// A PostgreSQL server of one test alone, so stopping it, or making a standby of it, disturbs no
// other test running in parallel. Uses the server binaries of the test script
// (PERFTRACK_TEST_PG_BIN); as root, the server runs as the postgres account. Listens on a unix
// socket in its own directory only (no TCP port to collide on).

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/cli_process.hpp"

namespace perftrack::testing {

class PrivatePostgres {
  public:
    // A new cluster (initdb), started. `extra_conf` lines are appended to postgresql.conf (for
    // example "log_statement = 'all'\n"). Fails the calling test when it cannot start (ok()).
    explicit PrivatePostgres(const std::string& extra_conf = {});
    // A hot standby of `primary` streaming from it: pg_basebackup -R (which writes
    // primary_conninfo and standby.signal), then started.
    struct Standby {};
    PrivatePostgres(Standby, const PrivatePostgres& primary, const std::string& extra_conf = {});
    ~PrivatePostgres();
    PrivatePostgres(const PrivatePostgres&) = delete;
    PrivatePostgres& operator=(const PrivatePostgres&) = delete;

    bool ok() const { return m_ok; }
    std::string bin(const std::string& program) const { return (m_bin / program).string(); }
    std::string dsn() const;
    // The server's log so far (log_statement output goes here).
    std::string log() const;
    bool start();
    bool stop();

  private:
    bool make_directory();
    void append_conf(const std::string& lines) const;
    ProcessResult as(std::vector<std::string> argv) const;

    std::filesystem::path m_bin;
    std::filesystem::path m_dir;
    std::vector<std::string> m_as;
    bool m_ok = false;
};

}  // namespace perftrack::testing
