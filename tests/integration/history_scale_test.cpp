// Reading history at scale (issue 16): `check` reads only the window of runs its verdict rests
// on, and those windowed reads give exactly the verdicts of detection over the whole history;
// the reads of check and report use indexes, never a sequential scan of the sample table.
#include <cmath>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/detect/backtest.hpp"
#include "reports/detect/check.hpp"
#include "reports/detect/regressing_steps.hpp"
#include "reports/output/check_output.hpp"
#include "store/pg/pg_store.hpp"
#include "tests/support/test_database.hpp"
#include "tests/unit/reports/memory_history.hpp"

namespace perftrack {
namespace {

constexpr std::size_t k_main_commits = 300;  // several replay blocks (64 commits each)
constexpr std::size_t k_benchmarks = 20;     // x 2 metrics, + 1 deterministic series
constexpr std::int64_t k_hour_us = 3600LL * 1000000;

std::string sha(const std::string& branch, std::size_t i) {
    return fmt::format("{}-{:04d}", branch, i);
}

// Deterministic noise in [-1, 1] (no RNG: the same values on every machine).
double wobble(std::size_t i, std::size_t k) {
    return std::sin(static_cast<double>(i * 7919 + k * 104729) * 0.7071);
}

store::RunToStore run_of(const std::string& testbed, const std::string& branch, std::size_t i,
                         std::int64_t time_us, double scale = 1.0) {
    store::RunToStore r;
    r.project = "demo";
    r.testbed = testbed;
    r.branch = branch;
    r.commit = sha(branch, i);
    r.commit_time_us = time_us;
    r.run_key = fmt::format("{}/{}/{}", testbed, branch, i);
    r.part_key = "all";
    r.started_at_us = r.ended_at_us = time_us;
    for (std::size_t b = 0; b < k_benchmarks; ++b) {
        // Every third benchmark steps once, at a different commit each (some inside the
        // warm-up of a replay window, some at block boundaries).
        const bool stepped = b % 3 == 0 && i >= (b * 37 + 20) % k_main_commits;
        for (const bool throughput : {false, true}) {
            core::Measurement m;
            m.series.benchmark = fmt::format("BM_{}", b);
            m.series.params = {{"n", 64 << (b % 4)}};
            m.series.metric = throughput ? "items_per_second" : "real_time";
            m.series.unit = throughput ? "items/s" : "ns";
            m.series.direction = throughput ? core::Direction::higher : core::Direction::lower;
            const double level = (throughput ? 1e6 : 1000.0 * static_cast<double>(b + 1)) *
                                 (stepped ? (throughput ? 0.88 : 1.12) : 1.0) * scale;
            for (std::size_t k = 0; k < 5; ++k)
                m.samples.push_back(level *
                                    (1.0 + 0.006 * wobble(i + b, k + (throughput ? 7 : 0))));
            r.results.measurements.push_back(std::move(m));
        }
    }
    core::Measurement bytes;
    bytes.series.benchmark = "alloc";
    bytes.series.metric = "peak_memory";
    bytes.series.unit = "B";
    bytes.samples = {i >= 210 ? 65600.0 : 65536.0};
    r.results.measurements.push_back(std::move(bytes));
    return r;
}

// One populated database for every test here: main on testbed ci-a (the history checked), a
// pull request branch off it, and other testbeds and branches that make main a minority of
// the sample table, as in a team's database.
class HistoryScale : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_schema = std::make_unique<testing::TestSchema>();
        auto store = store::pg::connect(s_schema->dsn());
        for (std::size_t i = 0; i < k_main_commits; ++i)
            store->ingest(run_of("ci-a", "main", i, static_cast<std::int64_t>(i) * k_hour_us));
        // A pull request off main-0250: slower on every series.
        for (std::size_t i = 0; i < 2; ++i)
            store->ingest(run_of("ci-a", "feature", 250 + i,
                                 static_cast<std::int64_t>(250 + i) * k_hour_us + 60, 1.15));
        for (const char* testbed : {"ci-b", "ci-c", "ci-d"})
            for (const char* branch : {"main", "release"})
                for (std::size_t i = 0; i < 150; ++i)
                    store->ingest(
                        run_of(testbed, branch, i, static_cast<std::int64_t>(i) * k_hour_us));
        store::BaselineResetRequest reset;
        reset.project = "demo";
        reset.testbed = "ci-a";
        reset.benchmark_glob = "BM_3";
        reset.commit = sha("main", 180);
        reset.reason = "intended";
        ASSERT_TRUE(store->add_baseline_reset(reset));
        // Statistics, as autovacuum keeps them on a live database.
        s_schema->scalar("ANALYZE");
    }
    static void TearDownTestSuite() { s_schema.reset(); }

