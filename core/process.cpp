#include "core/process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace perftrack::core {

namespace {

using Clock = std::chrono::steady_clock;

// Without pidfd (kernels before 5.3) the loop looks for the child's exit this often.
constexpr std::chrono::milliseconds k_exit_poll_without_pidfd{20};
// After the child exited, output still in the pipes is read until EOF; a descendant that keeps
// the pipes open (a daemon it started) gets this long before we stop listening.
constexpr std::chrono::milliseconds k_drain_after_exit{200};
// Kept.last holds up to twice its limit (plus this) before trimming, so trimming is rare.
constexpr std::size_t k_tail_slack = 4096;

// Where in the child a start failed, sent to the parent with errno through the exec pipe.
enum class StartStage : int { account = 1, working_dir = 2, exec = 3 };
struct StartFailure {
    int stage = 0;
    int error = 0;
};

std::int64_t to_ns(const timeval& tv) {
    return static_cast<std::int64_t>(tv.tv_sec) * 1'000'000'000 +
           static_cast<std::int64_t>(tv.tv_usec) * 1000;
}

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) {
            reset();
            m_fd = std::exchange(o.m_fd, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }
    void reset() {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }

  private:
    int m_fd = -1;
};

// The child's environment: ours, less unset_env and the names the spec overrides, plus the
// overrides (and HOME/USER/LOGNAME of the account it runs as).
std::vector<std::string> child_environment(const ProcessSpec& spec, bool as_other_user) {
    std::vector<std::pair<std::string, std::string>> overrides = spec.env;
    if (as_other_user) {
        overrides.emplace_back("HOME", spec.run_as->home.string());
        overrides.emplace_back("USER", spec.run_as->name);
        overrides.emplace_back("LOGNAME", spec.run_as->name);
    }
    std::set<std::string, std::less<>> replaced(spec.unset_env.begin(), spec.unset_env.end());
    for (const auto& [name, value] : overrides) replaced.insert(name);
    std::vector<std::string> out;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view entry(*e);
        if (replaced.count(entry.substr(0, entry.find('='))) == 0) out.emplace_back(entry);
    }
    // A later override of the same name wins.
    std::set<std::string, std::less<>> seen;
    for (auto it = overrides.rbegin(); it != overrides.rend(); ++it)
        if (seen.insert(it->first).second) out.push_back(it->first + "=" + it->second);
    return out;
}

std::optional<std::string> path_of(const std::vector<std::string>& env) {
    for (const auto& e : env)
        if (e.rfind("PATH=", 0) == 0) return e.substr(5);
    return std::nullopt;
}

// dup2 that also works when the descriptor is already the target (dup2 would then leave its
// close-on-exec flag set). Async-signal-safe.
bool install_fd(int fd, int target) {
    if (fd == target) {
        const int flags = ::fcntl(fd, F_GETFD);
        return flags >= 0 && ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) == 0;
    }
    return ::dup2(fd, target) == target;
}

int pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

