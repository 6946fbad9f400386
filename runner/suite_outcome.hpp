#pragma once
// What running one suite produced, whatever kind of suite it was.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "runner/testbed.hpp"

namespace perftrack::runner {

struct SuiteOutcome {
    std::string name;
    // Measurements of what finished, and one failure per benchmark that failed or did not
    // finish; the warnings and notes of the adapter that read the output.
    core::RunResults results;
    bool failed = false;      // the process or its output failed: `run` exits 4
    std::string failure;      // one line saying what failed, when failed
    std::string stderr_tail;  // the end of the failed process's stderr
    // Non-zero when perftrack itself was interrupted (the signal): the suite is incomplete and
    // the run must not be stored.
    int interrupt_signal = 0;
    std::size_t planned = 0;             // benchmarks (gbench) or measured runs (command) planned
    std::int64_t wall_ns = 0;            // the whole suite, perftrack's own work included
    std::int64_t child_wall_ns = 0;      // inside benchmark processes (fork to reap)
    std::vector<ProgramFacts> programs;  // what the programs said about their build
};

// How much of a failed process's stderr a stored failure message keeps.
inline constexpr std::size_t k_stored_stderr_bytes = 600;

// The last `max_bytes` of `text` at a line start, for failure messages that get stored.
std::string tail_for_message(const std::string& text, std::size_t max_bytes);

// Records `message` as a failure of the whole suite `suite_name` (its stored suite is
// `stored_suite`), with the end of the process's stderr, so the stored run is marked partial.
void add_suite_failure(SuiteOutcome& outcome, const std::string& stored_suite,
                       const std::string& suite_name, std::string message);

}  // namespace perftrack::runner
