#pragma once
// Running a helper program to completion (git, initdb, pg_ctl) and collecting its output.
// The benchmark runner has its own process control (timeouts, rusage, streaming); this is the
// small synchronous case.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace perftrack::core {

struct SubprocessOptions {
    std::filesystem::path working_dir;  // empty: inherit
    // Run as this user (only when we are root): PostgreSQL's server tools refuse root.
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
    // Append stdout+stderr to this file instead of capturing them (for daemons that keep the
    // pipe open, like pg_ctl start).
    std::filesystem::path output_file;
    bool discard_stderr = false;
};

struct SubprocessResult {
    int exit_code = 0;    // valid when signal == 0
    int signal = 0;       // the signal that killed it, or 0
    std::string output;   // stdout and stderr interleaved (empty with output_file)
    bool ok() const { return signal == 0 && exit_code == 0; }
};

// Fails (kind internal) only when the program cannot be started; a non-zero exit is a result.
Result<SubprocessResult> run_subprocess(const std::vector<std::string>& argv,
                                        const SubprocessOptions& options = {});

// Searches PATH like execvp; empty when not found.
std::filesystem::path find_program(const std::string& name);

}  // namespace perftrack::core
