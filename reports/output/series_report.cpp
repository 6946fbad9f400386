#include "reports/output/series_report.hpp"

#include "core/model.hpp"
#include "core/time.hpp"
#include "reports/detect/series_data.hpp"
#include "reports/output/json_values.hpp"

namespace perftrack::reports::output {

BranchReport build_branch_report(const store::History& history, const std::string& project,
                                 const std::string& testbed, const std::string& branch,
                                 const detect::ChangePointSettings& settings) {
    BranchReport report{project, testbed, branch, {}};
    const auto timeline = detect::build_timeline(history);
    for (const auto& series : history.series) {
        SeriesReport s;
        s.info = series.info;
        const auto points = detect::series_points(series, timeline);
        for (const auto& p : points) {
            const auto& slot = timeline.commits[p.position];
            double sum = 0.0;
            for (double v : p.runs) sum += v;
            s.points.push_back({slot.commit, slot.commit_time_us, slot.subject,
                                sum / static_cast<double>(p.runs.size()), p.runs.size()});
        }
        for (const auto& cp : detect::find_change_points(points, settings))
            s.change_points.push_back(
                {timeline.commits[cp.position].commit, cp.change, cp.p_value});
        report.series.push_back(std::move(s));
    }
    return report;
}

nlohmann::json series_report_json(const BranchReport& report) {
    nlohmann::json series = nlohmann::json::array();
    for (const auto& s : report.series) {
        nlohmann::json points = nlohmann::json::array();
        for (const auto& p : s.points)
            points.push_back({{"commit", p.commit},
                              {"commit_time", core::format_iso8601_utc(p.commit_time_us)},
                              {"subject", p.subject},
                              {"value", number_or_null(p.value)},
                              {"runs", p.runs}});
        nlohmann::json cps = nlohmann::json::array();
        for (const auto& c : s.change_points)
            cps.push_back({{"commit", c.commit},
                           {"change", number_or_null(c.change)},
                           {"p_value", number_or_null(c.p_value)}});
        series.push_back({{"benchmark", s.info.benchmark},
                          {"suite", s.info.suite},
                          {"params", s.info.params},
                          {"metric", s.info.metric},
                          {"unit", s.info.unit},
                          {"direction", core::to_string(s.info.direction)},
                          {"points", std::move(points)},
                          {"change_points", std::move(cps)}});
    }
    return {{"project", report.project},
            {"testbed", report.testbed},
            {"branch", report.branch},
            {"series", std::move(series)}};
}

}  // namespace perftrack::reports::output
