#include "reports/output/backtest_output.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/display.hpp"
#include "core/model.hpp"
#include "reports/output/json_values.hpp"

namespace perftrack::reports::output {

namespace {
std::size_t count(const detect::BacktestResult& r, detect::Status s) {
    std::size_t n = 0;
    for (const auto& series : r.series)
        for (const auto& f : series.flags) n += f.status == s ? 1 : 0;
    return n;
}
}  // namespace

nlohmann::json backtest_json(const detect::BacktestResult& r, const BacktestContext& c) {
    nlohmann::json series = nlohmann::json::array();
    for (const auto& s : r.series) {
        nlohmann::json flags = nlohmann::json::array();
        for (const auto& f : s.flags) {
            flags.push_back({{"commit", f.commit},
                             {"since", f.since},
                             {"status", detect::to_string(f.status)},
                             {"change", number_or_null(f.change)},
                             {"ci", {number_or_null(f.ci_low), number_or_null(f.ci_high)}},
                             {"p_value", number_or_null(f.p_value)},
                             {"q_value", number_or_null(f.q_value)},
                             {"exact", f.exact}});
        }
        series.push_back({{"benchmark", s.id.benchmark},
                          {"suite", s.id.suite},
                          {"params", s.id.params},
                          {"metric", s.id.metric},
                          {"unit", s.id.unit},
                          {"direction", core::to_string(s.id.direction)},
                          {"flags", std::move(flags)}});
    }
    nlohmann::json summary = {{"project", c.project},
                              {"testbed", c.testbed},
                              {"branch", c.branch},
                              {"commits", r.commits},
                              {"checks", r.checks},
                              {"regressions", count(r, detect::Status::regression)},
                              {"improvements", count(r, detect::Status::improvement)},
                              {"alpha", c.alpha},
                              {"min_change", c.min_change}};
    return {{"series", std::move(series)}, {"summary", std::move(summary)}};
}

std::string render_backtest_text(const detect::BacktestResult& r, const BacktestContext& c) {
    struct Line {
        std::size_t position;
        std::string text;
    };
    std::vector<Line> lines;
    for (const auto& s : r.series) {
        for (const auto& f : s.flags) {
            std::string text = fmt::format(
                "{}  {:<11}  {:>7}  {:<18}  {} ({})", core::short_sha(f.commit),
                detect::to_string(f.status), core::format_change(f.change),
                core::format_interval(f.ci_low, f.ci_high), core::series_name(s.id), s.id.metric);
            if (f.since != f.commit) text += fmt::format("  since {}", core::short_sha(f.since));
            lines.push_back({f.position, std::move(text)});
        }
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return a.position < b.position; });
    std::string out;
    for (const auto& l : lines) out += l.text + "\n";
    out += fmt::format(
        "perftrack backtest: {} regression{} and {} improvement{} flagged over {} commits of {} "
        "({} checks of {} series)\n",
        count(r, detect::Status::regression), count(r, detect::Status::regression) == 1 ? "" : "s",
        count(r, detect::Status::improvement),
        count(r, detect::Status::improvement) == 1 ? "" : "s", r.commits, c.branch, r.checks,
        r.series.size());
    return out;
}

}  // namespace perftrack::reports::output
