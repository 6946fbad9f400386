// The report's variant tables on real results (real PostgreSQL, ci/test.sh): the six runs of
// the ML framework suite in examples/ml/results/ (training at batch 32, inference at batch 1;
// runs 2-6 inference only), ingested at one commit. Every compared cell of the step-time and
// p95-latency tables must equal `perftrack compare --commit C --by mode --ref eager --metric M`;
// a stored failure (read back through HistoryReader::load_failures) shows as a failed cell.
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

const std::string k_results = PERFTRACK_SOURCE_DIR "/examples/ml/results/2026-12-06-run";
const std::string k_commit = "05cd22438e39cd9ebaf50620c6d4760f04309282";

struct Stored {
    TestSchema schema;
    std::vector<std::string> identity() const {
        return {"--db", schema.dsn(), "--project", "ml", "--testbed", "t", "--branch", "main"};
    }
    ProcessResult run(std::vector<std::string> args) const {
        const auto id = identity();
        args.insert(args.end(), id.begin(), id.end());
        return run_perftrack(args);
    }
    void ingest(const std::string& file, const std::string& run_id) const {
        const auto r =
            run({"ingest", "--format", "records", "--params", "framework,mode,model,batch_size",
                 "--ignore-fields", "num_iterations,warmup_time_ms", "--commit", k_commit,
                 "--commit-time", "2026-12-06T01:19:11Z", "--run-id", run_id, file});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
};

// The cell of `table` for a compare row: the row's params without framework, the column
// (framework, the candidate's mode).
const nlohmann::json* cell_for(const nlohmann::json& table, const nlohmann::json& row) {
    auto params = row["params"];
    const std::string framework = params["framework"];
    params.erase("framework");
    const std::string mode = row["candidate_label"].get<std::string>().substr(5);  // "mode="
    std::optional<std::size_t> column;
    for (std::size_t i = 0; i < table["columns"].size(); ++i) {
        const auto& v = table["columns"][i]["values"];
        if (v["framework"] == framework && v["mode"] == mode) column = i;
    }
    if (!column) return nullptr;
    for (const auto& r : table["rows"])
        if (r["benchmark"] == row["benchmark"] && r["params"] == params)
            return &r["cells"][*column];
    return nullptr;
}

TEST(ReportVariantsIntegration, CellsEqualCompareOnTheRealMlSuite) {
    Stored db;
    for (int i = 1; i <= 6; ++i)
        db.ingest(k_results + std::to_string(i) + ".json", "ml-run-" + std::to_string(i));

    const auto report = db.run({"report", "--format", "json", "--compare-metric", "step_time",
                                "--compare-metric", "p95_latency"});
    ASSERT_EQ(report.exit_code, 0) << report.err;
    const auto variants = nlohmann::json::parse(report.out)["variants"];
    ASSERT_TRUE(variants["enabled"].get<bool>());
    EXPECT_EQ(variants["commit"], k_commit);
    EXPECT_EQ(variants["runs"], 6);
    ASSERT_EQ(variants["tables"].size(), 2u);

    std::size_t checked = 0, significant = 0;
    for (const auto& table : variants["tables"]) {
        const std::string metric = table["metric"];
        const auto compared =
            db.run({"compare", "--commit", k_commit.substr(0, 8), "--by", "mode", "--ref", "eager",
                    "--metric", metric, "--output-format", "json"});
        ASSERT_EQ(compared.exit_code, 0) << compared.err;
        const auto rows = nlohmann::json::parse(compared.out)["rows"];
        ASSERT_FALSE(rows.empty());
        std::size_t compared_cells = 0;
        for (const auto& r : table["rows"])
            for (const auto& c : r["cells"]) compared_cells += c["kind"] == "compared" ? 1 : 0;
        EXPECT_EQ(compared_cells, rows.size()) << metric << ": one cell per compare row";
        for (const auto& row : rows) {
            const auto* cell = cell_for(table, row);
            ASSERT_NE(cell, nullptr) << metric << " " << row.dump();
            const auto& c = *cell;
            EXPECT_EQ(c["kind"], "compared");
            EXPECT_EQ(c["n"], row["candidate"]["n"]);
            EXPECT_DOUBLE_EQ(c["median"].get<double>(), row["candidate"]["median"].get<double>());
            EXPECT_DOUBLE_EQ(c["ratio"].get<double>(), row["ratio"].get<double>());
            EXPECT_EQ(c["ci"], row["ci"]);
            EXPECT_DOUBLE_EQ(c["p_value"].get<double>(), row["p_value"].get<double>());
            EXPECT_DOUBLE_EQ(c["q_value"].get<double>(), row["q_value"].get<double>());
            EXPECT_EQ(c["verdict"], row["verdict"]);
            EXPECT_EQ(c["verdict_words"], row["verdict_words"]);
            ++checked;
            if (row["verdict"] == "better" || row["verdict"] == "worse") ++significant;
        }
    }
    EXPECT_GT(checked, 20u);
    EXPECT_GT(significant, 10u) << "6 runs give p95 enough samples for significance";

    // JAX has no eager mode: its cells have values and say so.
    bool jax = false;
    for (const auto& r : variants["tables"][0]["rows"])
        for (const auto& c : r["cells"])
            if (c["kind"] == "unreferenced") {
                jax = true;
                EXPECT_EQ(c["note"], "no eager reference");
            }
    EXPECT_TRUE(jax);

    // A failed configuration stored with the commit (the suite's error record) is a failed cell.
    db.ingest(PERFTRACK_SOURCE_DIR "/tests/fixtures/formats/records/ml-suite-reference-failed.json",
              "ml-run-failed");
    const auto with_failure =
        db.run({"report", "--format", "json", "--compare-metric", "p95_latency"});
    ASSERT_EQ(with_failure.exit_code, 0) << with_failure.err;
    const auto t = nlohmann::json::parse(with_failure.out)["variants"]["tables"][0];
    std::size_t failed = 0, noted = 0;
    for (const auto& r : t["rows"])
        for (const auto& c : r["cells"]) {
            if (c["kind"] == "failed") {
                ++failed;
                EXPECT_NE(c["failure"].get<std::string>().find("eager reference failed"),
                          std::string::npos);
            } else if (!c["failure"].get<std::string>().empty()) {
                ++noted;  // jax mlp batch 1: measured in six runs, failed in this one
            }
        }
    EXPECT_EQ(failed, 1u) << "jax mlp at batch 32 was never measured, only failed";
    EXPECT_EQ(noted, 1u);
}

TEST(ReportVariantsIntegration, BadFlagsAreUsageErrors) {
    Stored db;
    auto r = db.run({"report", "--format", "json", "--compare-ref", "eager"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--compare-ref must be PARAM=VALUE"), std::string::npos) << r.err;
    r = db.run({"report", "--format", "json", "--compare-ref", "backend=onnx"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("not one of the --compare-by params"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace perftrack::testing
