#pragma once
// The result model: what one run measured, independent of the tool that measured
// it and of where it is stored. Adapters produce it, the store persists it, reports read it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/series_id.hpp"

namespace perftrack::core {

// Returns an error message when `params` is not an object of strings/numbers, else empty.
std::string params_problem(const Params& params);

// One series inside one run, with every repetition as a sample: samples[i] is repetition i.
struct Measurement {
    SeriesId series;
    std::vector<double> samples;
};

// A benchmark that ran but produced no usable value (SkipWithError, a crash, a failed run).
struct BenchmarkFailure {
    std::string suite;
    std::string benchmark;
    Params params = Params::object();
    std::string message;
};

// Where and what a run measured. Every field is optional while being gathered, because the
// command line, the result file, CI variables and git each fill in part of it (in that order
// of precedence; see merge_context).
struct RunContext {
    std::optional<std::string> project;
    std::optional<std::string> testbed;
    std::optional<std::string> branch;
    std::optional<std::string> commit;          // sha
    std::optional<std::string> commit_time;     // ISO 8601, as given
    std::optional<std::string> commit_subject;  // first line of the commit message
    std::optional<std::string> parent_commit;
    std::optional<std::string> run_id;       // explicit idempotency key
    std::optional<std::string> run_group;    // shards with the same group form one run
    std::optional<std::string> shard;        // "I/N" when sharded
    std::optional<std::string> ci_provider;  // github, gitlab, jenkins, buildkite, circleci
    std::optional<std::string> ci_run_key;   // stable id of the CI job attempt
    std::optional<std::string> ci_job_url;
    std::optional<std::string> pull_request;  // PR / MR number
    // Testbed fingerprint: CPU model, cores, memory, OS, compiler, library build type...
    nlohmann::json fingerprint = nlohmann::json::object();
};

// Fills every field of `into` that is empty from `from`; fingerprint keys likewise.
void merge_context(RunContext& into, const RunContext& from);

// Everything one result file (or one suite execution) produced.
struct RunResults {
    RunContext context;
    std::vector<Measurement> measurements;
    std::vector<BenchmarkFailure> failures;
    std::vector<std::string> warnings;  // things the user should know ("debug build", ...)
    std::vector<std::string> notes;     // informational ("stored medians only: ...")
};

// Totals for the one-line summaries that ingest and run print.
struct RunCounts {
    std::size_t benchmarks = 0;
    std::size_t metrics = 0;
    std::size_t series = 0;
    std::size_t samples = 0;
    std::size_t failures = 0;
};
RunCounts count(const RunResults& results);

}  // namespace perftrack::core
