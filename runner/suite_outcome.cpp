#include "runner/suite_outcome.hpp"

#include <string_view>

namespace perftrack::runner {

std::string tail_for_message(const std::string& text, std::size_t max_bytes) {
    std::string_view t(text);
    while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.remove_suffix(1);
    if (t.size() > max_bytes) {
        t = t.substr(t.size() - max_bytes);
        if (const auto nl = t.find('\n'); nl != std::string_view::npos) t.remove_prefix(nl + 1);
    }
    return std::string(t);
}

void add_suite_failure(SuiteOutcome& outcome, const std::string& stored_suite,
                       const std::string& suite_name, std::string message) {
    core::BenchmarkFailure f;
    f.suite = stored_suite;
    f.benchmark = suite_name;
    f.message = std::move(message);
    if (const auto tail = tail_for_message(outcome.stderr_tail, k_stored_stderr_bytes);
        !tail.empty())
        f.message += "; stderr: " + tail;
    outcome.results.failures.push_back(std::move(f));
}

}  // namespace perftrack::runner
