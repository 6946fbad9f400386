#pragma once
// How the runner starts a benchmark process (through core/process.hpp): Ctrl-C stops it
// (interrupt.hpp), the last few KiB of its stderr are kept for the failure report, its stdout
// is only streamed to the observer unless the caller asks to keep it, and a program that cannot
// be started is a benchmark failure (exit 4), not an internal error.

#include "core/process.hpp"

namespace perftrack::runner::process {

// The stderr kept for a failure report.
constexpr std::size_t k_stderr_tail_bytes = 4096;

// A spec with the runner's defaults: stop on interrupt, keep the stderr tail, drop stdout.
core::ProcessSpec benchmark_spec();

// core::run_process, with a start failure reported as kind benchmark_failed.
core::Result<core::ProcessOutcome> run_benchmark(const core::ProcessSpec& spec,
                                                 core::ProcessObserver* observer = nullptr);

}  // namespace perftrack::runner::process
