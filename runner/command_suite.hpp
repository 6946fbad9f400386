#pragma once
// Running a plain command as a benchmark (a build, a CLI, an ML training script): warm-up runs,
// then N measured runs, each recording wall time, user and system CPU time and peak resident
// memory from wait4's rusage, with the exit status checked. When the command writes a result
// file in a known format, each run's file is read through the adapters as well.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "formats/adapter.hpp"
#include "runner/progress.hpp"
#include "runner/suite_config.hpp"
#include "runner/suite_outcome.hpp"

namespace perftrack::runner {

// The series every command suite records (benchmark = the suite name), all lower-is-better.
inline constexpr const char* k_wall_time_metric = "wall_time";      // ns
inline constexpr const char* k_user_time_metric = "user_time";      // ns
inline constexpr const char* k_system_time_metric = "system_time";  // ns
inline constexpr const char* k_peak_memory_metric = "peak_memory";  // B

struct CommandSuite {
    std::string name;
    std::vector<std::string> argv;
    std::filesystem::path working_dir;  // empty: ours
    std::vector<std::pair<std::string, std::string>> env;
    int warmup_runs = 0;
    int runs = k_default_repetitions;
    std::optional<std::chrono::nanoseconds> timeout;  // for all runs together
    // A file the command writes on each run (relative to perftrack's working directory), read
    // with `results_format` after every measured run. Empty: none.
    std::filesystem::path results_file;
    std::string results_format = "auto";
    formats::AdapterOptions adapter_options;
};

SuiteOutcome run_command_suite(const CommandSuite& suite, Progress* progress);

}  // namespace perftrack::runner
