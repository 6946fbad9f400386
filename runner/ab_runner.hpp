#pragma once
// A/B mode: a baseline binary (A) and a candidate binary (B) of the same Google Benchmark suite
// run in alternating rounds on the same machine: AB, BA, AB, BA, ... (any two consecutive rounds
// form an ABBA block, so a linear drift of the machine hits both sides equally). Each round runs
// every benchmark common to both binaries once per side (--benchmark_repetitions=1, random
// interleaving inside the process). Sample i of a series on either side comes from the same
// round, so the sides pair by index and the paired differences cancel what the round shared.
//
// Both sides are recorded as one run: every series carries the param ab_side = "baseline" or
// "candidate", and only rounds in which both sides produced a value are kept, so the sample
// arrays of the two sides always have equal length and pair position by position.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "runner/gbench_suite.hpp"
#include "runner/progress.hpp"
#include "runner/suite_outcome.hpp"

namespace perftrack::runner {

inline constexpr const char* k_ab_side_param = "ab_side";
inline constexpr const char* k_ab_baseline = "baseline";
inline constexpr const char* k_ab_candidate = "candidate";
// Rounds when nothing else says: ten pairs per benchmark, five ABBA blocks.
inline constexpr int k_default_ab_rounds = 10;

struct AbSpec {
    GbenchSuite baseline;   // binary, filter, args, env, working dir, adapter options
    GbenchSuite candidate;  // the same settings with the candidate binary
    int rounds = k_default_ab_rounds;
    std::optional<std::chrono::nanoseconds> timeout;  // for all rounds together
};

// true: the baseline runs first in round `index` (0-based): rounds alternate AB, BA, AB, ...
bool baseline_first(int index);

struct AbPlan {
    std::vector<std::string> common;  // benchmarks both binaries have, in the baseline's order
    std::vector<std::string> only_baseline;
    std::vector<std::string> only_candidate;
    bool same_lists = false;  // both list exactly `common`: the suite filter selects them
};

// Lists both binaries. Errors: either cannot list (kind benchmark_failed), or they have no
// benchmark in common (kind usage).
core::Result<AbPlan> plan_ab(const AbSpec& spec);

struct AbOutcome {
    SuiteOutcome suite;              // both sides' series (ab_side param) and failures
    std::vector<std::string> order;  // "AB" or "BA" for every round that completed
    std::size_t pairs = 0;           // series pairs recorded
    // What the store keeps about the comparison (run context "ab").
    nlohmann::json describe(const AbSpec& spec, const AbPlan& plan) const;
};

AbOutcome run_ab(const AbSpec& spec, const AbPlan& plan, Progress* progress);

}  // namespace perftrack::runner
