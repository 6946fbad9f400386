// check_from_json is check_json's inverse: `check --server` prints the server's check through
// the same renderers as `check --db`, so every rendering must come out byte-identical.
#include "reports/output/check_json_reader.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "reports/output/check_output.hpp"

namespace perftrack::reports::output {
namespace {

using detect::RerunStage;
using detect::Status;

detect::SeriesVerdict verdict(const std::string& name, Status status, double change) {
    detect::SeriesVerdict v;
    v.series.suite = "suite <x>";
    v.series.benchmark = name;
    v.series.params = {{"n", 1024}, {"mode", "a|b"}};
    v.series.metric = "real_time";
    v.series.unit = "ns";
    v.status = status;
    v.change = change;
    v.ci_low = change - 0.012345678901234567;
    v.ci_high = change + 0.1 / 3;
    v.p_value = 1e-9;
    v.q_value = 2.5e-7;
    v.baseline_commits = 30;
    v.level_commits = 12;
    v.baseline_median = 1234.5678901234567;
    v.baseline_value = 1234.0 / 3;
    v.candidate_value = 1234.0 / 3 * (1 + change);
    v.candidate_median = 1.0 / 7;
    v.baseline_from = "aaaa";
    v.baseline_to = "bbbb";
    v.candidate_runs = 3;
    v.runs_used = 3;
    return v;
}

detect::CheckResult result(bool pull_request) {
    detect::CheckResult r;
    r.project = "demo";
    r.testbed = "ci-x86";
    r.branch = pull_request ? "feature/y" : "main";
    r.commit = "0123456789abcdef0123";
    r.baseline_branch = "main";
    r.baseline_commit = "fedcba9876543210";
    r.pull_request = pull_request;
    r.alpha = 0.01;
    r.thresholds.min_change = 0.02;
    r.thresholds.exact_tolerance = 0.001;
    auto reg = verdict("BM_a", Status::regression, 0.146);
    reg.since = "cccc";
    reg.note = "a step since cccc";
    reg.rerun_stage = RerunStage::confirmed;
    reg.rerun_change = 0.15;
    auto pending = verdict("BM_b", Status::unchanged, 0.3);
    pending.pending = true;
    pending.rerun_stage = RerunStage::cleared;
    pending.note = "one run is off";
    auto fresh = verdict("BM_new", Status::new_series, std::nan(""));
    fresh.ci_low = fresh.ci_high = fresh.p_value = fresh.q_value =
        std::numeric_limits<double>::quiet_NaN();
    fresh.baseline_from.reset();
    fresh.baseline_to.reset();
    auto exact = verdict("BM_exact", Status::improvement, -0.05);
    exact.exact = true;
    exact.series.direction = core::Direction::higher;
    exact.rerun_stage = RerunStage::undecided;
    r.results = {reg, pending, fresh, exact,
                 verdict("BM_short", Status::insufficient_data, std::nan(""))};
    r.notes = {"2 series skipped: no baseline runs"};
    return r;
}

TEST(CheckJsonReader, RoundTripsEveryRenderingByteForByte) {
    for (const bool pr : {false, true}) {
        const auto original = result(pr);
        const auto json = check_json(original);
        // Through text, as the server sends it.
        auto read = check_from_json(nlohmann::json::parse(json.dump(2)));
        ASSERT_TRUE(read) << read.error().message;
        EXPECT_EQ(check_json(*read).dump(2), json.dump(2));
        EXPECT_EQ(render_check_text(*read), render_check_text(original));
        EXPECT_EQ(render_check_text(*read, {true}), render_check_text(original, {true}));
        EXPECT_EQ(render_check_markdown(*read), render_check_markdown(original));
    }
}

TEST(CheckJsonReader, RefusesWhatIsNotACheckNamingThePath) {
    auto json = check_json(result(false));
    json["results"][1]["status"] = "worse";
    auto bad = check_from_json(json);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, core::ErrorKind::input);
    EXPECT_NE(bad.error().message.find("$.results[1].status"), std::string::npos)
        << bad.error().message;
    json = check_json(result(false));
    json["summary"].erase("commit");
    bad = check_from_json(json);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("$.summary.commit: missing"), std::string::npos)
        << bad.error().message;
    EXPECT_FALSE(check_from_json(nlohmann::json::array()));
    EXPECT_FALSE(check_from_json(R"({"results":"x","summary":{},"notes":[]})"_json));
}

}  // namespace
}  // namespace perftrack::reports::output
