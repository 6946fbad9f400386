#pragma once
// The one place perftrack starts other programs: benchmarks (runner/), git (runner/context/),
// the embedded PostgreSQL's initdb and pg_ctl (store/embedded/) and the test harness's perftrack
// children all go through start_process / run_process.
//
// What a caller gets, whoever it is:
// - Everything the child needs (the program's path, argv, the environment, the account's groups)
//   is prepared before fork; between fork and exec the child makes only async-signal-safe system
//   calls, so a lock held by another thread at fork time cannot deadlock it.
// - The child sees stdin (text we write, or /dev/null), stdout and stderr, and no other
//   descriptor of ours (every descriptor >= 3 is close-on-exec in the child).
// - Its own process group: a timeout or an interruption stops it together with everything it
//   started (SIGTERM, then SIGKILL after a grace period); if perftrack dies, the child is killed.
// - Output is read as it arrives, passed to an observer, and kept up to a limit (the first or
//   the last bytes), so a child printing without end cannot exhaust our memory.
// - The resources it used come from wait4's rusage; a child killed by signal N reports 128 + N.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/resource.h>
#include <sys/types.h>

#include "core/error.hpp"

namespace perftrack::core {

struct ResourceUsage {
    std::int64_t wall_ns = 0;         // from just before fork to the reap, monotonic clock
    std::int64_t user_ns = 0;         // CPU time in user mode of the child and of every descendant
                                      // it waited for (as wait4 accounts it)
    std::int64_t system_ns = 0;       // CPU time in the kernel, same scope
    std::int64_t peak_rss_bytes = 0;  // largest resident set of the child or of a waited-for
                                      // descendant (not their sum)
};

// Converts wait4's rusage (times as timeval, ru_maxrss in KiB on Linux) to the units above.
ResourceUsage usage_from_rusage(const struct rusage& usage, std::int64_t wall_ns);

enum class OutputStream { out, err };

// Receives what the child writes, in chunks as they arrive (not split at lines), and a tick
// about every ProcessSpec::tick_interval so a progress line can be redrawn.
class ProcessObserver {
  public:
    virtual ~ProcessObserver() = default;
    virtual void on_output(OutputStream stream, std::string_view data) = 0;
    virtual void on_tick() = 0;
};

// What is kept of one output stream (the observer sees all of it either way).
struct Capture {
    enum class Keep {
        nothing,
        first,  // the first limit_bytes
        last,   // the last limit_bytes, starting at a line start when something was cut
    };
    Keep keep = Keep::first;
    std::size_t limit_bytes = 16 * 1024 * 1024;
};

// An account to run the child as (perftrack as root starting PostgreSQL, which refuses root).
// Resolved before fork: the child only calls setgroups, setgid and setuid.
struct RunAsUser {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;
    std::filesystem::path home;
    std::vector<gid_t> groups;  // supplementary groups, as initgroups would set them
};

// The account's name, home, primary and supplementary groups (kind internal when there is no
// such account). `gid` overrides the primary group when given.
Result<RunAsUser> resolve_user(uid_t uid, std::optional<gid_t> gid = std::nullopt);

// A way for the caller to stop a running child from outside (the runner's Ctrl-C handling):
// `wake_fd` is polled and becomes readable when `pending` may have changed; `pending` returns
// the signal perftrack received, or 0. The child's group then gets SIGINT for SIGINT and SIGTERM
// otherwise.
struct StopRequest {
    int wake_fd = -1;
    std::function<int()> pending;
};

struct ProcessSpec {
    // argv[0] without a '/' is looked up in PATH (the child's PATH when `env` sets one) before
    // fork; with a '/' it is used as given (relative to working_dir when relative).
    std::vector<std::string> argv;
    std::filesystem::path working_dir;                     // empty: inherit ours
    std::vector<std::pair<std::string, std::string>> env;  // set or override in the child
    std::vector<std::string> unset_env;                    // removed from the child's environment
    std::optional<std::string> stdin_text;                 // written to its stdin; else /dev/null

