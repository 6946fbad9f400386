#include "store/embedded/local_cluster.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file_io.hpp"
#include "core/fnv1a.hpp"
#include "core/process.hpp"

namespace perftrack::store {

namespace fs = std::filesystem;
using core::ErrorKind;
using core::fail;

namespace {

// Unix socket paths are limited to 107 bytes; the socket file name adds 15.
constexpr std::size_t k_max_socket_dir_length = 90;
constexpr const char* k_relocated_root = "/var/lib/perftrack/clusters";

// Names the relocated cluster and socket directories. Existing clusters live under these
// names (and their postgresql.conf names the socket directory), hence the legacy basis.
std::string short_hash(const std::string& text) {
    return fmt::format("{:016x}", core::fnv1a64(text, core::k_legacy_identity_offset_basis))
        .substr(0, 12);
}

// Can `uid`/`gid` search (x) every existing directory from / down to `path`?
bool traversable_by(const fs::path& path, uid_t uid, gid_t gid) {
    fs::path current;
    for (const auto& part : fs::absolute(path)) {
        current /= part;
        struct stat st {};
        if (::stat(current.c_str(), &st) != 0) return true;  // will be created by us
        if (!S_ISDIR(st.st_mode)) return false;
        mode_t bit = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
        if ((st.st_mode & bit) == 0) return false;
    }
    return true;
}

core::Result<void> make_dir_for(const fs::path& dir, const LocalClusterLayout& l, mode_t mode) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return fail(ErrorKind::database_unavailable,
                    fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    ::chmod(dir.c_str(), mode);
    if (::getuid() == 0 && ::chown(dir.c_str(), l.server_uid, l.server_gid) != 0)
        return fail(ErrorKind::database_unavailable,
                    fmt::format("cannot give {} to {}: {}", dir.string(), l.server_user,
                                std::strerror(errno)));
    return {};
}

// What is kept of a server tool's output: its messages end with the reason it failed.
constexpr std::size_t k_tool_output_bytes = 64 * 1024;
// What is read of the server log to say why the server did not start.
constexpr std::uintmax_t k_log_excerpt_bytes = 64 * 1024;

// Runs a PostgreSQL tool in the cluster directory, as the server's account when we are root.
// Its stdout and stderr are kept together (the end of them), or appended to `output_file` (for
// pg_ctl start, whose server keeps them open).
core::Result<core::ProcessOutcome> run_as_server(const LocalClusterLayout& l,
                                                 const std::vector<std::string>& argv,
                                                 const fs::path& output_file = {}) {
    core::ProcessSpec spec;
    spec.argv = argv;
    if (::getuid() == 0) {
        auto user = core::resolve_user(l.server_uid, l.server_gid);
        if (!user) return fail(ErrorKind::database_unavailable, user.error().message);
        spec.run_as = std::move(*user);
    }
    spec.working_dir = l.cluster_dir;
    spec.stdout_file = output_file;
    spec.stderr_file = output_file;
    spec.stderr_to_stdout = true;
    spec.stdout_capture = {core::Capture::Keep::last, k_tool_output_bytes};
    auto outcome = core::run_process(spec);
    if (!outcome) return fail(ErrorKind::database_unavailable, outcome.error().message);
    return outcome;
}

// An exclusive advisory lock held for the lifetime of the object.
class FileLock {
  public:
    explicit FileLock(const fs::path& path) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd >= 0)
            while (::flock(m_fd, LOCK_EX) != 0 && errno == EINTR) {
            }
    }
    ~FileLock() {
        if (m_fd >= 0) ::close(m_fd);
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    bool ok() const { return m_fd >= 0; }

  private:
    int m_fd = -1;
};

std::string tail_lines(const std::string& text, std::size_t lines) {
    std::size_t pos = text.size();
    while (lines > 0 && pos > 0) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) return text;
        --lines;
    }
    return text.substr(pos + 1);
}

}  // namespace

