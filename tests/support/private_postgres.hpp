#pragma once
// A PostgreSQL server of one test alone, so stopping or restarting it in the middle of a run
// disturbs no other test running in parallel (run_test's lost-database case, the server's
// database-restart test). Uses the server binaries of the test script (PERFTRACK_TEST_PG_BIN);
// as root, the server runs as the postgres account.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/cli_process.hpp"

namespace perftrack::testing {

// run_process executes without a PATH search: /usr/sbin/NAME, /usr/bin/NAME, ...
std::string program_path(const std::string& name);

class PrivatePostgres {
  public:
    PrivatePostgres();
    ~PrivatePostgres();
    PrivatePostgres(const PrivatePostgres&) = delete;
    PrivatePostgres& operator=(const PrivatePostgres&) = delete;
    bool ok() const { return m_ok; }
    std::string bin(const std::string& program) const { return (m_bin / program).string(); }
    std::string dsn() const;
    bool start();
    bool stop();

  private:
    ProcessResult as(std::vector<std::string> argv);
    std::filesystem::path m_bin;
    std::filesystem::path m_dir;
    std::vector<std::string> m_as;
    bool m_ok = false;
};

}  // namespace perftrack::testing
