#pragma once
// Running one benchmark process. The child gets its own process group, so a timeout or Ctrl-C
// stops it together with everything it started; its stdout and stderr are streamed to an
// observer as they arrive (CI logs keep showing progress) while the last few KiB of stderr are
// kept for the failure report; and the resources it used come from wait4's rusage.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/resource.h>

#include "core/error.hpp"

namespace perftrack::runner::process {

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
// about every ChildSpec::tick_interval so a progress line can be redrawn.
class ChildObserver {
  public:
    virtual ~ChildObserver() = default;
    virtual void on_output(OutputStream stream, std::string_view data) = 0;
    virtual void on_tick() = 0;
};

struct ChildSpec {
    std::vector<std::string> argv;      // argv[0] is looked up in PATH when it contains no '/'
    std::filesystem::path working_dir;  // empty: inherit ours
    std::vector<std::pair<std::string, std::string>> env;  // set (or overridden) in the child
    // Measured from the start. When it passes the group gets SIGTERM, then SIGKILL after
    // kill_grace.
    std::optional<std::chrono::nanoseconds> timeout;
    std::chrono::milliseconds kill_grace{2000};
    std::chrono::milliseconds tick_interval{250};
    std::size_t stderr_tail_bytes = 4096;
    bool capture_stdout = false;  // keep all of stdout in ChildOutcome::stdout_text
};

enum class Ending {
    exited,       // returned from main or called exit: see exit_code
    signaled,     // killed by a signal it did not handle: see signal
    timed_out,    // ran past ChildSpec::timeout and was stopped
    interrupted,  // perftrack itself got SIGINT/SIGTERM/SIGHUP and stopped it
};

struct ChildOutcome {
    Ending ending = Ending::exited;
    int exit_code = 0;                    // exited: its status; otherwise 0
    int signal = 0;                       // the signal it died of, when it died of one
    int interrupt_signal = 0;             // interrupted: the signal perftrack received
    std::chrono::nanoseconds timeout{0};  // timed_out: the limit it ran past
    ResourceUsage usage;
    std::string stdout_text;  // only with capture_stdout
    std::string stderr_tail;  // the last stderr_tail_bytes of stderr, cut at a line start

    bool ok() const { return ending == Ending::exited && exit_code == 0; }
    // The status a shell would report: the exit code, or 128 + signal.
    int shell_status() const;
    // "exited with status 3", "was killed by SIGSEGV (signal 11)", "timed out after 30 s",
    // "was interrupted by SIGINT".
    std::string describe() const;
};

// Runs the child to completion (or until its timeout or an interrupt stopped it). Fails (kind
// benchmark_failed) only when it cannot be started: the program is missing or not executable,
// or the working directory does not exist; the message names the program and the reason.
core::Result<ChildOutcome> run_child(const ChildSpec& spec, ChildObserver* observer = nullptr);

}  // namespace perftrack::runner::process
