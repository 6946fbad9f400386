#include "runner/process/benchmark_process.hpp"

#include "runner/process/interrupt.hpp"

namespace perftrack::runner::process {

core::ProcessSpec benchmark_spec() {
    core::ProcessSpec spec;
    spec.stdout_capture = {core::Capture::Keep::nothing, 0};
    spec.stderr_capture = {core::Capture::Keep::last, k_stderr_tail_bytes};
    spec.stop = {interrupt_fd(), [] { return pending_interrupt(); }};
    return spec;
}

core::Result<core::ProcessOutcome> run_benchmark(const core::ProcessSpec& spec,
                                                 core::ProcessObserver* observer) {
    auto outcome = core::run_process(spec, observer);
    if (!outcome) {
        core::Error error = outcome.error();
        error.kind = core::ErrorKind::benchmark_failed;
        return tl::unexpected(std::move(error));
    }
    return outcome;
}

}  // namespace perftrack::runner::process