fs::path postgres_bindir() {
    if (const char* v = std::getenv("PERFTRACK_PG_BINDIR"); v != nullptr && *v != '\0') {
        if (fs::exists(fs::path(v) / "initdb")) return v;
    }
    std::vector<std::pair<int, fs::path>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const fs::path bin = entry.path() / "bin";
        if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl")) {
            const int version = std::atoi(entry.path().filename().c_str());
            found.emplace_back(version, bin);
        }
    }
    if (!found.empty()) return std::max_element(found.begin(), found.end())->second;
    if (auto pg_config = core::find_program("pg_config"); !pg_config.empty()) {
        core::ProcessSpec spec;
        spec.argv = {pg_config.string(), "--bindir"};
        spec.stderr_capture = {core::Capture::Keep::nothing, 0};
        spec.stdout_capture = {core::Capture::Keep::first, 4096};  // one directory name
        auto r = core::run_process(spec);
        if (r && r->ok()) {
            std::string dir = r->stdout_text;
            while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
            if (fs::exists(fs::path(dir) / "initdb")) return dir;
        }
    }
    return {};
}

LocalCluster::LocalCluster(fs::path home) : m_home(std::move(home)) {}

core::Result<LocalClusterLayout> LocalCluster::layout() const {
    LocalClusterLayout l;
    l.home = m_home;
    if (::getuid() == 0) {
        const passwd* pw = ::getpwnam("postgres");
        if (pw == nullptr)
            return fail(ErrorKind::database_unavailable,
                        "perftrack runs as root and PostgreSQL refuses to; there is no 'postgres' "
                        "account to run the embedded database as",
                        "install PostgreSQL (apt-get install postgresql), run as a normal user, "
                        "or point --db at a server");
        l.server_user = pw->pw_name;
        l.server_uid = pw->pw_uid;
        l.server_gid = pw->pw_gid;
    } else {
        const passwd* pw = ::getpwuid(::getuid());
        l.server_user = pw != nullptr ? pw->pw_name : std::to_string(::getuid());
        l.server_uid = ::getuid();
        l.server_gid = ::getgid();
    }
    l.cluster_dir = m_home / "pg";
    if (::getuid() == 0 && !traversable_by(m_home, l.server_uid, l.server_gid)) {
        l.cluster_dir = fs::path(k_relocated_root) / short_hash(fs::absolute(m_home).string());
        l.relocated = true;
    }
    l.data_dir = l.cluster_dir / "data";
    l.log_file = l.cluster_dir / "server.log";
    l.lock_file = m_home / "pg.lock";
    l.socket_dir = l.cluster_dir / "run";
    if (l.socket_dir.string().size() > k_max_socket_dir_length)
        l.socket_dir = fs::path("/tmp") / fmt::format("perftrack-pg-{}-{}", l.server_uid,
                                                      short_hash(l.cluster_dir.string()));
    return l;
}

std::string LocalCluster::conninfo(const LocalClusterLayout& l) {
    // Keyword form with quoted values: the socket path may contain spaces.
    auto quote = [](const std::string& v) {
        std::string out = "'";
        for (char c : v) {
            if (c == '\'' || c == '\\') out += '\\';
            out += c;
        }
        return out + "'";
    };
    return fmt::format("host={} port={} user=postgres dbname=postgres connect_timeout=10",
                       quote(l.socket_dir.string()), k_port);
}

bool LocalCluster::initialized() const {
    auto l = layout();
    return l && fs::exists(l->data_dir / "PG_VERSION");
}

std::optional<pid_t> LocalCluster::running_pid() const {
    auto l = layout();
    if (!l) return std::nullopt;
    std::ifstream pidfile(l->data_dir / "postmaster.pid");
    long pid = 0;
    if (!(pidfile >> pid) || pid <= 0) return std::nullopt;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return std::nullopt;
    const fs::path socket = l->socket_dir / fmt::format(".s.PGSQL.{}", k_port);
    if (!fs::exists(socket)) return std::nullopt;
    return static_cast<pid_t>(pid);
}

std::uint64_t LocalCluster::data_bytes() const {
    auto l = layout();
    if (!l) return 0;
    std::uint64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(l->data_dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code size_ec;
        if (it->is_regular_file(size_ec)) {
            const auto size = it->file_size(size_ec);
            if (!size_ec) total += size;
        }
    }
    return total;
}

