#pragma once
// A check with two regressions (one with an awkward name), an improvement and an unchanged
// series, as the alert sinks receive it.

#include "alerts/notice.hpp"

namespace perftrack::alerts::test {

inline NoticeVerdict verdict(std::string benchmark, std::string metric, std::string status,
                             std::optional<double> change_pct) {
    NoticeVerdict v;
    v.series.benchmark = std::move(benchmark);
    v.series.metric = std::move(metric);
    v.series.unit = "ns";
    v.status = std::move(status);
    v.change_pct = change_pct;
    if (change_pct) {
        v.ci_low_pct = *change_pct - 1.5;
        v.ci_high_pct = *change_pct + 1.5;
        v.p_value = 0.0001;
        v.q_value = 0.0004;
        v.baseline_median = 100.0;
        v.candidate_median = 100.0 * (1 + *change_pct / 100);
    }
    return v;
}

inline CheckNotice sample_notice() {
    CheckNotice n;
    n.project = "demo";
    n.testbed = "ci-x86";
    n.branch = "feature/faster";
    n.commit = "0123456789abcdef0123456789abcdef01234567";
    n.pull_request = "42";
    n.report_url = "https://ci.example/runs/7";
    n.verdicts.push_back(verdict("BM_Sort/1024", "real_time", "regression", 12.34));
    auto odd = verdict("parse<json> & \"friends\"", "cpu_time", "regression", 25.0);
    odd.series.params = {{"size", 64}, {"mode", "fast"}};
    n.verdicts.push_back(odd);
    n.verdicts.push_back(verdict("BM_Hash", "real_time", "improvement", -8.0));
    n.verdicts.push_back(verdict("BM_Copy", "real_time", "unchanged", 0.3));
    n.new_alerts = 2;
    n.check_json = {
        {"results",
         nlohmann::json::array(
             {{{"benchmark", "BM_Sort/1024"}, {"status", "regression"}, {"change", 12.34}}})},
        {"summary", {{"regressions", 2}}}};
    n.markdown = "### perftrack\n\n2 regressions\n";
    return n;
}

}  // namespace perftrack::alerts::test
