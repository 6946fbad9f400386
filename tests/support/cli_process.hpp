#pragma once
// Runs the built perftrack binary (or any program) as a child process, the way users and CI
// do, and captures its exit code, stdout and stderr separately (through core/process.hpp).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/process.hpp"

namespace perftrack::testing {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal when killed
    std::string out;
    std::string err;
};

struct ProcessOptions {
    std::map<std::string, std::string> env;  // set (overrides the inherited environment)
    std::vector<std::string> unset_env;      // removed from the inherited environment
    std::filesystem::path cwd;
    std::optional<std::string> stdin_text;
    double timeout_seconds = 300;
};

// Options that only feed `text` to the child's stdin.
inline ProcessOptions with_stdin(const std::string& text) {
    ProcessOptions o;
    o.stdin_text = text;
    return o;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// run_process with the perftrack binary as argv[0]. Unless the caller sets them, PERFTRACK_DB
// and DATABASE_URL are removed from the child's environment so tests never touch a developer's
// database by accident.
ProcessResult run_perftrack(const std::vector<std::string>& args,
                            const ProcessOptions& options = {});

// Starts perftrack without waiting (for kill and concurrency tests), its stdout and stderr going
// to the two files. Fails the test (and throws) when it cannot be started.
core::RunningProcess spawn_perftrack(const std::vector<std::string>& args,
                                     const ProcessOptions& options,
                                     const std::filesystem::path& stdout_file,
                                     const std::filesystem::path& stderr_file);
// Waits for a spawned child; returns its exit code (128 + signal when killed).
int wait_child(core::RunningProcess& child);

std::string perftrack_binary();

}  // namespace perftrack::testing
