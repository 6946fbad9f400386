#pragma once
// Deterministic synthetic histories and report models for the renderer's tests and benchmark:
// suites x benchmarks x params x metrics series over many runs with repetitions, noise, and
// steps at known runs (which become change points and, at the last run, verdicts), so tests
// know exactly what the page must show. Pure computation; no database.

#include <cstdint>
#include <string>
#include <vector>

#include "reports/render/report_model.hpp"
#include "store/store.hpp"

namespace perftrack::testing {

struct SyntheticSpec {
    std::size_t suites = 2;
    std::size_t benchmarks_per_suite = 3;
    // Each benchmark is measured for every combination of these params values.
    std::vector<std::string> frameworks = {"pytorch", "tensorflow"};
    std::vector<std::string> modes = {"eager", "compiled"};
    std::vector<std::int64_t> batch_sizes = {32};
    bool with_throughput = true;  // a second metric (items/s, higher is better)
    std::size_t runs = 40;
    std::size_t repetitions = 5;
    double noise = 0.01;  // relative standard deviation of a repetition
    // Every `step_every`-th series gets a +20 % step in the middle of the history, and every
    // `regress_every`-th a +15 % step over the last `late_step_commits` commits (a regression
    // verdict); 0 disables. (The detector confirms a step on the baseline branch at its second
    // commit, so 2 makes the real check flag it at the last commit.)
    std::size_t step_every = 5;
    std::size_t regress_every = 7;
    std::size_t improve_every = 11;  // a -15 % step over the last commits (an improvement)
    std::size_t late_step_commits = 1;
    std::uint64_t seed = 42;
};

store::History synthetic_history(const SyntheticSpec& spec);

// The report model of synthetic_history(spec) as the renderer tests want it, without the
// detector: trends with rolling bands, change points exactly at the injected mid-history steps,
// verdicts at the last commit exactly where steps were injected (regression / improvement,
// unchanged elsewhere), comparisons, alerts, and `generated_at_us` fixed so output is
// deterministic. (report_builder_test runs the real detector over synthetic_history.)
reports::render::ReportModel synthetic_report(const SyntheticSpec& spec);

// A report whose names, params and commit subjects are hostile (for the escaping tests):
// benchmark "<img src=x onerror=alert(1)>", a param value "</script><script>alert(2)</script>",
// a commit subject with "'&<>, a branch and project with markup.
reports::render::ReportModel hostile_report();

}  // namespace perftrack::testing
