#pragma once
// perftrack.toml: what `perftrack run` runs and how its results are recorded. The file is found
// in the current directory or given with --config; docs/runner.md is the reference:
//
//   project = "engine"            testbed = "ci-x86-large"      baseline_branch = "main"
//   repetitions = 10              timeout_seconds = 1800
//   [metrics.items_per_second]    direction = "higher"          min_change_pct = 5
//   [[suite]]  name = "core"      binary = "build/bench/core"   filter = "BM_Sort"
//   [[suite]]  name = "build"     command = ["make", "-j2"]      runs = 3
//
// Parsing is strict: an unknown key, a wrong type or an out-of-range value is an error (kind
// config, exit 2) that names the file, the line and the key. Relative paths are taken relative
// to the directory of the file.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"

namespace perftrack::runner {

// The Google Benchmark repetitions (and command runs) when nothing else says how many.
inline constexpr int k_default_repetitions = 10;

// Per-metric overrides: the direction (and, for formats without units such as records, the
// unit) of a metric the tool does not describe, and the smallest change that counts as a
// regression for it (check's --min-change).
struct MetricRule {
    std::optional<core::Direction> direction;
    std::optional<std::string> unit;
    std::optional<double> min_change_pct;
};

enum class SuiteKind { gbench, command };

struct SuiteConfig {
    std::string name;
    SuiteKind kind = SuiteKind::gbench;
    int line = 0;  // where the [[suite]] starts, for messages

    // Google Benchmark binary
    std::filesystem::path binary;
    std::string filter;              // --benchmark_filter; empty: every benchmark
    std::optional<int> repetitions;  // else the file's, else k_default_repetitions
    std::vector<std::string> args;   // extra flags for the binary

    // Plain command: argv (a string in the file is run with /bin/sh -c)
    std::vector<std::string> command;
    int warmup_runs = 0;
    std::optional<int> runs;             // else the file's repetitions, else the default
    std::filesystem::path results_file;  // a result file the command writes; empty: none
    std::string results_format = "auto";
    std::vector<std::string> params;  // fields of the result file that become params (records)
    std::vector<std::string> ignore_fields;  // fields that are neither params nor metrics

    // Both
    std::filesystem::path working_dir;  // default: the directory of the file; empty: ours
    std::optional<double> timeout_seconds;
    std::vector<std::pair<std::string, std::string>> env;
    std::map<std::string, MetricRule> metrics;
};

struct RunConfig {
    std::filesystem::path source;  // the file, as given (empty for a config built from flags)
    std::optional<std::string> project;
    std::optional<std::string> testbed;
    std::optional<std::string> baseline_branch;
    std::optional<int> repetitions;
    std::optional<double> timeout_seconds;  // per suite, unless the suite says otherwise
    std::map<std::string, MetricRule> metrics;
    std::vector<SuiteConfig> suites;
};

// Parses `text` as the contents of `source`.
core::Result<RunConfig> parse_config(std::string_view text, const std::filesystem::path& source);

// Reads and parses a file (errors name it).
core::Result<RunConfig> load_config(const std::filesystem::path& file);

// dir/perftrack.toml when it exists.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& dir);

// The rule for `metric` in `suite`: the suite's keys win over the file-wide ones, key by key.
MetricRule metric_rule(const RunConfig& config, const SuiteConfig& suite,
                       const std::string& metric);

// The effective counts and limits of a suite after the file-wide defaults.
int effective_repetitions(const RunConfig& config, const SuiteConfig& suite);
std::optional<double> effective_timeout_seconds(const RunConfig& config, const SuiteConfig& suite);

}  // namespace perftrack::runner
