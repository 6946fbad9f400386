// `perftrack compare` through the real binary on real outputs: two Google Benchmark files
// before and after a real 4x slowdown of BM_Accumulate (tests/fixtures/formats/gbench/README.md),
// and the modes of one real run of the ML suite (--by mode --ref eager). Bad input is exit 2
// with a message naming the file.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::cli {
namespace {

std::string fixture(const std::string& relative) {
    return testing::project_fixture("formats/" + relative).string();
}
const std::string k_old = fixture("gbench/compare-old-1.7.1.json");
const std::string k_new = fixture("gbench/compare-new-1.7.1.json");

nlohmann::json json_of(const testing::ProcessResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

TEST(CompareCli, TwoGbenchFilesFindTheRealSlowdownWithItsInterval) {
    const auto r = testing::run_perftrack({"compare", k_old, k_new, "--format", "gbench",
                                           "--metric", "real_time", "--output-format", "json"});
    const auto j = json_of(r);
    EXPECT_EQ(j["reference"], k_old);
    std::size_t accumulate = 0;
    for (const auto& row : j["rows"]) {
        EXPECT_EQ(row["metric"], "real_time");
        EXPECT_EQ(row["reference"]["n"], 15) << "every repetition is a sample";
        EXPECT_EQ(row["candidate"]["n"], 15);
        EXPECT_EQ(row["method"], "unpaired");
        if (row["benchmark"].get<std::string>().starts_with("BM_Accumulate")) {
            ++accumulate;
            // Four times the work: the median ratio is far above 1 and so is the interval.
            EXPECT_EQ(row["verdict"], "worse") << row.dump();
            EXPECT_EQ(row["verdict_words"], "slower");
            EXPECT_GT(row["ratio"].get<double>(), 1.5) << row.dump();
            EXPECT_GT(row["ci"][0].get<double>(), 1.5) << row.dump();
            EXPECT_LT(row["q_value"].get<double>(), 1e-4);
        }
    }
    EXPECT_EQ(accumulate, 2u) << r.out;
    EXPECT_EQ(j["rows"].size(), 3u) << "BM_Accumulate/64, /512 and BM_Fill<int>";
}

TEST(CompareCli, TextIsTheDefaultAndFilterNarrowsTheTable) {
    const auto r = testing::run_perftrack(
        {"compare", k_old, k_new, "--metric", "real_time", "--filter", "Accumulate/512"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(k_new + " against " + k_old + ": 1 rows, 1 worse"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("slower"), std::string::npos);
    EXPECT_NE(r.out.find("  compare-old-1.7.1.json  compare-new-1.7.1.json  "), std::string::npos)
        << "columns named by the files' names:\n"
        << r.out;
    EXPECT_EQ(r.out.find("BM_Fill"), std::string::npos);

    const auto md = testing::run_perftrack(
        {"compare", k_old, k_new, "--metric", "real_time", "--output-format", "markdown"});
    ASSERT_EQ(md.exit_code, 0) << md.err;
    EXPECT_TRUE(md.out.starts_with("**")) << md.out;
    EXPECT_NE(md.out.find("| series | metric |"), std::string::npos) << md.out;
}

TEST(CompareCli, ThroughputOfTheSlowerBuildIsSlowerToo) {
    const auto j =
        json_of(testing::run_perftrack({"compare", k_old, k_new, "--metric", "throughput",
                                        "--filter", "BM_Accumulate", "--output-format", "json"}));
    ASSERT_EQ(j["rows"].size(), 2u) << j.dump();
    for (const auto& row : j["rows"]) {
        EXPECT_EQ(row["direction"], "higher");
        EXPECT_LT(row["ratio"].get<double>(), 0.67) << row.dump();
        EXPECT_EQ(row["verdict"], "worse");
        EXPECT_EQ(row["verdict_words"], "slower");
    }
}

TEST(CompareCli, ModesOfOneRealMlSuiteRunAgainstEager) {
    const auto r = testing::run_perftrack(
        {"compare", fixture("records/ml-suite-all-modes.json"), "--format", "records", "--params",
         "framework,mode,model,batch_size", "--ignore-fields", "num_iterations,warmup_time_ms",
         "--by", "mode", "--ref", "eager", "--metric", "step_time", "--output-format", "json"});
    const auto j = json_of(r);
    EXPECT_EQ(j["reference"], "mode=eager");
    ASSERT_FALSE(j["rows"].empty()) << r.out << r.err;
    bool compile = false;
    for (const auto& row : j["rows"]) {
        EXPECT_FALSE(row["params"].contains("mode")) << "the variants' param is the column";
        EXPECT_EQ(row["benchmark"], "train_step");
        EXPECT_EQ(row["unit"], "ns") << "the adapter keeps times in ns";
        EXPECT_EQ(row["reference"]["n"], 5) << "five measured steps per configuration";
        compile = compile || row["candidate_label"] == "mode=torch.compile";
    }
    EXPECT_TRUE(compile) << r.out;
}

TEST(CompareCli, BadInputIsExitTwoNamingTheFile) {
    testing::TempDir dir;
    const auto broken = dir.write("broken.json", R"({"benchmarks": [)");
    auto r = testing::run_perftrack({"compare", k_old, broken.string(), "--format", "gbench"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(broken.string()), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");

    r = testing::run_perftrack({"compare", k_old, (dir / "missing.json").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;

    r = testing::run_perftrack({"compare", k_old});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("exactly two files"), std::string::npos) << r.err;

    r = testing::run_perftrack({"compare"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("give two result files, or --vs COMMIT"), std::string::npos) << r.err;

    r = testing::run_perftrack({"compare", "--vs", "abcd", "--by", "mode", "--ref", "eager"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("choose one"), std::string::npos) << r.err;

    r = testing::run_perftrack({"compare", k_old, k_new, "--vs", "abcd"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("give no files with them"), std::string::npos) << r.err;

    r = testing::run_perftrack({"compare", k_old, fixture("gbench/plain-1.7.1.json")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("have no series in common"), std::string::npos) << r.err;

    r = testing::run_perftrack({"compare", k_old, "--by", "mode", "--ref", "eager"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(k_old + ": no series has the param 'mode'"), std::string::npos) << r.err;

    r = testing::run_perftrack({"compare", k_old, k_new, "--filter", "("});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--filter '(' is not a valid regular expression"), std::string::npos)
        << r.err;

    r = testing::run_perftrack({"compare", k_old, k_new, "--output-format", "html"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace perftrack::cli
