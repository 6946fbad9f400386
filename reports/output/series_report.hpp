#pragma once
// The offline view of a branch: every series with one value per commit and the change points
// found in it. `perftrack report --format json` prints series_report_json(); the HTML report
// renders the same model.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/detect/changepoints.hpp"
#include "store/store.hpp"

namespace perftrack::reports::output {

struct ReportPoint {
    std::string commit;
    std::int64_t commit_time_us = 0;
    std::string subject;
    double value = 0;      // mean of the commit's run values (trimmed means of repetitions)
    std::size_t runs = 0;  // runs of the commit
};

struct ReportChangePoint {
    std::string commit;  // first commit at the new level
    double change = 0;   // relative change of the level (+0.1 = 10 % larger)
    double p_value = 1;
};

struct SeriesReport {
    store::SeriesInfo info;
    std::vector<ReportPoint> points;
    std::vector<ReportChangePoint> change_points;
};

struct BranchReport {
    std::string project, testbed, branch;
    std::vector<SeriesReport> series;  // in history order
};

BranchReport build_branch_report(const store::History& history, const std::string& project,
                                 const std::string& testbed, const std::string& branch,
                                 const detect::ChangePointSettings& settings = {});

// {"project","testbed","branch","series":[{"benchmark","suite","params","metric","unit",
// "direction","points":[{"commit","commit_time","subject","value","runs"}],
// "change_points":[{"commit","change","p_value"}]}]}
nlohmann::json series_report_json(const BranchReport& report);

}  // namespace perftrack::reports::output
