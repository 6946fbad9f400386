#include "tests/support/cli_process.hpp"

#include <chrono>
#include <stdexcept>

#include <gtest/gtest.h>

namespace perftrack::testing {

namespace {

// What a test keeps of a child's output: far more than any test prints.
constexpr std::size_t k_output_limit = std::size_t{256} << 20;

core::ProcessSpec spec_for(const std::vector<std::string>& argv, const ProcessOptions& o) {
    core::ProcessSpec spec;
    spec.argv = argv;
    spec.working_dir = o.cwd;
    spec.env.assign(o.env.begin(), o.env.end());
    spec.unset_env = o.unset_env;
    spec.stdin_text = o.stdin_text;
    spec.stdout_capture = {core::Capture::Keep::first, k_output_limit};
    spec.stderr_capture = {core::Capture::Keep::first, k_output_limit};
    spec.timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(o.timeout_seconds));
    spec.kill_grace = std::chrono::milliseconds(1000);
    return spec;
}

ProcessOptions perftrack_defaults(ProcessOptions o) {
    for (const char* name : {"PERFTRACK_DB", "DATABASE_URL"})
        if (o.env.count(name) == 0) o.unset_env.emplace_back(name);
    return o;
}

std::vector<std::string> perftrack_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv{perftrack_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

}  // namespace

std::string perftrack_binary() {
    return PERFTRACK_BINARY;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& o) {
    auto outcome = core::run_process(spec_for(argv, o));
    if (!outcome) {
        ADD_FAILURE() << outcome.error().message;
        return ProcessResult{127, "", outcome.error().message};
    }
    ProcessResult result{outcome->shell_status(), std::move(outcome->stdout_text),
                         std::move(outcome->stderr_text)};
    if (outcome->ending == core::Ending::timed_out)
        result.err += "\n[test harness: killed after timeout]\n";
    return result;
}

ProcessResult run_perftrack(const std::vector<std::string>& args, const ProcessOptions& options) {
    return run_process(perftrack_argv(args), perftrack_defaults(options));
}

core::RunningProcess spawn_perftrack(const std::vector<std::string>& args,
                                     const ProcessOptions& options,
                                     const std::filesystem::path& stdout_file,
                                     const std::filesystem::path& stderr_file) {
    core::ProcessSpec spec = spec_for(perftrack_argv(args), perftrack_defaults(options));
    spec.stdout_file = stdout_file;
    spec.stderr_file = stderr_file;
    spec.truncate_files = true;
    auto child = core::start_process(spec);
    if (!child) {
        ADD_FAILURE() << child.error().message;
        throw std::runtime_error(child.error().message);
    }
    return std::move(*child);
}

int wait_child(core::RunningProcess& child) {
    return child.wait().shell_status();
}

}  // namespace perftrack::testing
