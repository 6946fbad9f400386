#pragma once
// Running a Google Benchmark binary: list its benchmarks (--benchmark_list_tests), run them with
// JSON written to a temporary file (--benchmark_out), every repetition kept as a sample, random
// interleaving on, the binary's own output streamed through. A crash, a hang past the timeout
// or a non-zero exit keeps the benchmarks that finished (Google Benchmark flushes the file after
// each one) and records the unfinished ones as failures. Parsing goes through the gbench
// adapter (runner/adapters).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "formats/adapter.hpp"
#include "runner/process/benchmark_process.hpp"
#include "runner/progress.hpp"
#include "runner/suite_config.hpp"
#include "runner/suite_outcome.hpp"

namespace perftrack::runner {

struct GbenchSuite {
    std::string name;
    std::filesystem::path binary;
    std::string filter;  // --benchmark_filter; empty: every benchmark
    int repetitions = k_default_repetitions;
    std::vector<std::string> args;  // passed to the binary after perftrack's own flags
    std::filesystem::path working_dir;
    std::vector<std::pair<std::string, std::string>> env;
    std::optional<std::chrono::nanoseconds> timeout;  // for the whole suite
    formats::AdapterOptions adapter_options;
    // The user's own --benchmark_out: the JSON is left there too.
    std::filesystem::path keep_output;
};

// True when `file` looks like a Google Benchmark program: it references the library's symbols
// (dynamic linking) or contains its flag names (static linking). Reads the file, not runs it.
bool looks_like_gbench_binary(const std::filesystem::path& file);

// Takes the flags perftrack sets itself out of suite.args: --benchmark_filter=X becomes the
// filter, --benchmark_repetitions=N the repetitions, --benchmark_out=F keep_output. Errors (kind
// usage): --benchmark_list_tests, a --benchmark_out_format other than json, a bad number.
core::Result<void> absorb_gbench_args(GbenchSuite& suite);

// The benchmark names the binary would run with the suite's filter, in its order. Errors: the
// binary cannot be run or fails (kind benchmark_failed, with its stderr); the filter matches
// nothing (kind usage).
core::Result<std::vector<std::string>> list_gbench_benchmarks(const GbenchSuite& suite);

// A --benchmark_filter value matching exactly `names`: ^(a|b|c)$ with the POSIX extended
// regular expression specials escaped.
std::string exact_name_filter(const std::vector<std::string>& names);

// Google Benchmark writes its JSON file as it goes and flushes it after every benchmark, so a
// process that died leaves a file that ends after the last finished benchmark. This reads what
// is there (nlohmann's SAX parser) and keeps every complete part: each finished top-level member
// ("context") and each finished entry of "benchmarks"; the part being written when the text
// ends (or breaks) is dropped and `truncated` set. nullopt when nothing complete is left.
struct GbenchResults {
    nlohmann::json doc;  // an object, unless the text was complete JSON of another kind
    bool truncated = false;
};
std::optional<GbenchResults> parse_gbench_results(std::string_view text);

// One execution of the binary with a given filter and repetition count.
struct GbenchInvocation {
    std::optional<core::ProcessOutcome> child;  // empty when it could not be started
    std::string start_error;                    // why it could not be started
    nlohmann::json context;                     // the JSON "context", or null
    std::vector<nlohmann::json> entries;        // complete "benchmarks" entries
    bool truncated = false;                     // the file had to be closed
    std::string output_error;                   // the results file was missing or unreadable
    std::string warning;                        // something to tell the user (not a failure)
    bool ok() const { return child && child->ok() && output_error.empty(); }
};

// Runs the binary once. `deadline` bounds it (the suite's timeout); `names` (may be empty) are
// the benchmarks it should run, for progress.
GbenchInvocation invoke_gbench(const GbenchSuite& suite, const std::string& filter, int repetitions,
                               std::optional<std::chrono::nanoseconds> timeout,
                               const std::vector<std::string>& names, Progress* progress);

// The names (run_name) of the benchmarks that have entries.
std::vector<std::string> finished_names(const std::vector<nlohmann::json>& entries);

// An entry in Google Benchmark's own shape for a benchmark that did not finish
// (error_occurred, like SkipWithError), so the adapter names it like every other benchmark.
nlohmann::json unfinished_entry(const std::string& name, const std::string& message);

// Turns entries (plus their context) back into one JSON document and parses it with the gbench
// adapter.
core::Result<core::RunResults> parse_gbench_entries(const nlohmann::json& context,
                                                    std::vector<nlohmann::json> entries,
                                                    const GbenchSuite& suite);

// Runs `names` of the suite (all of them when `all` is true: then the suite's own filter is
// used instead of a list of names).
SuiteOutcome run_gbench_suite(const GbenchSuite& suite, const std::vector<std::string>& names,
                              bool all, Progress* progress);

}  // namespace perftrack::runner
