#include "tests/support/private_postgres.hpp"

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::testing {

namespace {

// run_process executes without a PATH search.
std::string program_path(const std::string& name) {
    for (const char* dir : {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
        const auto p = std::filesystem::path(dir) / name;
        if (::access(p.c_str(), X_OK) == 0) return p.string();
    }
    return name;
}

}  // namespace

bool PrivatePostgres::make_directory() {
    const char* bin = std::getenv("PERFTRACK_TEST_PG_BIN");
    if (bin == nullptr || *bin == '\0') {
        ADD_FAILURE() << "PERFTRACK_TEST_PG_BIN is not set: run the integration tests through "
                         "ci/test.sh (source ci/lib/test_postgres.sh; start_test_postgres)";
        return false;
    }
    m_bin = bin;
    std::string pattern = "/tmp/ptpg-XXXXXX";  // short: unix socket paths are limited
    if (::mkdtemp(pattern.data()) == nullptr) {
        ADD_FAILURE() << "mkdtemp failed";
        return false;
    }
    m_dir = pattern;
    std::filesystem::permissions(m_dir, std::filesystem::perms(0711));
    if (::getuid() == 0) {
        const passwd* pw = ::getpwnam("postgres");
        if (pw == nullptr || ::chown(m_dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
            ADD_FAILURE() << "cannot hand " << m_dir << " to the postgres account";
            return false;
        }
        m_as = {program_path("runuser"), "-u", "postgres", "--"};
    }
    return true;
}

void PrivatePostgres::append_conf(const std::string& lines) const {
    // Written by the server's account when running as root: append through it.
    const auto conf = m_dir / "data" / "postgresql.conf";
    std::ofstream(conf, std::ios::app) << lines;
}

PrivatePostgres::PrivatePostgres(const std::string& extra_conf) {
    if (!make_directory()) return;
    auto init = as({(m_bin / "initdb").string(), "-N", "-D", (m_dir / "data").string(), "-U",
                    "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"});
    if (init.exit_code != 0) {
        ADD_FAILURE() << "initdb failed: " << init.out << init.err;
        return;
    }
    append_conf(
        fmt::format("listen_addresses = ''\nunix_socket_directories = '{}'\nport = 5432\n"
                    "fsync = off\nsynchronous_commit = off\n{}",
                    m_dir.string(), extra_conf));
    m_ok = start();
}

PrivatePostgres::PrivatePostgres(Standby, const PrivatePostgres& primary,
                                 const std::string& extra_conf) {
    if (!primary.ok() || !make_directory()) return;
    // initdb's pg_hba.conf trusts local replication connections, so pg_basebackup needs nothing
    // more; -R makes the copy a standby that streams from the primary.
    auto backup =
        as({(m_bin / "pg_basebackup").string(), "-h", primary.m_dir.string(), "-p", "5432", "-U",
            "postgres", "-D", (m_dir / "data").string(), "-R", "-X", "stream", "-c", "fast"});
    if (backup.exit_code != 0) {
        ADD_FAILURE() << "pg_basebackup failed: " << backup.out << backup.err;
        return;
    }
    // The copied postgresql.conf names the primary's socket directory: later lines win.
    append_conf(fmt::format("unix_socket_directories = '{}'\nhot_standby = on\n{}", m_dir.string(),
                            extra_conf));
    m_ok = start();
}

PrivatePostgres::~PrivatePostgres() {
    if (m_dir.empty()) return;
    as({(m_bin / "pg_ctl").string(), "-D", (m_dir / "data").string(), "-m", "immediate", "-w",
        "stop"});
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

std::string PrivatePostgres::dsn() const {
    return fmt::format("host={} port=5432 user=postgres dbname=postgres", m_dir.string());
}

std::string PrivatePostgres::log() const {
    return read_file(m_dir / "server.log");
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

ProcessResult PrivatePostgres::as(std::vector<std::string> argv) const {
    std::vector<std::string> full = m_as;
    full.insert(full.end(), argv.begin(), argv.end());
    ProcessOptions o;
    o.cwd = "/";
    o.timeout_seconds = 60;
    return run_process(full, o);
}

}  // namespace perftrack::testing
