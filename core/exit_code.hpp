#pragma once
// Exit codes are a contract (README, "Exit codes"): scripts and CI gates depend on them.

#include "core/error.hpp"

namespace perftrack::core {

enum class ExitCode : int {
    ok = 0,                    // success, no regression
    regression = 1,            // `check` found a regression (unless --no-fail)
    bad_input = 2,             // usage, config or input error
    database_unavailable = 3,  // database unreachable; results were spooled, nothing lost
    benchmark_failed = 4,      // a benchmark or its output failed
    internal_error = 5,        // perftrack failed, a bug: ErrorKind::internal, unexpected exception
};

constexpr ExitCode exit_code_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::database_unavailable:
            return ExitCode::database_unavailable;
        case ErrorKind::benchmark_failed:
            return ExitCode::benchmark_failed;
        case ErrorKind::usage:
        case ErrorKind::input:
        case ErrorKind::config:
            return ExitCode::bad_input;
        case ErrorKind::internal:
            return ExitCode::internal_error;
    }
    return ExitCode::internal_error;
}

// A child killed by signal N is reported as 128 + N, as shells do.
constexpr int exit_status_for_signal(int signal_number) {
    return 128 + signal_number;
}

}  // namespace perftrack::core