    static std::unique_ptr<testing::TestSchema> s_schema;
};
std::unique_ptr<testing::TestSchema> HistoryScale::s_schema;

TEST_F(HistoryScale, WindowedCheckGivesTheVerdictsOfTheWholeHistory) {
    auto store = store::pg::connect(s_schema->dsn());
    // The other way: every run of the branches read at once, then queried in memory.
    testing::MemoryReader whole;
    for (const char* branch : {"main", "feature"}) {
        auto h = store->load_history({"demo", "ci-a", branch, std::nullopt, std::nullopt});
        whole.resets = h.resets;
        whole.branches[branch] = std::move(h);
    }
    ASSERT_EQ(whole.branches["main"].runs.size(), k_main_commits);
    ASSERT_EQ(whole.resets.size(), 1u);
    const reports::detect::DetectionSettings settings;
    const auto backtest = reports::detect::run_backtest(whole.branches["main"], settings);
    std::map<std::pair<std::string, std::string>, const reports::detect::BacktestFlag*> flagged;
    for (const auto& s : backtest.series)
        for (const auto& f : s.flags) flagged[{s.id.key(), f.commit}] = &f;
    EXPECT_GE(flagged.size(), 10u);  // the steps of both metrics and the allocation growth

    std::size_t compared = 0, flags_seen = 0;
    // Block edges (64, 128, ...), their warm-ups, the steps' commits and the newest commit.
    const std::vector<std::size_t> commits{0,   1,   5,   30,  56,  57,  58,  63,  64,
                                           65,  127, 128, 130, 131, 132, 180, 181, 191,
                                           192, 205, 210, 211, 255, 256, 293, 294, 299};
    for (const std::size_t i : commits) {
        reports::detect::CheckRequest req{"demo", "ci-a",       "main",      sha("main", i),
                                          "main", std::nullopt, std::nullopt};
        auto windowed = reports::detect::run_check(*store, req, settings);
        auto in_memory = reports::detect::run_check(whole, req, settings);
        ASSERT_TRUE(windowed) << windowed.error().message;
        ASSERT_TRUE(in_memory) << in_memory.error().message;
        // Every field of every verdict, as the JSON output carries them.
        EXPECT_EQ(reports::output::check_json(*windowed).dump(),
                  reports::output::check_json(*in_memory).dump())
            << "at " << req.commit;
        for (const auto& v : windowed->results) {
            const auto it = flagged.find({v.series.key(), req.commit});
            const bool flag = v.status == reports::detect::Status::regression ||
                              v.status == reports::detect::Status::improvement;
            EXPECT_EQ(flag, it != flagged.end()) << v.series.key() << " at " << req.commit;
            if (flag && it != flagged.end()) {
                ++flags_seen;
                EXPECT_EQ(v.status, it->second->status);
                EXPECT_EQ(v.p_value, it->second->p_value);
                EXPECT_EQ(v.q_value, it->second->q_value);
                EXPECT_EQ(v.change, it->second->change);
                EXPECT_EQ(v.since, it->second->since);
            }
            ++compared;
        }
    }
    EXPECT_EQ(compared, commits.size() * (2 * k_benchmarks + 1));
    EXPECT_GE(flags_seen, 1u);

    // A pull request against the merge-base main-0250, both ways.
    reports::detect::CheckRequest pr{"demo", "ci-a",           "feature",   sha("feature", 251),
                                     "main", sha("main", 250), std::nullopt};
    auto windowed = reports::detect::run_check(*store, pr, settings);
    auto in_memory = reports::detect::run_check(whole, pr, settings);
    ASSERT_TRUE(windowed) << windowed.error().message;
    ASSERT_TRUE(in_memory) << in_memory.error().message;
    EXPECT_EQ(reports::output::check_json(*windowed).dump(),
              reports::output::check_json(*in_memory).dump());
    EXPECT_GT(windowed->count(reports::detect::Status::regression), 0u);
}

// Every (node type, relation) of an EXPLAIN (FORMAT JSON) plan, e.g. ("Index Scan", "sample").
void collect_scans(const nlohmann::json& node, std::set<std::pair<std::string, std::string>>& out) {
    if (node.is_array()) {
        for (const auto& n : node) collect_scans(n, out);
        return;
    }
    if (!node.is_object()) return;
    if (node.contains("Plan")) collect_scans(node["Plan"], out);
    if (node.contains("Node Type"))
        out.emplace(node["Node Type"].get<std::string>(), node.value("Relation Name", ""));
    if (node.contains("Plans")) collect_scans(node["Plans"], out);
}

std::set<std::pair<std::string, std::string>> scans_of(const std::string& plan_json) {
    std::set<std::pair<std::string, std::string>> out;
    collect_scans(nlohmann::json::parse(plan_json), out);
    return out;
}

