#include "runner/process/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/process/interrupt.hpp"

extern char** environ;

namespace perftrack::runner::process {

namespace {

using Clock = std::chrono::steady_clock;

// Without pidfd (kernels before 5.3) the loop looks for the child's exit this often.
constexpr std::chrono::milliseconds k_exit_poll_without_pidfd{20};
// After the child exited, output still in the pipes is read until EOF; a descendant that keeps
// the pipes open (a daemon it started) gets this long before we stop listening.
constexpr std::chrono::milliseconds k_drain_after_exit{200};

std::int64_t to_ns(const timeval& tv) {
    return static_cast<std::int64_t>(tv.tv_sec) * 1'000'000'000 +
           static_cast<std::int64_t>(tv.tv_usec) * 1000;
}

std::vector<std::string> child_environment(const ChildSpec& spec) {
    std::map<std::string, std::string> overrides(spec.env.begin(), spec.env.end());
    std::vector<std::string> out;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string_view entry(*e);
        const auto name = entry.substr(0, entry.find('='));
        if (overrides.count(std::string(name)) == 0) out.emplace_back(entry);
    }
    for (const auto& [k, v] : overrides) out.push_back(k + "=" + v);
    return out;
}

struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

// Keeps the end of a stream: the last `limit` bytes.
class Tail {
  public:
    explicit Tail(std::size_t limit) : m_limit(limit) {}
    void append(std::string_view data) {
        m_text.append(data);
        if (m_text.size() > 2 * m_limit + 4096) {
            m_text.erase(0, m_text.size() - m_limit);
            m_dropped = true;
        }
    }
    std::string finish() const {
        if (m_text.size() <= m_limit && !m_dropped) return m_text;
        std::string tail = m_text.substr(m_text.size() - std::min(m_limit, m_text.size()));
        // Start at a line boundary so the first line is not cut in the middle.
        if (const auto nl = tail.find('\n'); nl != std::string::npos && nl + 1 < tail.size())
            tail.erase(0, nl + 1);
        return tail;
    }