core::Result<std::string> LocalCluster::ensure_running() const {
    auto l = layout();
    if (!l) return tl::unexpected(l.error());
    if (running_pid()) return conninfo(*l);

    FileLock lock(l->lock_file);
    if (!lock.ok())
        return fail(
            ErrorKind::database_unavailable,
            fmt::format("cannot create {}: {}", l->lock_file.string(), std::strerror(errno)),
            "set PERFTRACK_HOME to a writable directory");
    if (running_pid()) return conninfo(*l);  // another process started it meanwhile

    const fs::path bindir = postgres_bindir();
    if (bindir.empty())
        return fail(ErrorKind::database_unavailable,
                    "no PostgreSQL server binaries found (looked in $PERFTRACK_PG_BINDIR, "
                    "/usr/lib/postgresql/*/bin and pg_config --bindir)",
                    "install them (apt-get install postgresql) or point --db at a server");

    if (l->relocated) {
        std::error_code ec;
        fs::create_directories(k_relocated_root, ec);
    }
    if (auto ok = make_dir_for(l->cluster_dir, *l, 0700); !ok) return tl::unexpected(ok.error());
    if (auto ok = make_dir_for(l->socket_dir, *l, 0700); !ok) return tl::unexpected(ok.error());

    if (!fs::exists(l->data_dir / "PG_VERSION")) {
        // initdb into a scratch directory and rename it into place, so an interrupted initdb
        // never leaves a half-made cluster behind.
        const fs::path scratch = l->cluster_dir / "data.initdb";
        std::error_code ec;
        fs::remove_all(scratch, ec);
        fs::remove_all(l->data_dir, ec);
        auto r = run_as_server(*l, {(bindir / "initdb").string(), "-D", scratch.string(), "-U",
                                    "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"});
        if (!r) return tl::unexpected(r.error());
        if (!r->ok())
            return fail(ErrorKind::database_unavailable,
                        fmt::format("initdb failed for the embedded database in {}: {}",
                                    scratch.string(), tail_lines(r->stdout_text, 5)));
        std::ofstream conf(scratch / "postgresql.conf", std::ios::app);
        conf << "\n# perftrack embedded cluster\n"
             << "listen_addresses = ''\n"
             << "unix_socket_directories = '" << l->socket_dir.string() << "'\n"
             << "port = " << k_port << "\n"
             << "max_connections = 60\n"
             << "shared_buffers = 128MB\n"
             << "max_wal_size = 2GB\n"
             << "logging_collector = off\n";
        conf.close();
        if (!conf)
            return fail(ErrorKind::database_unavailable,
                        fmt::format("cannot write {}", (scratch / "postgresql.conf").string()));
        fs::rename(scratch, l->data_dir, ec);
        if (ec)
            return fail(
                ErrorKind::database_unavailable,
                fmt::format("cannot move {} into place: {}", scratch.string(), ec.message()));
    }
    std::error_code size_ec;
    std::uintmax_t log_before = fs::file_size(l->log_file, size_ec);
    if (size_ec) log_before = 0;
    auto r = run_as_server(*l,
                           {(bindir / "pg_ctl").string(), "-D", l->data_dir.string(), "-l",
                            l->log_file.string(), "-w", "-t", "60", "-s", "start"},
                           l->cluster_dir / "pg_ctl.out");
    if (!r) return tl::unexpected(r.error());
    if (!r->ok() || !running_pid()) {
        const std::string log = core::read_file_tail(l->log_file, log_before, k_log_excerpt_bytes);
        return fail(ErrorKind::database_unavailable,
                    fmt::format("the embedded database in {} did not start: {}",
                                l->data_dir.string(), tail_lines(log, 5)),
                    fmt::format("see {}", l->log_file.string()));
    }
    return conninfo(*l);
}

core::Result<bool> LocalCluster::stop() const {
    auto l = layout();
    if (!l) return tl::unexpected(l.error());
    FileLock lock(l->lock_file);
    if (!running_pid()) return false;
    const fs::path bindir = postgres_bindir();
    if (bindir.empty())
        return fail(ErrorKind::database_unavailable, "no PostgreSQL server binaries found");
    auto r = run_as_server(*l, {(bindir / "pg_ctl").string(), "-D", l->data_dir.string(), "-m",
                                "fast", "-w", "-t", "60", "-s", "stop"});
    if (!r) return tl::unexpected(r.error());
    if (!r->ok())
        return fail(ErrorKind::database_unavailable,
                    fmt::format("pg_ctl stop failed: {}", tail_lines(r->stdout_text, 5)));
    return true;
}

}  // namespace perftrack::store
