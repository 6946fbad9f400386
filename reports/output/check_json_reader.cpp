#include "reports/output/check_json_reader.hpp"

#include <limits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "core/series_id.hpp"
#include "reports/output/json_fields.hpp"

namespace perftrack::reports::output {

namespace {

using detect::RerunStage;
using detect::Status;
using nlohmann::json;

using json_fields::at;
using json_fields::BadField;
using json_fields::count;
using json_fields::flag;
using json_fields::number;
using json_fields::text;
using json_fields::text_or_null;

Status status_named(const std::string& name, const std::string& where) {
    for (const Status s : {Status::regression, Status::improvement, Status::unchanged,
                           Status::insufficient_data, Status::new_series})
        if (detect::to_string(s) == name) return s;
    throw BadField(fmt::format("{}: unknown status \"{}\"", where, name));
}

RerunStage stage_named(const std::string& name, const std::string& where) {
    for (const RerunStage s : {RerunStage::single_run, RerunStage::wanted, RerunStage::confirmed,
                               RerunStage::cleared, RerunStage::undecided})
        if (detect::to_string(s) == name) return s;
    throw BadField(fmt::format("{}: unknown re-run stage \"{}\"", where, name));
}

detect::SeriesVerdict verdict_from(const json& j, const std::string& path, bool pull_request) {
    detect::SeriesVerdict v;
    v.series.benchmark = text(j, "benchmark", path);
    v.series.suite = text(j, "suite", path);
    v.series.params = at(j, "params", path);
    if (!v.series.params.is_object()) throw BadField(path + ".params: not an object");
    v.series.metric = text(j, "metric", path);
    v.series.unit = text(j, "unit", path);
    const auto direction = core::parse_direction(text(j, "direction", path));
    if (!direction) throw BadField(path + ".direction: not lower or higher");
    v.series.direction = *direction;
    v.status = status_named(text(j, "status", path), path + ".status");
    v.change = number(j, "change", path);
    const json& ci = at(j, "ci", path);
    if (!ci.is_array() || ci.size() != 2) throw BadField(path + ".ci: not [low, high]");
    v.ci_low = number(ci[0], path + ".ci[0]");
    v.ci_high = number(ci[1], path + ".ci[1]");
    v.p_value = number(j, "p_value", path);
    v.q_value = number(j, "q_value", path);
    v.since = text_or_null(j, "since", path);
    v.pending = flag(j, "pending", path);
    v.exact = flag(j, "exact", path);
    v.note = text_or_null(j, "note", path).value_or("");
    const std::string bpath = path + ".baseline";
    const json& b = at(j, "baseline", path);
    v.baseline_commits = count(b, "commits", bpath);
    v.level_commits = count(b, "level_commits", bpath);
    v.baseline_median = number(b, "median", bpath);
    v.baseline_value = number(b, "value", bpath);
    v.baseline_from = text_or_null(b, "from", bpath);
    v.baseline_to = text_or_null(b, "to", bpath);
    const std::string cpath = path + ".candidate";
    const json& c = at(j, "candidate", path);
    v.candidate_runs = count(c, "runs", cpath);
    v.runs_used = count(c, "runs_used", cpath);
    v.candidate_median = number(c, "median", cpath);
    v.candidate_value = number(c, "value", cpath);
    if (pull_request) {
        v.rerun_stage = stage_named(text(c, "reruns", cpath), cpath + ".reruns");
        v.rerun_change = number(c, "rerun_change", cpath);
    }
    return v;
}

detect::CheckResult read(const json& doc) {
    detect::CheckResult r;
    const json& s = at(doc, "summary", "$");
    const std::string spath = "$.summary";
    r.project = text(s, "project", spath);
    r.testbed = text(s, "testbed", spath);
    r.branch = text(s, "branch", spath);
    r.commit = text(s, "commit", spath);
    r.baseline_branch = text(s, "baseline_branch", spath);
    r.baseline_commit = text_or_null(s, "baseline_commit", spath);
    r.pull_request = flag(s, "pull_request", spath);
    r.alpha = number(s, "alpha", spath);
    r.thresholds.min_change = number(s, "min_change", spath);
    r.thresholds.exact_tolerance = number(s, "exact_tolerance", spath);
    const json& results = at(doc, "results", "$");
    if (!results.is_array()) throw BadField("$.results: not an array");
    for (std::size_t i = 0; i < results.size(); ++i)
        r.results.push_back(
            verdict_from(results[i], fmt::format("$.results[{}]", i), r.pull_request));
    const json& notes = at(doc, "notes", "$");
    if (!notes.is_array()) throw BadField("$.notes: not an array");
    for (const auto& n : notes) {
        if (!n.is_string()) throw BadField("$.notes: not strings");
        r.notes.push_back(n.get<std::string>());
    }
    return r;
}

}  // namespace

core::Result<detect::CheckResult> check_from_json(const nlohmann::json& doc) {
    try {
        return read(doc);
    } catch (const BadField& e) {
        return core::fail(core::ErrorKind::input, fmt::format("check JSON: {}", e.what()));
    } catch (const nlohmann::json::exception& e) {
        return core::fail(core::ErrorKind::input, fmt::format("check JSON: {}", e.what()));
    }
}

}  // namespace perftrack::reports::output