    Capture stdout_capture;
    Capture stderr_capture;
    bool stderr_to_stdout = false;  // one interleaved stream, kept as stdout (helper tools' logs)
    // Instead of pipes, write the stream to this file (appended to, created 0644). For daemons
    // that keep their output open (pg_ctl start) and for children that are not waited for at
    // once (the tests' concurrent perftrack processes). The same path for both streams means
    // one shared file.
    std::filesystem::path stdout_file;
    std::filesystem::path stderr_file;
    bool truncate_files = false;  // start stdout_file / stderr_file empty instead of appending

    std::optional<RunAsUser> run_as;  // honoured only when we are root

    // Measured from the start. When it passes the group gets SIGTERM, then SIGKILL after
    // kill_grace.
    std::optional<std::chrono::nanoseconds> timeout;
    std::chrono::milliseconds kill_grace{2000};
    std::chrono::milliseconds tick_interval{250};
    StopRequest stop;
};

enum class Ending {
    exited,       // returned from main or called exit: see exit_code
    signaled,     // killed by a signal it did not handle: see signal
    timed_out,    // ran past ProcessSpec::timeout and was stopped
    interrupted,  // the StopRequest asked for it to stop
};

struct ProcessOutcome {
    Ending ending = Ending::exited;
    int exit_code = 0;                    // exited: its status; otherwise 0
    int signal = 0;                       // the signal it died of, when it died of one
    int interrupt_signal = 0;             // interrupted: the signal perftrack received
    std::chrono::nanoseconds timeout{0};  // timed_out: the limit it ran past
    ResourceUsage usage;
    std::string stdout_text;                 // as ProcessSpec::stdout_capture says
    std::string stderr_text;                 // as ProcessSpec::stderr_capture says
    std::uint64_t stdout_dropped_bytes = 0;  // written but not kept (over the limit)
    std::uint64_t stderr_dropped_bytes = 0;

    bool ok() const { return ending == Ending::exited && exit_code == 0; }
    // The status a shell would report: the exit code, or 128 + signal.
    int shell_status() const;
    // "exited with status 3", "was killed by SIGSEGV (signal 11)", "timed out after 30 s and was
    // stopped", "was stopped because perftrack received SIGINT".
    std::string describe() const;
};

// A started child. Destroying one that was not waited for kills its group and reaps it.
class RunningProcess {
  public:
    RunningProcess(RunningProcess&& other) noexcept;
    RunningProcess& operator=(RunningProcess&& other) noexcept;
    RunningProcess(const RunningProcess&) = delete;
    RunningProcess& operator=(const RunningProcess&) = delete;
    ~RunningProcess();

    pid_t pid() const { return m_pid; }
    // Feeds stdin, reads the output, and returns once the child ended (or was stopped by the
    // timeout or the StopRequest) and was reaped. Call once.
    ProcessOutcome wait(ProcessObserver* observer = nullptr);

  private:
    friend Result<RunningProcess> start_process(const ProcessSpec& spec);
    RunningProcess() = default;
    void release();

    pid_t m_pid = -1;
    int m_stdin = -1, m_stdout = -1, m_stderr = -1;
    std::string m_stdin_text;
    Capture m_stdout_capture, m_stderr_capture;
    std::optional<std::chrono::nanoseconds> m_timeout;
    std::chrono::milliseconds m_kill_grace{0};
    std::chrono::milliseconds m_tick_interval{0};
    StopRequest m_stop;
    std::chrono::steady_clock::time_point m_started;
};

// Starts the child. Fails only when it cannot: kind input for a wrong program, working directory,
// output file or account, naming it and why ("cannot run X: ..."); kind internal when the
// system refuses a pipe or a fork, or argv is empty (a bug). Callers may re-label the kind.
Result<RunningProcess> start_process(const ProcessSpec& spec);

// start_process, then wait.
Result<ProcessOutcome> run_process(const ProcessSpec& spec, ProcessObserver* observer = nullptr);

// Searches PATH like execvp; empty when not found. `path` is the PATH value to search (ours when
// nullopt).
std::filesystem::path find_program(const std::string& name,
                                   std::optional<std::string> path = std::nullopt);

// "SIGINT", "SIGSEGV", ... or "signal N".
std::string signal_name(int signal_number);

}  // namespace perftrack::core