bool has_exited(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

int milliseconds_until(Clock::time_point when, Clock::time_point now) {
    if (when <= now) return 0;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(when - now).count();
    return static_cast<int>(std::min<std::int64_t>(ms, 60'000));
}

// The signal to pass on when perftrack is asked to stop: Ctrl-C stays Ctrl-C for the child.
int forwarded_signal(int received) {
    return received == SIGINT ? SIGINT : SIGTERM;
}

// Keeps what a Capture asks for of one stream and counts the rest.
class Kept {
  public:
    explicit Kept(const Capture& capture) : m_capture(capture) {}
    void append(std::string_view data) {
        switch (m_capture.keep) {
            case Capture::Keep::nothing:
                m_dropped += data.size();
                return;
            case Capture::Keep::first: {
                const std::size_t room = m_capture.limit_bytes - m_text.size();
                const std::size_t take = std::min(room, data.size());
                m_text.append(data.substr(0, take));
                m_dropped += data.size() - take;
                return;
            }
            case Capture::Keep::last:
                m_text.append(data);
                // Trim when over twice the limit (plus slack), written so no sum can wrap.
                if (m_text.size() > m_capture.limit_bytes &&
                    m_text.size() - m_capture.limit_bytes -
                            std::min(m_text.size() - m_capture.limit_bytes, k_tail_slack) >
                        m_capture.limit_bytes) {
                    const std::size_t cut = m_text.size() - m_capture.limit_bytes;
                    m_text.erase(0, cut);
                    m_dropped += cut;
                }
                return;
        }
    }
    std::string finish(std::uint64_t& dropped) {
        if (m_capture.keep == Capture::Keep::last && m_text.size() > m_capture.limit_bytes) {
            const std::size_t cut = m_text.size() - m_capture.limit_bytes;
            m_text.erase(0, cut);
            m_dropped += cut;
        }
        if (m_capture.keep == Capture::Keep::last && m_dropped > 0) {
            // Start at a line boundary so the first line is not cut in the middle.
            if (const auto nl = m_text.find('\n');
                nl != std::string::npos && nl + 1 < m_text.size()) {
                m_text.erase(0, nl + 1);
                m_dropped += nl + 1;
            }
        }
        dropped = m_dropped;
        return std::move(m_text);
    }

  private:
    Capture m_capture;
    std::string m_text;
    std::uint64_t m_dropped = 0;
};

// Reads what is available; returns false at EOF or on an error (the stream is done).
bool read_available(int fd, OutputStream stream, ProcessObserver* observer, Kept& kept) {
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            const std::string_view chunk(buf, static_cast<std::size_t>(n));
            kept.append(chunk);
            if (observer != nullptr) observer->on_output(stream, chunk);
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

// Writing to a child that stopped reading raises SIGPIPE, which would kill perftrack. Blocks it
// for this thread while stdin is fed and discards one that became pending meanwhile, without
// touching the process-wide disposition.
class SigpipeBlocked {
  public:
    SigpipeBlocked() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        ::sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        ::pthread_sigmask(SIG_BLOCK, &m_pipe, &m_previous);
    }
    ~SigpipeBlocked() {
        if (!m_was_pending) {
            const timespec no_wait{};
            while (::sigtimedwait(&m_pipe, nullptr, &no_wait) == SIGPIPE) {
            }
        }
        ::pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

  private:
    sigset_t m_pipe{};
    sigset_t m_previous{};
    bool m_was_pending = false;
};

// Writes what the pipe takes of text[offset...]; false once stdin is done (all written, or the
// child closed its end).
bool write_available(int fd, const std::string& text, std::size_t& offset) {
    while (offset < text.size()) {
        const ssize_t n = ::write(fd, text.data() + offset, text.size() - offset);
        if (n > 0) {
            offset += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        return false;  // EPIPE: the child does not read any more
    }
    return false;
}

Result<Fd> open_output_file(const std::filesystem::path& path, bool truncate,
                            const std::optional<RunAsUser>& run_as) {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : O_APPEND);
    Fd fd(::open(path.c_str(), flags, 0644));
    if (fd.get() < 0)
        return fail(ErrorKind::input, fmt::format("{}: {}", path.string(), std::strerror(errno)));
    // A file the child's account may need to write again later (pg_ctl's log).
    if (run_as && ::getuid() == 0)
        if (::fchown(fd.get(), run_as->uid, run_as->gid) != 0) { /* best effort */
        }
    return fd;
}

std::string start_failure_message(const ProcessSpec& spec, const StartFailure& failure) {
    const std::string& program = spec.argv.front();
    switch (static_cast<StartStage>(failure.stage)) {
        case StartStage::account:
            return fmt::format("cannot run {} as {}: {}", program, spec.run_as->name,
                               std::strerror(failure.error));
        case StartStage::working_dir:
            if (failure.error == ENOENT)
                return fmt::format("cannot run {}: working directory {} does not exist", program,
                                   spec.working_dir.string());
            return fmt::format("cannot run {}: working directory {}: {}", program,
                               spec.working_dir.string(), std::strerror(failure.error));
        case StartStage::exec:
            break;
    }
    return fmt::format("cannot run {}: {}", program, std::strerror(failure.error));
}

}  // namespace

ResourceUsage usage_from_rusage(const struct rusage& usage, std::int64_t wall_ns) {
    ResourceUsage out;
    out.wall_ns = wall_ns;
    out.user_ns = to_ns(usage.ru_utime);
    out.system_ns = to_ns(usage.ru_stime);
    out.peak_rss_bytes = static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
    return out;
}

int ProcessOutcome::shell_status() const {
    return signal != 0 ? 128 + signal : exit_code;
}

std::string ProcessOutcome::describe() const {
    switch (ending) {
        case Ending::exited:
            return fmt::format("exited with status {}", exit_code);
        case Ending::signaled:
            return fmt::format("was killed by {} (signal {})", signal_name(signal), signal);
        case Ending::timed_out:
            return fmt::format("timed out after {:g} s and was stopped",
                               std::chrono::duration<double>(timeout).count());
        case Ending::interrupted:
            return fmt::format("was stopped because perftrack received {}",
                               signal_name(interrupt_signal));
    }
    return "ended";
}

std::string signal_name(int signal_number) {
    // sigabbrev_np (glibc 2.32) names every signal of this platform without the "SIG" prefix.
    if (const char* abbrev = ::sigabbrev_np(signal_number); abbrev != nullptr)
        return std::string("SIG") + abbrev;
    return "signal " + std::to_string(signal_number);
}

std::filesystem::path find_program(const std::string& name, std::optional<std::string> path) {
    if (name.empty()) return {};
    if (name.find('/') != std::string::npos)
        return ::access(name.c_str(), X_OK) == 0 ? std::filesystem::path(name)
                                                 : std::filesystem::path();
    if (!path) {
        const char* ours = std::getenv("PATH");
        path = ours != nullptr ? ours : "/usr/local/bin:/usr/bin:/bin";
    }
    std::size_t pos = 0;
    while (pos <= path->size()) {
        const std::size_t end = std::min(path->find(':', pos), path->size());
        const std::string dir = path->substr(pos, end - pos);
        pos = end + 1;
        if (dir.empty()) continue;
        const std::filesystem::path candidate = std::filesystem::path(dir) / name;
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec) &&
            ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return {};
}

Result<RunAsUser> resolve_user(uid_t uid, std::optional<gid_t> gid) {
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(static_cast<std::size_t>(size > 0 ? size : 16384));
    passwd entry{};
    passwd* found = nullptr;
    int rc = 0;
    while ((rc = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found)) == ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    if (rc != 0 || found == nullptr)
        return fail(ErrorKind::input, fmt::format("no account with uid {}", uid));
    RunAsUser user;
    user.uid = uid;
    user.gid = gid.value_or(entry.pw_gid);
    user.name = entry.pw_name;
    user.home = entry.pw_dir != nullptr ? entry.pw_dir : "/";
    int count = 32;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    while (::getgrouplist(entry.pw_name, user.gid, groups.data(), &count) < 0)
        groups.resize(static_cast<std::size_t>(count));
    groups.resize(static_cast<std::size_t>(count));
    user.groups = std::move(groups);
    return user;
}

Result<RunningProcess> start_process(const ProcessSpec& spec) {
    if (spec.argv.empty()) return fail(ErrorKind::internal, "start_process: empty argv");
    const bool as_other_user = spec.run_as.has_value() && ::getuid() == 0;

    // Everything the child needs is prepared here: after fork, only async-signal-safe calls.
    std::vector<std::string> env_strings = child_environment(spec, as_other_user);
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string program = spec.argv.front();
    if (program.find('/') == std::string::npos) {
        const auto found = find_program(program, path_of(env_strings));
        if (found.empty())
            return fail(ErrorKind::input,
                        fmt::format("cannot run {}: {}", program, std::strerror(ENOENT)));
        program = found.string();
    }
    std::vector<char*> args;
    args.reserve(spec.argv.size() + 1);
    for (const auto& a : spec.argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const std::vector<gid_t> groups = as_other_user ? spec.run_as->groups : std::vector<gid_t>{};
    const uid_t uid = as_other_user ? spec.run_as->uid : 0;
    const gid_t gid = as_other_user ? spec.run_as->gid : 0;
    const bool switch_user = as_other_user;
    const char* working_dir = spec.working_dir.empty() ? nullptr : spec.working_dir.c_str();

    const auto pipe_fds = [](Fd& read_end, Fd& write_end) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return false;
        read_end = Fd(fds[0]);
        write_end = Fd(fds[1]);
        return true;
    };
    const auto pipe_error = [] {
        return fail(ErrorKind::internal, fmt::format("pipe: {}", std::strerror(errno)));
    };

    // The child's three standard descriptors, and our ends of the pipes.
    Fd child_in, child_out, child_err, our_in, our_out, our_err;
    if (spec.stdin_text) {
        if (!pipe_fds(child_in, our_in)) return pipe_error();
    } else {
        child_in = Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        if (child_in.get() < 0)
            return fail(ErrorKind::internal, fmt::format("/dev/null: {}", std::strerror(errno)));
    }
    if (!spec.stdout_file.empty()) {
        auto file = open_output_file(spec.stdout_file, spec.truncate_files, spec.run_as);
        if (!file) return tl::unexpected(file.error());
        child_out = std::move(*file);
    } else if (!pipe_fds(our_out, child_out)) {
        return pipe_error();
    }
    const bool shared_file = !spec.stderr_file.empty() && spec.stderr_file == spec.stdout_file;
    if (!spec.stderr_to_stdout && !shared_file) {
        if (!spec.stderr_file.empty()) {
            auto file = open_output_file(spec.stderr_file, spec.truncate_files, spec.run_as);
            if (!file) return tl::unexpected(file.error());
            child_err = std::move(*file);
        } else if (!pipe_fds(our_err, child_err)) {
            return pipe_error();
        }
    }
    const int stderr_source = child_err.get() >= 0 ? child_err.get() : child_out.get();
    Fd exec_read, exec_write;
    if (!pipe_fds(exec_read, exec_write)) return pipe_error();

    const pid_t parent = ::getpid();
    const auto started = Clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) return fail(ErrorKind::internal, fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
        const auto fail_at = [&](StartStage stage) {
            const StartFailure failure{static_cast<int>(stage), errno};
            (void)!::write(exec_write.get(), &failure, sizeof failure);
            ::_exit(127);
        };
        ::setpgid(0, 0);
        // If perftrack dies without cleaning up (SIGKILL), the child goes with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        struct sigaction default_action {};
        default_action.sa_handler = SIG_DFL;
        sigemptyset(&default_action.sa_mask);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT})
            ::sigaction(sig, &default_action, nullptr);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (!install_fd(child_in.get(), STDIN_FILENO) ||
            !install_fd(child_out.get(), STDOUT_FILENO) ||
            !install_fd(stderr_source, STDERR_FILENO))
            fail_at(StartStage::exec);
        // No descriptor of ours beyond the standard three survives exec, whoever opened it and
        // however (libraries do not all use O_CLOEXEC). Marked, not closed: the exec pipe must
        // stay open until exec succeeds. Kernels before 5.11 lack the flag; every descriptor
        // perftrack opens is O_CLOEXEC anyway.
        ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
        if (switch_user) {
            if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(gid) != 0 ||
                ::setuid(uid) != 0)
                fail_at(StartStage::account);
        }
        if (working_dir != nullptr && ::chdir(working_dir) != 0) fail_at(StartStage::working_dir);
        ::execve(program.c_str(), args.data(), envp.data());
        fail_at(StartStage::exec);
    }
    // Also set from here, so the group exists before we might signal it.
    ::setpgid(pid, pid);
    child_in.reset();
    child_out.reset();
    child_err.reset();
    exec_write.reset();

    StartFailure failure;
    ssize_t got = 0;
    do {
        got = ::read(exec_read.get(), &failure, sizeof failure);
    } while (got < 0 && errno == EINTR);
    if (got == static_cast<ssize_t>(sizeof failure)) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return fail(ErrorKind::input, start_failure_message(spec, failure));
    }

    RunningProcess child;
    child.m_pid = pid;
    child.m_started = started;
    for (Fd* fd : {&our_in, &our_out, &our_err})
        if (fd->get() >= 0) ::fcntl(fd->get(), F_SETFL, ::fcntl(fd->get(), F_GETFL) | O_NONBLOCK);
    child.m_stdin = our_in.release();
    child.m_stdout = our_out.release();
    child.m_stderr = our_err.release();
    if (spec.stdin_text) child.m_stdin_text = *spec.stdin_text;
    child.m_stdout_capture = spec.stdout_capture;
    child.m_stderr_capture = spec.stderr_capture;
    child.m_timeout = spec.timeout;
    child.m_kill_grace = spec.kill_grace;
    child.m_tick_interval = spec.tick_interval;
    child.m_stop = spec.stop;
    return child;
}

