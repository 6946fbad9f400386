#include "reports/render/report_model.hpp"

#include <gtest/gtest.h>

namespace perftrack::reports::render {
namespace {

TEST(CommitUrl, FillsThePercentEncodedSha) {
    EXPECT_EQ(commit_url("https://github.com/o/r/commit/{sha}", "abc123"),
              "https://github.com/o/r/commit/abc123");
    EXPECT_EQ(commit_url("http://git/{sha}?x={sha}", "a b"), "http://git/a%20b?x=a%20b");
    EXPECT_EQ(commit_url("https://x/{sha}", "\"><script>"), "https://x/%22%3E%3Cscript%3E");
}

TEST(CommitUrl, OnlyHttpTemplatesBecomeLinks) {
    EXPECT_EQ(commit_url("", "abc"), "");
    EXPECT_EQ(commit_url("javascript:alert(1)//{sha}", "abc"), "");
    EXPECT_EQ(commit_url("JAVASCRIPT:alert(1)", "abc"), "");
    EXPECT_EQ(commit_url("data:text/html,{sha}", "abc"), "");
    EXPECT_EQ(commit_url("//evil/{sha}", "abc"), "");
}

ReportModel with_verdicts(std::vector<std::pair<VerdictStatus, double>> verdicts) {
    ReportModel m;
    for (const auto& [status, change] : verdicts) {
        SeriesReport s;
        s.id.benchmark = "b" + std::to_string(m.series.size());
        Verdict v;
        v.status = status;
        v.change = change;
        s.verdict = v;
        m.series.push_back(s);
    }
    SeriesReport unchecked;
    m.series.push_back(unchecked);
    return m;
}

TEST(FlaggedSeries, RegressionsFirstThenBySizeOfChange) {
    const auto m = with_verdicts({{VerdictStatus::improvement, -0.30},
                                  {VerdictStatus::regression, 0.05},
                                  {VerdictStatus::unchanged, 0.01},
                                  {VerdictStatus::regression, -0.20},
                                  {VerdictStatus::improvement, 0.50}});
    EXPECT_EQ(flagged_series(m), (std::vector<std::size_t>{3, 1, 4, 0}));
}

TEST(CountVerdicts, CountsEachStatusOnce) {
    const auto m = with_verdicts({{VerdictStatus::regression, 0.1},
                                  {VerdictStatus::insufficient_data, 0},
                                  {VerdictStatus::new_series, 0},
                                  {VerdictStatus::new_series, 0},
                                  {VerdictStatus::unchanged, 0}});
    const auto c = count_verdicts(m);
    EXPECT_EQ(c.regressions, 1u);
    EXPECT_EQ(c.improvements, 0u);
    EXPECT_EQ(c.unchanged, 1u);
    EXPECT_EQ(c.insufficient_data, 1u);
    EXPECT_EQ(c.new_series, 2u);
}

TEST(VerdictStatusNames, AreTheWordsOfTheDesign) {
    EXPECT_EQ(to_string(VerdictStatus::regression), "regression");
    EXPECT_EQ(to_string(VerdictStatus::improvement), "improvement");
    EXPECT_EQ(to_string(VerdictStatus::unchanged), "unchanged");
    EXPECT_EQ(to_string(VerdictStatus::insufficient_data), "insufficient_data");
    EXPECT_EQ(to_string(VerdictStatus::new_series), "new");
}

}  // namespace
}  // namespace perftrack::reports::render
