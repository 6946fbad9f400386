#include "tests/support/private_postgres.hpp"

#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

namespace perftrack::testing {

std::string program_path(const std::string& name) {
    for (const char* dir : {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
        const auto p = std::filesystem::path(dir) / name;
        if (::access(p.c_str(), X_OK) == 0) return p.string();
    }
    return name;
}

PrivatePostgres::PrivatePostgres() {
    const char* bin = std::getenv("PERFTRACK_TEST_PG_BIN");
    if (bin == nullptr || *bin == '\0') {
        ADD_FAILURE() << "PERFTRACK_TEST_PG_BIN is not set: run the integration tests through "
                         "ci/test.sh (source ci/lib/test_postgres.sh; start_test_postgres)";
        return;
    }
    m_bin = bin;
    std::string pattern = "/tmp/ptpg-XXXXXX";  // short: unix socket paths are limited
    if (::mkdtemp(pattern.data()) == nullptr) {
        ADD_FAILURE() << "mkdtemp failed";
        return;
    }
    m_dir = pattern;
    std::filesystem::permissions(m_dir, std::filesystem::perms(0711));
    if (::getuid() == 0) {
        const passwd* pw = ::getpwnam("postgres");
        if (pw == nullptr || ::chown(m_dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
            ADD_FAILURE() << "cannot hand " << m_dir << " to the postgres account";
            return;
        }
        m_as = {program_path("runuser"), "-u", "postgres", "--"};
    }
    auto init = as({(m_bin / "initdb").string(), "-N", "-D", (m_dir / "data").string(), "-U",
                    "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"});
    if (init.exit_code != 0) {
        ADD_FAILURE() << "initdb failed: " << init.out << init.err;
        return;
    }
    std::ofstream conf(m_dir / "data" / "postgresql.conf", std::ios::app);
    conf << "listen_addresses = ''\nunix_socket_directories = '" << m_dir.string()
         << "'\nport = 5432\nfsync = off\nsynchronous_commit = off\n";
    conf.close();
    m_ok = start();
}
PrivatePostgres::~PrivatePostgres() {
    if (!m_dir.empty()) {
        as({(m_bin / "pg_ctl").string(), "-D", (m_dir / "data").string(), "-m", "immediate", "-w",
            "stop"});
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
}
std::string PrivatePostgres::dsn() const {
    return fmt::format("host={} port=5432 user=postgres dbname=postgres", m_dir.string());
}
bool PrivatePostgres::start() {
    auto r = as({(m_bin / "pg_ctl").string(), "-D", (m_dir / "data").string(), "-l",
                 (m_dir / "server.log").string(), "-w", "-t", "30", "start"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return r.exit_code == 0;
}
bool PrivatePostgres::stop() {
    auto r = as(
        {(m_bin / "pg_ctl").string(), "-D", (m_dir / "data").string(), "-m", "fast", "-w", "stop"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return r.exit_code == 0;
}

ProcessResult PrivatePostgres::as(std::vector<std::string> argv) {
    std::vector<std::string> full = m_as;
    full.insert(full.end(), argv.begin(), argv.end());
    ProcessOptions o;
    o.cwd = "/";
    o.timeout_seconds = 60;
    return run_process(full, o);
}

}  // namespace perftrack::testing