RunningProcess::RunningProcess(RunningProcess&& o) noexcept {
    *this = std::move(o);
}

RunningProcess& RunningProcess::operator=(RunningProcess&& o) noexcept {
    if (this == &o) return *this;
    release();
    m_pid = std::exchange(o.m_pid, -1);
    m_stdin = std::exchange(o.m_stdin, -1);
    m_stdout = std::exchange(o.m_stdout, -1);
    m_stderr = std::exchange(o.m_stderr, -1);
    m_stdin_text = std::move(o.m_stdin_text);
    m_stdout_capture = o.m_stdout_capture;
    m_stderr_capture = o.m_stderr_capture;
    m_timeout = o.m_timeout;
    m_kill_grace = o.m_kill_grace;
    m_tick_interval = o.m_tick_interval;
    m_stop = std::move(o.m_stop);
    m_started = o.m_started;
    return *this;
}

RunningProcess::~RunningProcess() {
    release();
}

void RunningProcess::release() {
    for (int* fd : {&m_stdin, &m_stdout, &m_stderr}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
    if (m_pid > 0) {
        ::kill(-m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_pid = -1;
    }
}

ProcessOutcome RunningProcess::wait(ProcessObserver* observer) {
    const pid_t pid = m_pid;
    Fd in(std::exchange(m_stdin, -1)), out(std::exchange(m_stdout, -1)),
        err(std::exchange(m_stderr, -1));
    Fd pidfd(pidfd_open(pid));
    std::optional<SigpipeBlocked> sigpipe_blocked;
    if (in.get() >= 0) sigpipe_blocked.emplace();
    std::size_t stdin_offset = 0;
    if (in.get() >= 0 && !write_available(in.get(), m_stdin_text, stdin_offset)) in.reset();

    Kept kept_out(m_stdout_capture), kept_err(m_stderr_capture);
    bool exited = false, timed_out = false;
    int interrupted_by = 0;
    const auto pending_stop = [&] { return m_stop.pending ? m_stop.pending() : 0; };
    // time_point::max() stands for "none" (an optional trips GCC 12's maybe-uninitialized).
    constexpr auto k_never = Clock::time_point::max();
    const Clock::time_point deadline = m_timeout ? m_started + *m_timeout : k_never;
    Clock::time_point kill_at = k_never;
    auto next_tick = m_started + m_tick_interval;
    const auto stop_group = [&](int sig, Clock::time_point now) {
        ::kill(-pid, sig);
        kill_at = now + m_kill_grace;
    };

    while (!exited) {
        auto now = Clock::now();
        Clock::time_point wake = next_tick;
        if (!timed_out && interrupted_by == 0) wake = std::min(wake, deadline);
        wake = std::min(wake, kill_at);
        if (pidfd.get() < 0) wake = std::min(wake, now + k_exit_poll_without_pidfd);

        pollfd fds[5];
        nfds_t n = 0;
        // The index of an open descriptor in fds, -1 for a closed one.
        const auto watch = [&](int fd, short events) {
            if (fd < 0) return -1;
            fds[n] = {fd, events, 0};
            return static_cast<int>(n++);
        };
        const int in_index = watch(in.get(), POLLOUT);
        const int out_index = watch(out.get(), POLLIN);
        const int err_index = watch(err.get(), POLLIN);
        const int pid_index = watch(pidfd.get(), POLLIN);
        // Only to wake up: pending_stop() below says what happened.
        if (interrupted_by == 0 && m_stop.wake_fd >= 0) fds[n++] = {m_stop.wake_fd, POLLIN, 0};
        const int ready = ::poll(fds, n, milliseconds_until(wake, now));
        const auto has = [&](int index) {
            return index >= 0 && ready > 0 && fds[index].revents != 0;
        };
        if (has(in_index) && !write_available(in.get(), m_stdin_text, stdin_offset)) in.reset();
        if (has(out_index) && !read_available(out.get(), OutputStream::out, observer, kept_out))
            out.reset();
        if (has(err_index) && !read_available(err.get(), OutputStream::err, observer, kept_err))
            err.reset();
        if (pidfd.get() >= 0 ? has(pid_index) : has_exited(pid)) exited = true;

        now = Clock::now();
        if (interrupted_by == 0 && pending_stop() != 0) {
            interrupted_by = pending_stop();
            stop_group(forwarded_signal(interrupted_by), now);
        }
        if (!timed_out && interrupted_by == 0 && now >= deadline && !exited) {
            timed_out = true;
            stop_group(SIGTERM, now);
        }
        if (now >= kill_at && !exited) {
            ::kill(-pid, SIGKILL);
            kill_at = k_never;
        }
        if (now >= next_tick) {
            if (observer != nullptr) observer->on_tick();
            next_tick = now + m_tick_interval;
        }
    }
    in.reset();
    sigpipe_blocked.reset();

    int status = 0;
    struct rusage usage {};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    m_pid = -1;
    const auto ended = Clock::now();
    // Whatever the stopped child left behind in its group goes too.
    if (timed_out || interrupted_by != 0) ::kill(-pid, SIGKILL);

    // Drain the pipes: normally EOF comes at once; a descendant holding them open is not waited
    // for longer than k_drain_after_exit.
    const auto drain_until = ended + k_drain_after_exit;
    while (out.get() >= 0 || err.get() >= 0) {
        pollfd fds[2];
        nfds_t n = 0;
        int out_index = -1, err_index = -1;
        if (out.get() >= 0) {
            out_index = static_cast<int>(n);
            fds[n++] = {out.get(), POLLIN, 0};
        }
        if (err.get() >= 0) {
            err_index = static_cast<int>(n);
            fds[n++] = {err.get(), POLLIN, 0};
        }
        const int ready = ::poll(fds, n, milliseconds_until(drain_until, Clock::now()));
        if (ready == 0) break;
        if (ready < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (out_index >= 0 && fds[out_index].revents != 0 &&
            !read_available(out.get(), OutputStream::out, observer, kept_out))
            out.reset();
        if (err_index >= 0 && fds[err_index].revents != 0 &&
            !read_available(err.get(), OutputStream::err, observer, kept_err))
            err.reset();
    }

    ProcessOutcome outcome;
    outcome.usage = usage_from_rusage(
        usage, std::chrono::duration_cast<std::chrono::nanoseconds>(ended - m_started).count());
    outcome.stdout_text = kept_out.finish(outcome.stdout_dropped_bytes);
    outcome.stderr_text = kept_err.finish(outcome.stderr_dropped_bytes);
    if (WIFSIGNALED(status)) {
        outcome.signal = WTERMSIG(status);
    } else if (WIFEXITED(status)) {
        outcome.exit_code = WEXITSTATUS(status);
    }
    if (interrupted_by != 0) {
        outcome.ending = Ending::interrupted;
        outcome.interrupt_signal = interrupted_by;
    } else if (timed_out) {
        outcome.ending = Ending::timed_out;
        outcome.timeout = *m_timeout;
    } else {
        outcome.ending = outcome.signal != 0 ? Ending::signaled : Ending::exited;
    }
    return outcome;
}

Result<ProcessOutcome> run_process(const ProcessSpec& spec, ProcessObserver* observer) {
    auto child = start_process(spec);
    if (!child) return tl::unexpected(child.error());
    return child->wait(observer);
}

}  // namespace perftrack::core
