// check, backtest, report and baseline reset against a real PostgreSQL through the built
// binary: check run at every commit agrees with backtest, exit codes, resets, pull requests.
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/cli_schema_fixture.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

using nlohmann::json;

constexpr std::size_t k_commits = 72;  // more than one replay block (64 commits)

std::string sha(std::size_t i) {
    return fmt::format("c{:04d}", i);
}
std::string when(std::size_t i) {
    return fmt::format("2024-03-{:02d}T{:02d}:00:00Z", 1 + i / 24, i % 24);
}

// Deterministic noise in [-1, 1] (no RNG: the values are the same on every machine).
double wobble(std::size_t i, std::size_t k) {
    return std::sin(static_cast<double>(i * 7919 + k * 104729) * 0.7071);
}

json commit_doc(std::size_t i, const std::string& branch = "main", double extra = 1.0) {
    json results = json::array();
    std::vector<double> slow, tp;
    for (std::size_t k = 0; k < 5; ++k) {
        // 10 % slower from commit 45 on; 12 % less throughput from commit 50 on.
        slow.push_back((i >= 45 ? 1100.0 : 1000.0) * extra * (1.0 + 0.006 * wobble(i, k)));
        tp.push_back((i >= 50 ? 8.8e5 : 1e6) * (1.0 + 0.006 * wobble(i + 3, k)));
    }
    results.push_back({{"benchmark", "BM_Sort"},
                       {"params", {{"n", 1024}}},
                       {"metric", "real_time"},
                       {"unit", "ns"},
                       {"direction", "lower"},
                       {"samples", slow}});
    results.push_back({{"benchmark", "BM_Parse"},
                       {"metric", "items_per_second"},
                       {"unit", "items/s"},
                       {"direction", "higher"},
                       {"samples", tp}});
    results.push_back({{"benchmark", "BM_Alloc"},
                       {"metric", "peak_memory"},
                       {"unit", "B"},
                       {"direction", "lower"},
                       {"samples", {i >= 60 ? 65537.0 : 65536.0}}});
    return {{"version", 1},
            {"context",
             {{"project", "demo"},
              {"testbed", "ci"},
              {"branch", branch},
              {"commit", sha(i)},
              {"commit_time", when(i)}}},
            {"results", results}};
}

