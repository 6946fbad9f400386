// What a pull request's verdict rests on, in every rendering of the check: how many runs it
// used, whether re-runs confirmed it, and the change with its interval next to the two values
// it compares.
#include <string>

#include <gtest/gtest.h>

#include "reports/output/check_output.hpp"

namespace perftrack::reports::output {
namespace {

using detect::RerunStage;
using detect::Status;

detect::SeriesVerdict verdict(const std::string& name, Status status, RerunStage stage,
                              std::size_t runs_used) {
    detect::SeriesVerdict v;
    v.series.benchmark = name;
    v.series.metric = "real_time";
    v.series.unit = "us";
    v.status = status;
    v.rerun_stage = stage;
    v.runs_used = runs_used;
    v.candidate_runs = runs_used;
    v.baseline_value = 11.8;
    v.candidate_value = 13.52;
    v.change = 13.52 / 11.8 - 1.0;
    v.ci_low = 0.11;
    v.ci_high = 0.18;
    v.baseline_median = 11.8;
    v.candidate_median = 13.5;
    v.p_value = v.q_value = 0.001;
    return v;
}

detect::CheckResult pull_request() {
    detect::CheckResult r;
    r.project = "demo";
    r.testbed = "ci";
    r.branch = "feature";
    r.commit = "0123456789abcdef";
    r.baseline_branch = "main";
    r.pull_request = true;
    r.alpha = 0.01;
    auto confirmed = verdict("BM_parse", Status::regression, RerunStage::confirmed, 3);
    confirmed.note = "decided on 3 runs: the first +14.4 %, the 2 re-runs +14.6 % on their own";
    auto cleared = verdict("BM_spiky", Status::unchanged, RerunStage::cleared, 2);
    cleared.note = "the first run was +41.0 %, the 1 re-run +0.3 %: a one-off run, not a step";
    r.results = {confirmed, cleared,
                 verdict("BM_quiet", Status::unchanged, RerunStage::single_run, 1)};
    return r;
}

TEST(CheckOutputPullRequest, TextSaysHowManyRunsDecidedAndWhatTheReRunsDid) {
    const auto text = render_check_text(pull_request());
    EXPECT_NE(text.find("RUNS"), std::string::npos) << text;
    EXPECT_NE(text.find("3, re-runs confirm"), std::string::npos) << text;
    EXPECT_NE(text.find("2, re-run clears"), std::string::npos) << text;
    // The values the change compares, so the row adds up: 11.8 -> 13.5 µs is +14.6 %.
    EXPECT_NE(text.find("13.5 \xC2\xB5s"), std::string::npos) << text;
    EXPECT_NE(text.find("+14.6%"), std::string::npos) << text;
    EXPECT_NE(text.find("[+11.0%, +18.0%]"), std::string::npos) << text;
    // Notes: the regression's, and the one-off the re-run cleared.
    EXPECT_NE(text.find("decided on 3 runs"), std::string::npos) << text;
    EXPECT_NE(text.find("a one-off run, not a step"), std::string::npos) << text;
}

TEST(CheckOutputPullRequest, MarkdownCommentSaysTheSame) {
    const auto md = render_check_markdown(pull_request());
    EXPECT_NE(md.find("| Runs |"), std::string::npos) << md;
    EXPECT_NE(md.find("3, re-runs confirm"), std::string::npos) << md;
    EXPECT_NE(md.find("decided on 3 runs"), std::string::npos) << md;
    EXPECT_NE(md.find("a one-off run, not a step"), std::string::npos) << md;
}

TEST(CheckOutputPullRequest, JsonCarriesRunsUsedAndTheReRunOutcome) {
    const auto j = check_json(pull_request());
    const auto& first = j["results"][0];
    EXPECT_EQ(first["candidate"]["runs_used"], 3);
    EXPECT_EQ(first["candidate"]["reruns"], "confirmed");
    EXPECT_DOUBLE_EQ(
        first["candidate"]["value"].get<double>() / first["baseline"]["value"].get<double>() - 1.0,
        first["change"].get<double>());
    EXPECT_EQ(j["results"][1]["candidate"]["reruns"], "cleared");
    EXPECT_EQ(j["results"][2]["candidate"]["reruns"], "not_needed");
}

TEST(CheckOutputPullRequest, BaselineBranchChecksHaveNoRunsColumn) {
    auto r = pull_request();
    r.pull_request = false;
    EXPECT_EQ(render_check_text(r).find("RUNS"), std::string::npos);
    EXPECT_FALSE(check_json(r)["results"][0]["candidate"].contains("reruns"));
}

}  // namespace
}  // namespace perftrack::reports::output
