#include "reports/render/json_report.hpp"

#include <cmath>

#include "core/time.hpp"

namespace perftrack::reports::render {

namespace {

using nlohmann::json;

json number_or_null(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

json number_or_null(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

const std::string& commit_of(const ReportModel& m, std::uint32_t run) {
    static const std::string k_unknown;
    return run < m.runs.size() ? m.runs[run].commit : k_unknown;
}

json verdict_json(const Verdict& v) {
    json out = {{"status", to_string(v.status)},
                {"change", number_or_null(v.change)},
                {"ci", (v.ci_low && v.ci_high)
                           ? json::array({number_or_null(v.ci_low), number_or_null(v.ci_high)})
                           : json(nullptr)},
                {"p_value", number_or_null(v.p_value)},
                {"q_value", number_or_null(v.q_value)},
                {"baseline", {{"median", number_or_null(v.baseline_median)}}},
                {"candidate", {{"median", number_or_null(v.candidate_median)}}}};
    if (!v.note.empty()) out["note"] = v.note;
    return out;
}

json series_json(const ReportModel& m, const SeriesReport& s) {
    json points = json::array();
    for (const auto& p : s.points) {
        json point = {{"commit", commit_of(m, p.run)},      {"run", p.run},
                      {"median", number_or_null(p.median)}, {"min", number_or_null(p.min)},
                      {"max", number_or_null(p.max)},       {"repetitions", p.repetitions}};
        if (p.baseline) {
            point["baseline"] = {{"median", number_or_null(p.baseline->median)},
                                 {"low", number_or_null(p.baseline->low)},
                                 {"high", number_or_null(p.baseline->high)},
                                 {"runs", p.baseline->runs}};
        } else {
            point["baseline"] = nullptr;
        }
        points.push_back(std::move(point));
    }
    json change_points = json::array();
    for (const auto& c : s.change_points)
        change_points.push_back({{"commit", commit_of(m, c.run)},
                                 {"change", number_or_null(c.change)},
                                 {"p_value", number_or_null(c.p_value)}});
    return {{"suite", s.suite},
            {"benchmark", s.benchmark},
            {"params", s.params},
            {"metric", s.metric},
            {"unit", s.unit},
            {"direction", core::to_string(s.direction)},
            {"points", std::move(points)},
            {"change_points", std::move(change_points)},
            {"verdict", s.verdict ? verdict_json(*s.verdict) : json(nullptr)}};
}

}  // namespace

json report_json(const ReportModel& m) {
    json runs = json::array();
    for (const auto& r : m.runs)
        runs.push_back({{"commit", r.commit},
                        {"subject", r.subject},
                        {"commit_time", core::format_iso8601_utc(r.commit_time_us)},
                        {"partial", r.partial}});
    json series = json::array();
    for (const auto& s : m.series) series.push_back(series_json(m, s));

    const auto counts = count_verdicts(m);
    json flagged = json::array();
    for (const auto i : flagged_series(m)) flagged.push_back(i);
    json verdicts = {{"evaluated", m.verdict.evaluated},
                     {"commit", m.verdict.candidate_commit},
                     {"baseline", m.verdict.baseline},
                     {"summary",
                      {{"regression", counts.regressions},
                       {"improvement", counts.improvements},
                       {"unchanged", counts.unchanged},
                       {"insufficient_data", counts.insufficient_data},
                       {"new", counts.new_series}}},
                     {"flagged", std::move(flagged)}};
    if (!m.verdict.note.empty()) verdicts["note"] = m.verdict.note;

    json alerts = json::array();
    for (const auto& a : m.alerts.items) {
        alerts.push_back(
            {{"state", to_string(a.state)},
             {"series", a.series ? json(*a.series) : json(nullptr)},
             {"benchmark", a.benchmark},
             {"params", a.params},
             {"metric", a.metric},
             {"commit", a.commit},
             {"commit_subject", a.commit_subject},
             {"change", number_or_null(a.change)},
             {"opened_at", core::format_iso8601_utc(a.opened_at_us)},
             {"resolved_at", a.resolved_at_us ? json(core::format_iso8601_utc(*a.resolved_at_us))
                                              : json(nullptr)}});
    }
    json comparisons = json::array();
    for (const auto& g : m.comparisons) {
        json entries = json::array();
        for (const auto& e : g.entries)
            entries.push_back({{"series", e.series},
                               {"value", number_or_null(e.value)},
                               {"commit", commit_of(m, e.run)}});
        comparisons.push_back({{"metric", g.metric},
                               {"unit", g.unit},
                               {"direction", core::to_string(g.direction)},
                               {"dimensions", g.dimensions},
                               {"entries", std::move(entries)}});
    }
    return {
        {"project", m.header.project},
        {"branch", m.header.branch},
        {"testbeds", m.header.testbeds},
        {"generated_at", core::format_iso8601_utc(m.header.generated_at_us)},
        {"perftrack_version", m.header.perftrack_version},
        {"commit_url_template", m.header.commit_url_template},
        {"runs", std::move(runs)},
        {"verdicts", std::move(verdicts)},
        {"series", std::move(series)},
        {"comparisons", std::move(comparisons)},
        {"alerts",
         {{"tracked", m.alerts.tracked}, {"note", m.alerts.note}, {"items", std::move(alerts)}}},
        {"notes", m.notes}};
}

std::string render_json(const ReportModel& model) {
    return report_json(model).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace perftrack::reports::render
