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
    const std::vector<std::string> identity{"--db",      schema.dsn(), "--project", "p",
                                            "--testbed", "t",          "--branch",  "main"};
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

TEST(CompareIntegration, ModesOfAStoredCommitAgainstEager) {
    TestSchema schema;
    const std::string records =
        PERFTRACK_SOURCE_DIR "/tests/fixtures/formats/records/ml-suite-all-modes.json";
    const std::vector<std::string> identity{"--db",      schema.dsn(), "--project", "ml",
                                            "--testbed", "t",          "--branch",  "main",
                                            "--commit",  "cccc3333"};
    const std::vector<std::string> records_flags{
        "--format",        "records",
        "--params",        "framework,mode,model,batch_size",
        "--ignore-fields", "num_iterations,warmup_time_ms"};
    std::vector<std::string> ingest{"ingest"};
    ingest.insert(ingest.end(), identity.begin(), identity.end());
    ingest.insert(ingest.end(), records_flags.begin(), records_flags.end());
    ingest.push_back(records);
    auto r = run_perftrack(ingest);
    ASSERT_EQ(r.exit_code, 0) << r.err;

    std::vector<std::string> stored{"compare", "--by",     "mode",      "--ref",
                                    "eager",   "--metric", "step_time", "--output-format",
                                    "json"};
    stored.insert(stored.end(), identity.begin(), identity.end());
    r = run_perftrack(stored);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> file{"compare",         records, "--by",     "mode",
                                  "--ref",           "eager", "--metric", "step_time",
                                  "--output-format", "json"};
    file.insert(file.end(), records_flags.begin(), records_flags.end());
    const auto from_file = run_perftrack(file);
    ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
    const auto s = nlohmann::json::parse(r.out);
    const auto f = nlohmann::json::parse(from_file.out);
    ASSERT_EQ(s["rows"].size(), f["rows"].size());
    ASSERT_FALSE(s["rows"].empty());
    for (std::size_t i = 0; i < s["rows"].size(); ++i) {
        EXPECT_EQ(s["rows"][i]["candidate_label"], f["rows"][i]["candidate_label"]);
        EXPECT_EQ(s["rows"][i]["params"], f["rows"][i]["params"]);
        EXPECT_DOUBLE_EQ(s["rows"][i]["ratio"].get<double>(), f["rows"][i]["ratio"].get<double>());
        EXPECT_EQ(s["rows"][i]["verdict"], f["rows"][i]["verdict"]);
    }
}

}  // namespace
}  // namespace perftrack::testing
