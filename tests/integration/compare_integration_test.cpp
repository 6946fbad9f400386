// perftrack compare on stored runs (real PostgreSQL, ci/test.sh): the real Google Benchmark
// files before and after a 4x slowdown, ingested at two commits, compared by commit (--commit
// CANDIDATE --vs REFERENCE) with the same answers as the files themselves.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

const std::string k_dir = PERFTRACK_SOURCE_DIR "/tests/fixtures/formats/gbench/";

TEST(CompareIntegration, TwoStoredCommitsGiveTheSameRowsAsTheFiles) {
    TestSchema schema;
    const std::vector<std::string> identity{"--db",     schema.dsn(), "--project", "p",
                                            "--testbed", "t",         "--branch",  "main"};
    const auto with = [&](std::vector<std::string> args) {
        args.insert(args.end(), identity.begin(), identity.end());
        return run_perftrack(args);
    };
    auto r = with({"ingest", "--format", "gbench", "--commit", "aaaa1111", "--commit-time",
                   "2026-12-01T10:00:00Z", k_dir + "compare-old-1.7.1.json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = with({"ingest", "--format", "gbench", "--commit", "bbbb2222", "--commit-time",
              "2026-12-02T10:00:00Z", k_dir + "compare-new-1.7.1.json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto stored = with({"compare", "--commit", "bbbb", "--vs", "aaaa", "--metric",
                              "real_time", "--output-format", "json"});
    ASSERT_EQ(stored.exit_code, 0) << stored.err;
    const auto files = run_perftrack({"compare", k_dir + "compare-old-1.7.1.json",
                                      k_dir + "compare-new-1.7.1.json", "--metric", "real_time",
                                      "--output-format", "json"});
    ASSERT_EQ(files.exit_code, 0) << files.err;
    const auto s = nlohmann::json::parse(stored.out);
    const auto f = nlohmann::json::parse(files.out);
    EXPECT_EQ(s["reference"], "aaaa1111");
    EXPECT_EQ(s["candidate"], "bbbb2222");
    EXPECT_EQ(s["rows"].size(), f["rows"].size());
    ASSERT_EQ(s["rows"].size(), 3u) << stored.out;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(s["rows"][i]["benchmark"], f["rows"][i]["benchmark"]);
        EXPECT_EQ(s["rows"][i]["verdict"], f["rows"][i]["verdict"]);
        EXPECT_DOUBLE_EQ(s["rows"][i]["ratio"].get<double>(), f["rows"][i]["ratio"].get<double>());
        EXPECT_DOUBLE_EQ(s["rows"][i]["p_value"].get<double>(),
                         f["rows"][i]["p_value"].get<double>());
    }

    const auto unknown = with({"compare", "--commit", "bbbb", "--vs", "cccc"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("no stored run at commit cccc (project p, testbed t, branch main)"),
              std::string::npos)
        << unknown.err;
}

}  // namespace
}  // namespace perftrack::testing