class DetectIntegration : public CliAgainstTestSchema {
  protected:
    // The commit at which backtest flags BM_Sort.
    std::size_t first_flag_commit() {
        auto bt = perftrack_in("backtest", {"--branch", "main", "--format", "json"});
        const auto doc = json::parse(bt.out);
        for (const auto& s : doc["series"])
            if (s["benchmark"] == "BM_Sort" && !s["flags"].empty())
                return std::stoul(s["flags"][0]["commit"].get<std::string>().substr(1));
        ADD_FAILURE() << "BM_Sort was not flagged: " << bt.out;
        return 0;
    }
    ProcessResult perftrack_in(const std::string& verb, std::vector<std::string> args) {
        args.insert(args.begin(), verb);
        const std::vector<std::string> ids{"--project", "demo", "--testbed", "ci"};
        args.insert(args.begin() + 1, ids.begin(), ids.end());
        return perftrack(args);
    }
    void ingest_history() {
        std::vector<std::string> args{"ingest", "--format", "perftrack"};
        for (std::size_t i = 0; i < k_commits; ++i)
            args.push_back(dir.write(fmt::format("{:04d}.json", i), commit_doc(i).dump()).string());
        auto r = perftrack(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
};

TEST_F(DetectIntegration, CheckAtEveryCommitAgreesWithBacktest) {
    ingest_history();
    auto bt = perftrack_in("backtest", {"--branch", "main", "--format", "json"});
    ASSERT_EQ(bt.exit_code, 0) << bt.err;
    const auto backtest = json::parse(bt.out);
    std::set<std::pair<std::string, std::string>> flagged;
    for (const auto& s : backtest["series"])
        for (const auto& f : s["flags"])
            flagged.insert({s["benchmark"].get<std::string>(), f["commit"].get<std::string>()});
    // The three intended changes, each flagged once, within two commits of where it began.
    std::map<std::string, std::pair<std::size_t, std::string>> first_flag;
    for (const auto& s : backtest["series"]) {
        ASSERT_EQ(s["flags"].size(), 1u) << s.dump();
        const auto& f = s["flags"][0];
        first_flag[s["benchmark"].get<std::string>()] = {
            std::stoul(f["commit"].get<std::string>().substr(1)), f["since"].get<std::string>()};
        EXPECT_EQ(f["status"], "regression");
    }
    EXPECT_LE(first_flag["BM_Sort"].first - 45, 2u);
    EXPECT_EQ(first_flag["BM_Sort"].second, sha(45));
    EXPECT_LE(first_flag["BM_Parse"].first - 50, 2u);
    EXPECT_EQ(first_flag["BM_Alloc"].first, 60u);

    for (std::size_t i = 0; i < k_commits; ++i) {
        auto r =
            perftrack_in("check", {"--branch", "main", "--commit", sha(i), "--format", "json"});
        ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
        const auto out = json::parse(r.out);
        bool any_regression = false;
        for (const auto& v : out["results"]) {
            const bool flag = v["status"] == "regression" || v["status"] == "improvement";
            any_regression = any_regression || v["status"] == "regression";
            EXPECT_EQ(flag, flagged.count({v["benchmark"].get<std::string>(), sha(i)}) == 1)
                << v["benchmark"] << " at " << sha(i) << ": " << v.dump();
        }
        EXPECT_EQ(r.exit_code, any_regression ? 1 : 0) << sha(i);
    }
    // The checks continued from the detector states the previous ones saved
    // (detector_state.hpp); the same commit checked again, and after the states are dropped
    // (a full replay), gives the same verdicts.
    EXPECT_NE(schema.scalar("SELECT count(*) FROM detector_state"), "0");
    const std::string newest = sha(k_commits - 1);
    const std::vector<std::string> last{"--branch", "main", "--commit", newest, "--format", "json"};
    const auto kept = perftrack_in("check", last);
    schema.scalar("WITH d AS (DELETE FROM detector_state RETURNING 1) SELECT count(*) FROM d");
    const auto replayed = perftrack_in("check", last);
    EXPECT_EQ(kept.out, replayed.out);
}

TEST_F(DetectIntegration, ExitCodesAndFormats) {
    ingest_history();
    const std::string at = sha(first_flag_commit());
    auto fail = perftrack_in("check", {"--branch", "main", "--commit", at});
    EXPECT_EQ(fail.exit_code, 1) << fail.err;
    EXPECT_NE(fail.out.find("regression"), std::string::npos);
    EXPECT_EQ(fail.out.find('\x1b'), std::string::npos);  // NO_COLOR, and not a terminal
    auto report_only = perftrack_in(
        "check", {"--branch", "main", "--commit", at, "--no-fail", "--format", "markdown"});
    EXPECT_EQ(report_only.exit_code, 0) << report_only.err;
    EXPECT_EQ(report_only.out.rfind("### ", 0), 0u) << report_only.out;
    auto unknown = perftrack_in("check", {"--branch", "main", "--commit", "nope"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("has no runs"), std::string::npos) << unknown.err;
    auto bad_alpha = perftrack_in("check", {"--branch", "main", "--commit", at, "--alpha", "2"});
    EXPECT_EQ(bad_alpha.exit_code, 2);
    auto quiet = perftrack_in("check", {"--branch", "main", "--commit", sha(10)});
    EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
}

// Outside a git checkout (the fixture's temporary directory) and with no commit from a flag or
// CI, check picks the branch's newest stored commit, as report does, and says which on stderr.
TEST_F(DetectIntegration, CheckWithoutACommitOutsideGitChecksTheNewestStoredCommit) {
    // Ingested newest first: the newest commit is the newest by commit time, not the last stored.
    std::vector<std::string> args{"ingest", "--format", "perftrack"};
    for (std::size_t i = k_commits; i-- > 0;)
        args.push_back(dir.write(fmt::format("{:04d}.json", i), commit_doc(i).dump()).string());
    auto ingest = perftrack(args);
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

    ProcessOptions o = options();
    // No commit may come from this process's environment either (a CI job running the tests).
    o.unset_env = {"GITHUB_ACTIONS",   "GITHUB_SHA",        "GITLAB_CI",        "CI_COMMIT_SHA",
                   "JENKINS_URL",      "JENKINS_HOME",      "GIT_COMMIT",       "BUILDKITE",
                   "BUILDKITE_COMMIT", "CIRCLECI",          "CIRCLE_SHA1",      "PERFTRACK_COMMIT",
                   "PERFTRACK_BRANCH", "PERFTRACK_PROJECT", "PERFTRACK_TESTBED"};
    const auto run = [&](std::vector<std::string> a) {
        a.insert(a.begin() + 1, {"--db", schema.dsn(), "--project", "demo", "--testbed", "ci",
                                 "--branch", "main"});
        return run_perftrack(a, o);
    };
    const std::string newest = sha(k_commits - 1);
    auto check = run({"check", "--format", "json"});
    ASSERT_TRUE(check.exit_code == 0 || check.exit_code == 1) << check.err;
    const auto verdict = json::parse(check.out);
    EXPECT_EQ(verdict["summary"]["commit"], newest);
    EXPECT_EQ(check.err.find("no commit"), std::string::npos) << check.err;
    EXPECT_NE(check.err.find("perftrack: note: no --commit and no git commit here: checking " +
                             newest + ", the newest commit stored for branch main"),
              std::string::npos)
        << check.err;
    // The same verdict as with --commit given, and the commit report picks in the same place.
    auto explicit_commit = run({"check", "--format", "json", "--commit", newest});
    ASSERT_EQ(explicit_commit.exit_code, check.exit_code) << explicit_commit.err;
    EXPECT_EQ(json::parse(explicit_commit.out)["results"], verdict["results"]);
    EXPECT_EQ(explicit_commit.err.find("note: no --commit"), std::string::npos);
    auto report = run({"report", "--format", "json"});
    ASSERT_EQ(report.exit_code, 0) << report.err;
    EXPECT_EQ(json::parse(report.out)["verdicts"]["commit"], newest);
    // --quiet: no note; a branch with no runs has nothing to pick: still "no commit", exit 2.
    auto quiet = run({"check", "--quiet", "--format", "json"});
    EXPECT_EQ(quiet.exit_code, check.exit_code);
    EXPECT_EQ(quiet.err, "");
    auto empty = run_perftrack({"check", "--db", schema.dsn(), "--project", "demo", "--testbed",
                                "ci", "--branch", "nothing-here"},
                               o);
    EXPECT_EQ(empty.exit_code, 2) << empty.err;
    EXPECT_NE(empty.err.find("no commit: pass --commit (or run inside a git repository); branch "
                             "nothing-here of project demo on testbed ci has no stored runs"),
              std::string::npos)
        << empty.err;
}

TEST_F(DetectIntegration, BaselineResetSilencesAnIntendedChange) {
    ingest_history();
    // `baseline reset` is a sub-subcommand: its flags follow "reset".
    auto reset = run_perftrack(
        {"baseline", "reset", "--db", schema.dsn(), "--project", "demo", "--benchmark", "BM_S*",
         "--metric", "real_time", "--commit", sha(45), "--reason", "new sort"},
        options());
    ASSERT_EQ(reset.exit_code, 0) << reset.err;
    EXPECT_NE(reset.out.find("new sort"), std::string::npos);
    auto bt = perftrack_in("backtest", {"--branch", "main", "--format", "json"});
    ASSERT_EQ(bt.exit_code, 0) << bt.err;
    const auto doc = json::parse(bt.out);
    for (const auto& s : doc["series"])
        if (s["benchmark"] == "BM_Sort") {
            EXPECT_TRUE(s["flags"].empty()) << s.dump();
        }
    auto nowhere = run_perftrack({"baseline", "reset", "--db", schema.dsn(), "--project", "missing",
                                  "--benchmark", "*", "--commit", sha(1), "--reason", "x"},
                                 options());
    EXPECT_EQ(nowhere.exit_code, 2);
}

TEST_F(DetectIntegration, ReportFindsTheSteps) {
    ingest_history();
    auto r = perftrack_in("report", {"--branch", "main", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = json::parse(r.out);
    std::map<std::string, std::vector<std::string>> cps;
    for (const auto& s : report["series"]) {
        EXPECT_EQ(s["points"].size(), k_commits);
        for (const auto& c : s["change_points"])
            cps[s["benchmark"].get<std::string>()].push_back(c["commit"].get<std::string>());
    }
    EXPECT_EQ(cps["BM_Sort"], std::vector<std::string>{sha(45)});
    EXPECT_EQ(cps["BM_Parse"], std::vector<std::string>{sha(50)});
    EXPECT_EQ(cps["BM_Alloc"], std::vector<std::string>{sha(60)});
}

TEST_F(DetectIntegration, PullRequestComparesWithTheMergeBase) {
    ingest_history();
    // A PR branched at commit 30 (before main's steps) that makes BM_Sort 15 % slower.
    auto doc = commit_doc(30, "feature", 1.15);
    doc["context"]["commit"] = "pr1";
    doc["context"]["commit_time"] = when(k_commits);
    auto ingest =
        perftrack({"ingest", "--format", "perftrack", dir.write("pr.json", doc.dump()).string()});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    auto r = perftrack_in("check", {"--branch", "feature", "--commit", "pr1", "--base-commit",
                                    sha(30), "--format", "json"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto out = json::parse(r.out);
    EXPECT_TRUE(out["summary"]["pull_request"].get<bool>());
    EXPECT_EQ(out["summary"]["baseline_commit"], sha(30));
    for (const auto& v : out["results"]) {
        if (v["benchmark"] == "BM_Sort") {
            EXPECT_EQ(v["status"], "regression") << v.dump();
            EXPECT_NEAR(v["change"].get<double>(), 0.15, 0.03);
        } else {
            EXPECT_EQ(v["status"], "unchanged") << v.dump();
        }
    }
}

}  // namespace
}  // namespace perftrack::testing