  private:
    std::size_t m_limit;
    std::string m_text;
    bool m_dropped = false;  // bytes before m_text were thrown away
};

// Reads what is available; returns false at EOF or on an error (the stream is done).
bool read_available(int fd, OutputStream stream, ChildObserver* observer, Tail& err_tail,
                    std::string* capture) {
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            const std::string_view chunk(buf, static_cast<std::size_t>(n));
            if (stream == OutputStream::err) err_tail.append(chunk);
            if (capture != nullptr) capture->append(chunk);
            if (observer != nullptr) observer->on_output(stream, chunk);
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
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

}  // namespace

ResourceUsage usage_from_rusage(const struct rusage& usage, std::int64_t wall_ns) {
    ResourceUsage out;
    out.wall_ns = wall_ns;
    out.user_ns = to_ns(usage.ru_utime);
    out.system_ns = to_ns(usage.ru_stime);
    out.peak_rss_bytes = static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
    return out;
}

int ChildOutcome::shell_status() const {
    return signal != 0 ? 128 + signal : exit_code;
}

std::string ChildOutcome::describe() const {
    const auto killed_by = [](int sig) {
        return fmt::format("{} (signal {})", signal_name(sig), sig);
    };
    switch (ending) {
        case Ending::exited:
            return fmt::format("exited with status {}", exit_code);
        case Ending::signaled:
            return "was killed by " + killed_by(signal);
        case Ending::timed_out: {
            const double seconds = std::chrono::duration<double>(timeout).count();
            return fmt::format("timed out after {:g} s and was stopped", seconds);
        }
        case Ending::interrupted:
            return fmt::format("was stopped because perftrack received {}",
                               signal_name(interrupt_signal));
    }
    return "ended";
}

core::Result<ChildOutcome> run_child(const ChildSpec& spec, ChildObserver* observer) {
    if (spec.argv.empty()) return core::fail(core::ErrorKind::internal, "run_child: empty argv");
    // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
    std::vector<std::string> env_strings = child_environment(spec);
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<char*> args;
    args.reserve(spec.argv.size() + 1);
    for (const auto& a : spec.argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    int out_pipe[2], err_pipe[2], exec_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0 ||
        ::pipe2(exec_pipe, O_CLOEXEC) != 0)
        return core::fail(core::ErrorKind::internal, fmt::format("pipe: {}", std::strerror(errno)));
    Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
    Fd err_read(err_pipe[0]), err_write(err_pipe[1]);
    Fd exec_read(exec_pipe[0]), exec_write(exec_pipe[1]);
    Fd dev_null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const pid_t parent = ::getpid();
    const char* working_dir = spec.working_dir.empty() ? nullptr : spec.working_dir.c_str();

    const auto started = Clock::now();
    const pid_t pid = ::fork();
    if (pid < 0)
        return core::fail(core::ErrorKind::internal, fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
        ::setpgid(0, 0);
        // If perftrack dies without cleaning up (SIGKILL), the benchmark goes with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) ::signal(sig, SIG_DFL);
        ::dup2(dev_null.fd, STDIN_FILENO);
        ::dup2(out_write.fd, STDOUT_FILENO);
        ::dup2(err_write.fd, STDERR_FILENO);
        int err = 0;
        if (working_dir != nullptr && ::chdir(working_dir) != 0) {
            err = errno;
        } else {
            ::execvpe(args[0], args.data(), envp.data());
            err = errno;
        }
        (void)!::write(exec_write.fd, &err, sizeof err);
        ::_exit(127);
    }
    // Also set from here, so the group exists before we might signal it.
    ::setpgid(pid, pid);
    out_write.reset();
    err_write.reset();
    exec_write.reset();

    int child_errno = 0;
    ssize_t got = 0;
    do {
        got = ::read(exec_read.fd, &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    if (got == static_cast<ssize_t>(sizeof child_errno)) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        const std::string what =
            working_dir != nullptr && child_errno == ENOENT && ::access(working_dir, F_OK) != 0
                ? fmt::format("cannot run {}: working directory {} does not exist", spec.argv[0],
                              spec.working_dir.string())
                : fmt::format("cannot run {}: {}", spec.argv[0], std::strerror(child_errno));
        return core::fail(core::ErrorKind::benchmark_failed, what);
    }

    for (int fd : {out_read.fd, err_read.fd})
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    Fd pidfd(pidfd_open(pid));

    ChildOutcome outcome;
    Tail err_tail(spec.stderr_tail_bytes);
    std::string* capture = spec.capture_stdout ? &outcome.stdout_text : nullptr;
    bool out_open = true, err_open = true, exited = false;
    bool timed_out = false;
    int interrupted_by = 0;
    // time_point::max() stands for "none" (an optional trips GCC 12's maybe-uninitialized).
    constexpr auto k_never = Clock::time_point::max();
    const Clock::time_point deadline = spec.timeout ? started + *spec.timeout : k_never;
    Clock::time_point kill_at = k_never;
    auto next_tick = started + spec.tick_interval;

    const auto stop_group = [&](int sig, Clock::time_point now) {
        ::kill(-pid, sig);
        kill_at = now + spec.kill_grace;
    };

    while (!exited) {
        auto now = Clock::now();
        Clock::time_point wake = next_tick;
        if (!timed_out && interrupted_by == 0) wake = std::min(wake, deadline);
        wake = std::min(wake, kill_at);
        if (pidfd.fd < 0) wake = std::min(wake, now + k_exit_poll_without_pidfd);

        pollfd fds[4];
        nfds_t n = 0;
        int out_index = -1, err_index = -1, pid_index = -1;
        if (out_open) {
            out_index = static_cast<int>(n);
            fds[n++] = {out_read.fd, POLLIN, 0};
        }
        if (err_open) {
            err_index = static_cast<int>(n);
            fds[n++] = {err_read.fd, POLLIN, 0};
        }
        if (pidfd.fd >= 0) {
            pid_index = static_cast<int>(n);
            fds[n++] = {pidfd.fd, POLLIN, 0};
        }
        // Only to wake up: pending_interrupt() below says what happened.
        if (interrupted_by == 0 && interrupt_fd() >= 0) fds[n++] = {interrupt_fd(), POLLIN, 0};
        const int ready = ::poll(fds, n, milliseconds_until(wake, now));
        if (ready < 0 && errno != EINTR)
            return core::fail(core::ErrorKind::internal,
                              fmt::format("poll: {}", std::strerror(errno)));
        const auto has = [&](int index) {
            return index >= 0 && ready > 0 && fds[index].revents != 0;
        };
        if (has(out_index))
            out_open = read_available(out_read.fd, OutputStream::out, observer, err_tail, capture);
        if (has(err_index))
            err_open = read_available(err_read.fd, OutputStream::err, observer, err_tail, nullptr);
        if (pidfd.fd >= 0 ? has(pid_index) : has_exited(pid)) exited = true;

        now = Clock::now();
        if (interrupted_by == 0 && pending_interrupt() != 0) {
            interrupted_by = pending_interrupt();
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
            next_tick = now + spec.tick_interval;
        }
    }

    int status = 0;
    struct rusage usage {};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    const auto ended = Clock::now();
    // Whatever the stopped child left behind in its group goes too.
    if (timed_out || interrupted_by != 0) ::kill(-pid, SIGKILL);

    // Drain the pipes: normally EOF comes at once; a descendant holding them open is not waited
    // for longer than k_drain_after_exit.
    const auto drain_until = ended + k_drain_after_exit;
    while (out_open || err_open) {
        pollfd fds[2];
        nfds_t n = 0;
        if (out_open) fds[n++] = {out_read.fd, POLLIN, 0};
        if (err_open) fds[n++] = {err_read.fd, POLLIN, 0};
        const int ready = ::poll(fds, n, milliseconds_until(drain_until, Clock::now()));
        if (ready == 0) break;
        if (ready < 0) {
            if (errno == EINTR) continue;
            break;
        }
        nfds_t i = 0;
        if (out_open && fds[i++].revents != 0)
            out_open = read_available(out_read.fd, OutputStream::out, observer, err_tail, capture);
        if (err_open && fds[i].revents != 0)
            err_open = read_available(err_read.fd, OutputStream::err, observer, err_tail, nullptr);
    }

    outcome.usage = usage_from_rusage(
        usage, std::chrono::duration_cast<std::chrono::nanoseconds>(ended - started).count());
    outcome.stderr_tail = err_tail.finish();
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
        outcome.timeout = *spec.timeout;
    } else {
        outcome.ending = outcome.signal != 0 ? Ending::signaled : Ending::exited;
    }
    return outcome;
}

}  // namespace perftrack::runner::process