bool scans(const std::set<std::pair<std::string, std::string>>& plan, const std::string& type,
           const std::string& relation) {
    return plan.count({type, relation}) > 0;
}

bool reads_by_index(const std::set<std::pair<std::string, std::string>>& plan,
                    const std::string& relation) {
    return scans(plan, "Index Scan", relation) || scans(plan, "Index Only Scan", relation) ||
           scans(plan, "Bitmap Heap Scan", relation);
}

TEST_F(HistoryScale, ChangePointsFromTheCheckWindowEqualTheirOwnRead) {
    auto store = store::pg::connect(s_schema->dsn());
    const reports::detect::DetectionSettings settings;
    std::size_t steps_seen = 0;
    // Early commits (the window starts at the first run), block edges, near the steps, newest.
    for (const std::size_t i : {3, 40, 59, 60, 64, 100, 127, 128, 181, 191, 205, 211, 240, 299}) {
        reports::detect::CheckRequest req{"demo", "ci-a",       "main",      sha("main", i),
                                          "main", std::nullopt, std::nullopt};
        req.change_points = true;
        const auto checked = reports::detect::run_check(*store, req, settings);
        ASSERT_TRUE(checked) << checked.error().message;
        ASSERT_TRUE(checked->regressing_steps) << "at " << req.commit;
        const store::HistoryQuery own{"demo", "ci-a", "main",
                                      static_cast<std::int64_t>(i) * k_hour_us,
                                      reports::detect::k_change_point_window_runs};
        const auto expected = reports::detect::regressing_steps(
            store->load_history(own), settings.alpha, settings.defaults.min_change);
        const auto& got = *checked->regressing_steps;
        ASSERT_EQ(got.size(), expected.size()) << "at " << req.commit;
        for (std::size_t k = 0; k < got.size(); ++k) {
            EXPECT_EQ(got[k].series.key(), expected[k].series.key()) << req.commit;
            EXPECT_EQ(got[k].commit, expected[k].commit) << req.commit;
            EXPECT_EQ(got[k].commit_time_us, expected[k].commit_time_us) << req.commit;
            EXPECT_EQ(got[k].change, expected[k].change) << req.commit;
            EXPECT_EQ(got[k].p_value, expected[k].p_value) << req.commit;
            EXPECT_EQ(got[k].level_before, expected[k].level_before) << req.commit;
            EXPECT_EQ(got[k].level_after, expected[k].level_after) << req.commit;
        }
        steps_seen += got.size();
    }
    EXPECT_GE(steps_seen, 3u);  // the checks above see some of the injected steps
}

TEST_F(HistoryScale, CheckAndReportReadsUseIndexes) {
    struct Read {
        const char* what;
        store::HistoryQuery query;
    };
    const std::int64_t newest = static_cast<std::int64_t>(k_main_commits - 1) * k_hour_us;
    const std::vector<Read> reads{
        {"check's replay window", {"demo", "ci-a", "main", newest, std::size_t{108}}},
        {"check's change-point window", {"demo", "ci-a", "main", newest, std::size_t{60}}},
        {"report's whole branch", {"demo", "ci-a", "main", std::nullopt, std::nullopt}},
        {"a pull request's commit",
         {"demo", "ci-a", "feature", 251 * k_hour_us + 60, std::size_t{1}}},
    };
    for (const auto& read : reads) {
        const auto plans = store::pg::explain_history_reads(s_schema->dsn(), read.query);
        ASSERT_EQ(plans.size(), 2u) << read.what;
        const auto listing = scans_of(plans[0]);
        const auto samples = scans_of(plans[1]);
        // The run listing touches no sample row; the sample read goes by index.
        for (const auto& [type, relation] : listing)
            EXPECT_NE(relation, "sample") << read.what << ": " << type << "\n" << plans[0];
        EXPECT_TRUE(reads_by_index(samples, "sample")) << read.what << ":\n" << plans[1];
        for (const auto& plan : {listing, samples})
            EXPECT_FALSE(scans(plan, "Seq Scan", "sample")) << read.what;
    }
    // The control: a query that must read the whole sample table is seen as a sequential scan
    // by the same plan walk, so the absence above means something.
    const auto control =
        scans_of(s_schema->scalar("EXPLAIN (FORMAT JSON) SELECT count(*) FROM sample WHERE "
                                  "cardinality(samples) > 3"));
    EXPECT_TRUE(scans(control, "Seq Scan", "sample"));
    EXPECT_FALSE(reads_by_index(control, "sample"));
    // An unknown branch reads nothing.
    const store::HistoryQuery unknown{"demo", "ci-a", "nope", std::nullopt, std::nullopt};
    EXPECT_TRUE(store::pg::explain_history_reads(s_schema->dsn(), unknown).empty());
}

}  // namespace
}  // namespace perftrack
