#include "core/model.hpp"

#include <cmath>
#include <set>

namespace perftrack::core {

std::string params_problem(const Params& params) {
    if (!params.is_object()) return "params must be a JSON object";
    for (const auto& [key, value] : params.items()) {
        if (key.empty()) return "params has an empty key";
        if (value.is_string()) continue;
        if (value.is_number()) {
            if (value.is_number_float() && !std::isfinite(value.get<double>()))
                return "params." + key + " is not a finite number";
            continue;
        }
        return "params." + key + " must be a string or a number, not " +
               std::string(value.type_name());
    }
    return {};
}

namespace {
void fill(std::optional<std::string>& into, const std::optional<std::string>& from) {
    if (!into && from) into = from;
}
}  // namespace

void merge_context(RunContext& into, const RunContext& from) {
    fill(into.project, from.project);
    fill(into.testbed, from.testbed);
    fill(into.branch, from.branch);
    fill(into.commit, from.commit);
    fill(into.commit_time, from.commit_time);
    fill(into.commit_subject, from.commit_subject);
    fill(into.parent_commit, from.parent_commit);
    fill(into.run_id, from.run_id);
    fill(into.run_group, from.run_group);
    fill(into.shard, from.shard);
    fill(into.ci_provider, from.ci_provider);
    fill(into.ci_run_key, from.ci_run_key);
    fill(into.ci_job_url, from.ci_job_url);
    fill(into.pull_request, from.pull_request);
    if (from.fingerprint.is_object()) {
        for (const auto& [key, value] : from.fingerprint.items())
            if (!into.fingerprint.contains(key)) into.fingerprint[key] = value;
    }
}

RunCounts count(const RunResults& results) {
    RunCounts c;
    std::set<std::string> benchmarks;
    std::set<std::pair<std::string, std::string>> metrics;
    for (const auto& m : results.measurements) {
        benchmarks.insert(m.series.suite + '\x1f' + m.series.benchmark + '\x1f' +
                          m.series.params.dump());
        metrics.insert({m.series.metric, m.series.unit});
        c.samples += m.samples.size();
    }
    c.benchmarks = benchmarks.size();
    c.metrics = metrics.size();
    c.series = results.measurements.size();
    c.failures = results.failures.size();
    return c;
}

}  // namespace perftrack::core
