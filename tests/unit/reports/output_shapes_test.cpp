// The renderings of checks and backtests: the JSON shapes scripts rely on, escaping of untrusted
// names in Markdown, colour only when asked. (The report's JSON: tests/unit/reports/render.)
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "reports/output/backtest_output.hpp"
#include "reports/output/check_output.hpp"
#include "tests/unit/reports/memory_history.hpp"

namespace perftrack::reports::output {
namespace {

using detect::Status;
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

detect::CheckResult sample_result() {
    detect::CheckResult r;
    r.project = "demo";
    r.testbed = "ci-x86";
    r.branch = "feature";
    r.commit = "0123456789abcdef0123";
    r.baseline_branch = "main";
    r.baseline_commit = "fedcba9876543210";
    r.pull_request = true;
    r.alpha = 0.01;
    detect::SeriesVerdict reg;
    reg.series.benchmark = "BM_<script>alert(1)</script>|x";
    reg.series.params = {{"n", 1024}};
    reg.series.metric = "real_time";
    reg.series.unit = "ns";
    reg.status = Status::regression;
    reg.change = 0.123;
    reg.ci_low = 0.1;
    reg.ci_high = 0.15;
    reg.p_value = 1e-6;
    reg.q_value = 2e-6;
    reg.since = r.commit;
    reg.baseline_commits = 30;
    reg.level_commits = 30;
    reg.baseline_median = 1000;
    reg.candidate_median = 1123;
    reg.candidate_runs = 1;
    detect::SeriesVerdict fresh;
    fresh.series.benchmark = "BM_new";
    fresh.series.metric = "real_time";
    fresh.series.unit = "ns";
    fresh.status = Status::new_series;
    fresh.candidate_runs = 1;
    fresh.candidate_median = 5;
    r.results = {reg, fresh};
    return r;
}

TEST(OutputShapes, CheckJsonFollowsTheContract) {
    const auto j = check_json(sample_result());
    ASSERT_TRUE(j.contains("results"));
    ASSERT_TRUE(j.contains("summary"));
    const auto& first = j["results"][0];
    for (const char* key : {"benchmark", "params", "metric", "unit", "direction", "status",
                            "change", "ci", "p_value", "q_value", "baseline", "candidate", "since"})
        EXPECT_TRUE(first.contains(key)) << key;
    EXPECT_EQ(first["status"], "regression");
    EXPECT_EQ(first["direction"], "lower");
    EXPECT_DOUBLE_EQ(first["ci"][0].get<double>(), 0.1);
    EXPECT_EQ(first["baseline"]["median"], 1000.0);
    const auto& second = j["results"][1];
    EXPECT_EQ(second["status"], "new");
    EXPECT_TRUE(second["change"].is_null());  // NaN never reaches JSON
    EXPECT_TRUE(second["p_value"].is_null());
    EXPECT_EQ(j["summary"]["regressions"], 1);
    EXPECT_EQ(j["summary"]["new"], 1);
    EXPECT_EQ(j["summary"]["series"], 2);
}

TEST(OutputShapes, MarkdownEscapesUntrustedNames) {
    const auto md = render_check_markdown(sample_result());
    EXPECT_EQ(md.find("<script>"), std::string::npos);
    EXPECT_NE(md.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(md.find("\\|x"), std::string::npos);  // a pipe cannot open a table cell
    EXPECT_NE(md.find("1 regression"), std::string::npos);
    EXPECT_NE(md.find("<details>"), std::string::npos);  // the rest is folded
    EXPECT_NE(md.find("+12.3%"), std::string::npos);
}

TEST(OutputShapes, TextIsAnAlignedTableWithColourOnlyWhenAsked) {
    const auto plain = render_check_text(sample_result(), {false});
    EXPECT_EQ(plain.find('\x1b'), std::string::npos);
    EXPECT_EQ(plain.rfind("STATUS", 0), 0u);
    // Columns line up: "BENCHMARK" starts where the first row's name starts.
    const auto header_end = plain.find('\n');
    const auto col = plain.find("BENCHMARK");
    EXPECT_EQ(plain.substr(header_end + 1 + col, 3), "BM_");
    EXPECT_NE(plain.find("perftrack check: 1 regression in 2 series"), std::string::npos);
    const auto coloured = render_check_text(sample_result(), {true});
    EXPECT_NE(coloured.find("\x1b[31m"), std::string::npos);
}

// Values print as the report prints them (core/display.hpp): scaled in their unit's family,
// the baseline's scale for both medians, missing numbers "n/a".
TEST(OutputShapes, TextAndMarkdownScaleUnitsLikeTheReport) {
    auto r = sample_result();
    r.results[0].series.unit = "seconds";  // as asv histories say
    r.results[0].baseline_median = 4.739e-05;
    r.results[0].candidate_median = 5.322e-05;
    r.results[1].candidate_median = 3.0 * 1024 * 1024;
    r.results[1].series.unit = "B";
    const auto text = render_check_text(r, {false});
    EXPECT_NE(text.find("real_time   47.4 \xC2\xB5s    53.2 \xC2\xB5s  +12.3%  [+10.0%, +15.0%]"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("real_time       n/a   3.00 MiB     n/a               n/a"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("e-05"), std::string::npos);
    EXPECT_NE(text.find("0123456789ab on feature vs main @ fedcba987654"), std::string::npos);
    const auto md = render_check_markdown(r);
    EXPECT_NE(md.find("| 47.4 \xC2\xB5s | 53.2 \xC2\xB5s | +12.3% | [+10.0%, +15.0%] |"),
              std::string::npos)
        << md;
}

TEST(OutputShapes, BacktestJsonListsEverySeries) {
    detect::BacktestResult r;
    r.commits = 3;
    r.checks = 2;
    detect::BacktestSeries quiet;
    quiet.id.benchmark = "BM_quiet";
    quiet.id.metric = "value";
    detect::BacktestSeries loud;
    loud.id.benchmark = "BM_loud";
    loud.id.metric = "value";
    loud.flags.push_back({2, "c2", "c1", Status::regression, 0.2, 0.1, 0.3, 1e-5, 1e-5, false});
    r.series = {quiet, loud};
    const auto j = backtest_json(r, {"p", "tb", "main", 0.01, 0.02});
    ASSERT_EQ(j["series"].size(), 2u);
    EXPECT_TRUE(j["series"][0]["flags"].empty());
    const auto& f = j["series"][1]["flags"][0];
    EXPECT_EQ(f["commit"], "c2");
    EXPECT_EQ(f["since"], "c1");
    EXPECT_EQ(f["status"], "regression");
    EXPECT_DOUBLE_EQ(f["change"].get<double>(), 0.2);
    EXPECT_EQ(j["summary"]["regressions"], 1);
    const auto text = render_backtest_text(r, {"p", "tb", "main", 0.01, 0.02});
    EXPECT_NE(text.find("c2  regression"), std::string::npos);
    EXPECT_NE(text.find("since c1"), std::string::npos);
}

}  // namespace
}  // namespace perftrack::reports::output
