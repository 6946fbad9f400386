// perftrack db prune against a real PostgreSQL (started by ci/test.sh): what goes, what is
// protected (baseline windows, active alerts, change points, baseline resets), thinning, dry
// run, bad flags, and no loss while CI jobs ingest at the same time.
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/cli_schema_fixture.hpp"

namespace perftrack::testing {
namespace {

// An old history, written in SQL (ingesting hundreds of runs through the CLI would take
// minutes). Project demo, testbed ci, metric real_time:
//   main: commits c1..c200, one run each, commit c<g> (300 - g) days ago (so all older than
//         90 days); series b1 and b2 in every run, b3 only at every tenth commit;
//         (with `main_runs` and `series` >= 3: c<g> 100 days and (main_runs - g) hours ago, every
//         series b1..b<series> in every run)
//   pr-1: runs at c1..c5;   dev: one run a day old;
//   an open alert at c11, a resolved change-point alert at c21, a resolved check alert at c31,
//   a baseline reset at c41 (every testbed).
void write_history(const TestSchema& schema, int main_runs = 200, int series = 2) {
    const bool sparse_b3 = series < 3;
    pqxx::connection conn(schema.dsn());
    pqxx::work tx(conn);
    tx.exec(R"SQL(
INSERT INTO project (name) VALUES ('demo');
INSERT INTO testbed (project_id, name) SELECT id, 'ci' FROM project;
INSERT INTO branch (project_id, name) SELECT id, b FROM project, unnest(ARRAY['main', 'pr-1', 'dev']) b;
INSERT INTO metric (project_id, name, unit, direction) SELECT id, 'real_time', 'ns', 'lower' FROM project;
INSERT INTO commit (project_id, sha, commit_time) SELECT id, 'recent', now() - interval '1 day' FROM project;
)SQL");
    tx.exec_params(
        "INSERT INTO benchmark (project_id, name) SELECT p.id, 'b' || g FROM project p, "
        "generate_series(1, $1::int) g",
        series);
    tx.exec(
        "INSERT INTO benchmark (project_id, name) SELECT id, 'b3' FROM project "
        "ON CONFLICT DO NOTHING");
    if (sparse_b3)
        tx.exec_params(
            "INSERT INTO commit (project_id, sha, commit_time) SELECT p.id, 'c' || g, "
            "now() - (300 - g) * interval '1 day' FROM project p, generate_series(1, $1::int) g",
            main_runs);
    else
        tx.exec_params(
            "INSERT INTO commit (project_id, sha, commit_time) SELECT p.id, 'c' || g, "
            "now() - interval '100 days' - ($1::int - g) * interval '1 hour' "
            "FROM project p, generate_series(1, $1::int) g",
            main_runs);
    tx.exec(R"SQL(
INSERT INTO run (project_id, testbed_id, branch_id, commit_id, run_key, started_at, ended_at, status)
  SELECT c.project_id, t.id, b.id, c.id, b.name || '-' || c.sha, c.commit_time, c.commit_time, 'complete'
  FROM commit c JOIN testbed t ON true JOIN branch b ON true
  WHERE (b.name = 'main' AND c.sha <> 'recent')
     OR (b.name = 'pr-1' AND c.sha IN ('c1', 'c2', 'c3', 'c4', 'c5'))
     OR (b.name = 'dev' AND c.sha = 'recent');
INSERT INTO run_part (run_id, part_key, ingested_at) SELECT id, 'all', started_at FROM run;
)SQL");
    tx.exec_params(R"SQL(
INSERT INTO sample (run_id, benchmark_id, metric_id, samples)
  SELECT r.id, bm.id, m.id, ARRAY[1.0, 2.0, 3.0] FROM run r, benchmark bm, metric m
  WHERE bm.name <> 'b3' OR NOT $1::boolean)SQL",
                   sparse_b3);
    if (sparse_b3)
        tx.exec(R"SQL(
INSERT INTO sample (run_id, benchmark_id, metric_id, samples)
  SELECT r.id, bm.id, m.id, ARRAY[1.0, 2.0, 3.0]
  FROM run r JOIN commit c ON c.id = r.commit_id, benchmark bm, metric m
  WHERE bm.name = 'b3' AND r.run_key LIKE 'main-%' AND substr(c.sha, 2)::int % 10 = 0)SQL");
    tx.exec(R"SQL(
INSERT INTO alert (project_id, testbed_id, branch_id, benchmark_id, metric_id, source, status,
                   commit_id, last_commit_id, change_pct, resolved_at, resolution)
  SELECT p.id, t.id, b.id, bm.id, m.id, a.source, a.status, c.id, c.id, 12.5,
         CASE WHEN a.status = 'resolved' THEN now() END,
         CASE WHEN a.status = 'resolved' THEN 'manual' END
  FROM (VALUES ('c11', 'check', 'open'), ('c21', 'change_point', 'resolved'),
               ('c31', 'check', 'resolved')) a (sha, source, status)
  JOIN commit c ON c.sha = a.sha JOIN project p ON p.id = c.project_id
  JOIN testbed t ON t.project_id = p.id JOIN branch b ON b.project_id = p.id AND b.name = 'main'
  JOIN benchmark bm ON bm.project_id = p.id AND bm.name = 'b1' JOIN metric m ON m.project_id = p.id;
INSERT INTO baseline_reset (project_id, testbed_id, benchmark_glob, commit_id, reason)
  SELECT c.project_id, NULL, 'b*', c.id, 'intended' FROM commit c WHERE c.sha = 'c41';
)SQL");
    tx.commit();
}

class Prune : public CliAgainstTestSchema {
  protected:
    // perftrack db prune --db <schema> args...
    ProcessResult prune(std::vector<std::string> args) {
        args.insert(args.begin(), {"db", "prune", "--db", schema.dsn()});
        return run_perftrack(args, options());
    }
    long count(const std::string& sql) { return std::stol(schema.scalar(sql)); }
    bool has_run(const std::string& key) {
        return count(fmt::format("SELECT count(*) FROM run WHERE run_key = '{}'", key)) == 1;
    }
};

TEST_F(Prune, DeletesOldRunsAndKeepsWhatBaselinesAlertsChangePointsAndResetsNeed) {
    write_history(schema);
    ASSERT_EQ(count("SELECT count(*) FROM run"), 206);
    auto r = prune({"--older-than", "90d"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // main: the newest 128 runs are the check's window (warm-up 64 + block 64 with 30-run
    // baselines); of c1..c72, c10..c70 hold b3's newest points, c11 an open alert, c21 a change
    // point, c41 a reset: 62 runs go (2 series x 3 samples each). All of pr-1 goes.
    EXPECT_NE(r.out.find("deleted 67 run(s) (134 series values, 402 samples)"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("demo / ci / main: 62 run(s), 124 series values, 372 samples"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("demo / ci / pr-1: 5 run(s), 10 series values, 30 samples"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("kept 138 older run(s)"), std::string::npos) << r.out;

    EXPECT_EQ(count("SELECT count(*) FROM run"), 206 - 67);
    for (const char* kept : {"main-c73", "main-c200", "main-c10", "main-c70", "main-c11",
                             "main-c21", "main-c41", "dev-recent"})
        EXPECT_TRUE(has_run(kept)) << kept;
    for (const char* gone : {"main-c1", "main-c31", "main-c72", "pr-1-c1", "pr-1-c5"})
        EXPECT_FALSE(has_run(gone)) << gone;
    // Their samples and parts went with them; the kept runs still have all of theirs.
    EXPECT_EQ(count("SELECT count(*) FROM sample WHERE run_id NOT IN (SELECT id FROM run)"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM run_part"), 206 - 67);
    EXPECT_EQ(count("SELECT count(*) FROM sample"), (206 - 67) * 2 + 20);
    // Alerts and resets are untouched.
    EXPECT_EQ(count("SELECT count(*) FROM alert"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM baseline_reset"), 1);

    // A second prune finds nothing more.
    auto again = prune({"--older-than", "90d"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("deleted 0 run(s)"), std::string::npos) << again.out;
}

TEST_F(Prune, DryRunReportsTheSameAndDeletesNothing) {
    write_history(schema);
    const long samples = count("SELECT count(*) FROM sample");
    auto r = prune({"--older-than", "90d", "--dry-run"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("would delete 67 run(s) (134 series values, 402 samples)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("dry run: nothing was deleted"), std::string::npos) << r.out;
    EXPECT_EQ(count("SELECT count(*) FROM run"), 206);
    EXPECT_EQ(count("SELECT count(*) FROM sample"), samples);
}

TEST_F(Prune, NothingOlderThanTheCutoffNothingGoesAndOtherBranchesLoseEvenTheirNewestRuns) {
    write_history(schema);
    // Nothing is older than 400 days.
    auto none = prune({"--older-than", "400d"});
    ASSERT_EQ(none.exit_code, 0) << none.err;
    EXPECT_NE(none.out.find("deleted 0 run(s)"), std::string::npos) << none.out;
    EXPECT_EQ(count("SELECT count(*) FROM run"), 206);
    // A non-baseline branch loses even its newest run once it is old enough.
    auto hours = prune({"--older-than", "12h", "--baseline-branch", "main"});
    ASSERT_EQ(hours.exit_code, 0) << hours.err;
    EXPECT_FALSE(has_run("dev-recent"));
    // Naming dev a baseline branch too would have kept it.
    TestSchema other;
    write_history(other);
    auto kept = run_perftrack({"db", "prune", "--db", other.dsn(), "--older-than", "12h",
                               "--baseline-branch", "main", "--baseline-branch", "dev"},
                              options());
    ASSERT_EQ(kept.exit_code, 0) << kept.err;
    EXPECT_EQ(other.scalar("SELECT count(*) FROM run WHERE run_key = 'dev-recent'"), "1");
}

TEST_F(Prune, KeepEveryThinsTheOldRunsOfEachBranch) {
    write_history(schema);
    auto r = prune({"--older-than", "90d", "--keep-every", "10"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // main: of the 62 unprotected old runs, c1, c31, c51, c61 and c71 are every tenth (c11,
    // c21, c41 are protected anyway); pr-1 keeps c1.
    EXPECT_NE(r.out.find("demo / ci / main: 57 run(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("demo / ci / pr-1: 4 run(s)"), std::string::npos) << r.out;
    for (const char* kept : {"main-c1", "main-c31", "main-c51", "main-c61", "main-c71", "pr-1-c1"})
        EXPECT_TRUE(has_run(kept)) << kept;
    for (const char* gone : {"main-c2", "main-c32", "pr-1-c2"}) EXPECT_FALSE(has_run(gone)) << gone;
}

TEST_F(Prune, KeepMonthlyKeepsTheNewestRunOfEachMonth) {
    write_history(schema);
    const long months = count(
        "SELECT count(DISTINCT date_trunc('month', c.commit_time AT TIME ZONE 'UTC')) FROM run r "
        "JOIN commit c ON c.id = r.commit_id WHERE r.run_key LIKE 'pr-1-%'");
    const std::string newest_of_month = schema.scalar(
        "SELECT r.run_key FROM run r JOIN commit c ON c.id = r.commit_id "
        "WHERE r.run_key LIKE 'pr-1-%' ORDER BY c.commit_time DESC LIMIT 1");
    auto r = prune({"--older-than", "90d", "--keep-monthly"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count("SELECT count(*) FROM run WHERE run_key LIKE 'pr-1-%'"), months);
    EXPECT_TRUE(has_run(newest_of_month));
    // Every month of main's old history still has a run.
    EXPECT_EQ(count("SELECT count(*) FROM (SELECT date_trunc('month', commit_time AT TIME ZONE "
                    "'UTC') m FROM commit WHERE sha <> 'recent' GROUP BY 1) all_months "
                    "WHERE m NOT IN (SELECT date_trunc('month', c.commit_time AT TIME ZONE 'UTC') "
                    "FROM run r JOIN commit c ON c.id = r.commit_id "
                    "WHERE r.run_key LIKE 'main-%')"),
              0);
}

TEST_F(Prune, BadFlagsExitTwoWithAClearMessageAndDeleteNothing) {
    write_history(schema);
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--older-than", "90x"}, "--older-than \"90x\": expected a positive whole number"},
        {{"--older-than", "0d"}, "--older-than \"0d\""},
        {{"--older-than", "d"}, "--older-than \"d\""},
        {{"--older-than=-5d"}, "--older-than \"-5d\""},
        {{"--older-than", "90d", "--keep-every", "1"}, "--keep-every 1: must be at least 2"},
        {{"--older-than", "90d", "--keep-every", "3", "--keep-monthly"}, "excludes"},
        {{}, "--older-than is required"},
    };
    for (const auto& c : cases) {
        auto r = prune(c.args);
        EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.out << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    }
    EXPECT_EQ(count("SELECT count(*) FROM run"), 206);
}

// CI jobs keep ingesting while a prune deletes a large old history. Made deterministic: a
// late shard of an old run (main-c2) is being ingested in an open transaction, so the prune,
// having chosen its candidates, waits for that run's row lock; meanwhile eight new runs are
// ingested (they must not wait for the prune), then the shard commits. Every new run is stored
// whole, the late shard and its run survive, and the rest of the old history goes.
TEST_F(Prune, ConcurrentIngestLosesNothing) {
    write_history(schema, 2000, 20);
    const int jobs = 8;
    std::vector<std::filesystem::path> files;
    for (int i = 0; i < jobs; ++i) {
        nlohmann::json results = nlohmann::json::array();
        for (int s = 1; s <= 20; ++s)
            results.push_back({{"benchmark", fmt::format("b{}", s)},
                               {"metric", "real_time"},
                               {"unit", "ns"},
                               {"direction", "lower"},
                               {"samples", {1.0 + i, 2.0, 3.0, 4.0}}});
        nlohmann::json doc = {{"version", 1},
                              {"context",
                               {{"project", "demo"},
                                {"testbed", "ci"},
                                {"branch", i % 2 == 0 ? "main" : "pr-2"},
                                {"commit", fmt::format("new{}", i)},
                                {"run_id", fmt::format("new-run-{}", i)}}},
                              {"results", results}};
        files.push_back(dir.write(fmt::format("run{}.json", i), doc.dump()));
    }

    // The late shard, not yet committed.
    pqxx::connection shard_conn(schema.dsn());
    pqxx::work shard(shard_conn);
    shard.exec(R"SQL(
INSERT INTO benchmark (project_id, name) SELECT id, 'late' FROM project;
INSERT INTO run_part (run_id, part_key) SELECT id, 'shard 2/2' FROM run WHERE run_key = 'main-c2';
INSERT INTO sample (run_id, benchmark_id, metric_id, samples)
  SELECT r.id, bm.id, m.id, ARRAY[9.0, 9.5] FROM run r, benchmark bm, metric m
  WHERE r.run_key = 'main-c2' AND bm.name = 'late')SQL");

    auto opts = options();
    auto pruner = spawn_perftrack({"db", "prune", "--db", schema.dsn(), "--older-than", "90d"},
                                  opts, dir / "prune.out", dir / "prune.err");
    // Wait until the prune waits for main-c2's row lock.
    pqxx::connection watch(schema.dsn());
    const auto prune_waiting = [&] {
        pqxx::nontransaction tx(watch);
        return tx.exec(
                     "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                     "AND query LIKE '%FOR UPDATE OF r%'")[0][0]
                   .as<int>() == 1;
    };
    bool waiting = false;
    for (int i = 0; i < 600 && !waiting; ++i) {
        waiting = prune_waiting();
        if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(waiting) << read_file(dir / "prune.err");

    std::vector<core::RunningProcess> ingests;
    for (int i = 0; i < jobs; ++i)
        ingests.push_back(spawn_perftrack({"ingest", "--db", schema.dsn(), files[i].string()}, opts,
                                          dir / fmt::format("ingest{}.out", i),
                                          dir / fmt::format("ingest{}.err", i)));
    for (int i = 0; i < jobs; ++i)
        EXPECT_EQ(wait_child(ingests[i]), 0) << read_file(dir / fmt::format("ingest{}.err", i));
    // The ingests did not wait for the prune: it is still waiting.
    EXPECT_TRUE(prune_waiting());
    shard.commit();
    ASSERT_EQ(wait_child(pruner), 0) << read_file(dir / "prune.err");

    // Every new run, whole.
    EXPECT_EQ(count("SELECT count(*) FROM run WHERE run_key LIKE 'new-run-%'"), jobs);
    EXPECT_EQ(count("SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id "
                    "WHERE r.run_key LIKE 'new-run-%'"),
              jobs * 20);
    EXPECT_EQ(
        count("SELECT sum(cardinality(s.samples)) FROM sample s JOIN run r ON r.id = s.run_id "
              "WHERE r.run_key LIKE 'new-run-%'"),
        jobs * 20 * 4);
    // The late shard and the run it belongs to, whole.
    EXPECT_TRUE(has_run("main-c2"));
    EXPECT_EQ(count("SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id "
                    "WHERE r.run_key = 'main-c2'"),
              21);
    // The rest of the old history went, except what is protected: pr-1 entirely, main down to
    // its newest 128 runs (the prune chose before the new runs existed) and the protected
    // commits c11, c21, c41 (and c2).
    EXPECT_FALSE(has_run("main-c1"));
    EXPECT_FALSE(has_run("main-c3"));
    EXPECT_EQ(count("SELECT count(*) FROM run WHERE run_key LIKE 'pr-1-%'"), 0);
    const long main_left = count("SELECT count(*) FROM run WHERE run_key LIKE 'main-%'");
    EXPECT_EQ(main_left, 128 + 4);
    const std::string out = read_file(dir / "prune.out");
    EXPECT_NE(out.find("deleted "), std::string::npos) << out;
}

}  // namespace
}  // namespace perftrack::testing
