// perftrack ingest against a real PostgreSQL (started by ci/test.sh): exact values, idempotency,
// concurrency, crash safety, bad input, unavailability.
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <signal.h>
#include <unistd.h>

#include "store/pg/pg_store.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

std::string native_run(const std::string& commit, const std::string& time,
                       const std::vector<double>& samples, const std::string& project = "demo") {
    nlohmann::json doc = {{"version", 1},
                          {"context",
                           {{"project", project},
                            {"testbed", "ci-x86"},
                            {"branch", "main"},
                            {"commit", commit},
                            {"commit_time", time}}},
                          {"results",
                           {{{"benchmark", "train_step/mlp"},
                             {"params", {{"framework", "pytorch"}, {"batch_size", 32}}},
                             {"metric", "step_time"},
                             {"unit", "ms"},
                             {"direction", "lower"},
                             {"samples", samples}},
                            {{"benchmark", "BM_Sort/1024"},
                             {"metric", "throughput"},
                             {"unit", "items/s"},
                             {"direction", "higher"},
                             {"samples", {1.5e6, 1.25e6}}}}}};
    return doc.dump();
}

// A run with `series` benchmark x metric series of `per_series` samples each.
std::string big_run(std::size_t series, std::size_t per_series, const std::string& run_id) {
    std::string out = fmt::format(
        R"({{"version":1,"context":{{"project":"big","testbed":"t","branch":"main","commit":"c1","run_id":"{}"}},"results":[)",
        run_id);
    for (std::size_t s = 0; s < series; ++s) {
        if (s > 0) out += ',';
        out += fmt::format(
            R"({{"benchmark":"bench_{}","params":{{"n":{}}},"metric":"real_time","unit":"ns","direction":"lower","samples":[)",
            s / 4, s % 4);
        for (std::size_t i = 0; i < per_series; ++i) {
            if (i > 0) out += ',';
            out += fmt::format("{}", 1000.0 + static_cast<double>((s * 31 + i * 7) % 997) / 8.0);
        }
        out += "]}";
    }
    return out + "]}";
}

class IngestIntegration : public ::testing::Test {
  protected:
    TestSchema schema;
    TempDir dir;

    ProcessResult ingest(const std::vector<std::string>& args, ProcessOptions options = {}) {
        std::vector<std::string> all{"ingest", "--db", schema.dsn()};
        all.insert(all.end(), args.begin(), args.end());
        if (options.env.count("PERFTRACK_HOME") == 0)
            options.env["PERFTRACK_HOME"] = (dir / "home").string();
        options.cwd = dir.path();  // not a git repository: context comes from files and flags
        return run_perftrack(all, options);
    }
    std::string q(const std::string& sql) { return schema.scalar(sql); }
};

TEST_F(IngestIntegration, StoresExactValuesAndReadsThemBack) {
    const auto f =
        dir.write("r.json", native_run("abc123", "2024-05-01T12:00:00Z", {12.1, 12.3, 0.1 + 0.2}));
    auto r = ingest({"--format", "perftrack", f.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 benchmarks, 2 metrics, 5 samples"), std::string::npos) << r.out;

    EXPECT_EQ(q("SELECT count(*) FROM run"), "1");
    EXPECT_EQ(q("SELECT c.commit_time = '2024-05-01T12:00:00Z'::timestamptz FROM commit c"), "t");
    // Exact doubles, in repetition order.
    pqxx::connection conn(schema.dsn());
    pqxx::nontransaction tx(conn);
    auto rows = tx.exec(
        "SELECT s.samples[1], s.samples[2], s.samples[3], m.unit, m.direction, b.params::text "
        "FROM sample s JOIN benchmark b ON b.id = s.benchmark_id JOIN metric m ON m.id = "
        "s.metric_id WHERE b.name = 'train_step/mlp'");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][0].as<double>(), 12.1);
    EXPECT_EQ(rows[0][1].as<double>(), 12.3);
    EXPECT_EQ(rows[0][2].as<double>(), 0.1 + 0.2);
    EXPECT_EQ(rows[0][3].as<std::string>(), "ms");
    EXPECT_EQ(rows[0][4].as<std::string>(), "lower");
    EXPECT_EQ(rows[0][5].as<std::string>(), R"({"framework": "pytorch", "batch_size": 32})");

    auto store = store::pg::connect(schema.dsn());
    const auto history =
        store->load_history({"demo", "ci-x86", "main", std::nullopt, std::nullopt});
    ASSERT_EQ(history.runs.size(), 1u);
    EXPECT_EQ(history.runs[0].commit, "abc123");
    ASSERT_EQ(history.series.size(), 2u);
    EXPECT_EQ(history.series[1].id.benchmark, "train_step/mlp");
    EXPECT_EQ(history.series[1].id.params["batch_size"], 32);
    EXPECT_EQ(history.series[1].points[0].samples, (std::vector<double>{12.1, 12.3, 0.1 + 0.2}));
    EXPECT_EQ(history.series[0].id.direction, core::Direction::higher);
}

// Samples travel as binary COPY (IEEE bits): the stored arrays must equal what the text COPY
// of earlier releases stored for the same values, extremes included (times are positive).
TEST_F(IngestIntegration, BinaryCopyStoresWhatTextCopyStored) {
    const std::vector<double> values{5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                                     1e-300, 123456789.12345679,      0.1 + 0.2,
                                     3.0};
    const auto f = dir.write("r.json", native_run("edge", "2024-05-01T12:00:00Z", values));
    auto r = ingest({"--format", "perftrack", f.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The literal the text COPY sent: shortest round-trip decimals.
    std::string literal = "{";
    for (std::size_t i = 0; i < values.size(); ++i)
        literal += fmt::format("{}{}", i > 0 ? "," : "", values[i]);
    literal += "}";
    EXPECT_EQ(q(fmt::format("SELECT s.samples::text = '{}'::float8[]::text FROM sample s JOIN "
                            "benchmark b ON b.id = s.benchmark_id WHERE b.name = 'train_step/mlp'",
                            literal)),
              "t");
}

TEST_F(IngestIntegration, ManyFilesWithOwnContextsAreOneRunEach) {
    std::vector<std::string> args{"--format", "perftrack"};
    for (int i = 0; i < 5; ++i)
        args.push_back(
            dir.write(fmt::format("c{}.json", i),
                      native_run(fmt::format("sha{}", i),
                                 fmt::format("2024-05-0{}T12:00:00Z", i + 1), {10.0 + i}))
                .string());
    auto r = ingest(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(q("SELECT count(*) FROM run"), "5");
    auto store = store::pg::connect(schema.dsn());
    const auto history =
        store->load_history({"demo", "ci-x86", "main", std::nullopt, std::nullopt});
    ASSERT_EQ(history.runs.size(), 5u);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(history.runs[static_cast<std::size_t>(i)].commit, fmt::format("sha{}", i));
    // Bounded history: the newest 2 runs up to the 4th commit.
    const auto bounded = store->load_history(
        {"demo", "ci-x86", "main", 1714737600LL * 1000000 /* 2024-05-03T12:00Z */, 2});
    ASSERT_EQ(bounded.runs.size(), 2u);
    EXPECT_EQ(bounded.runs[0].commit, "sha1");
    EXPECT_EQ(bounded.runs[1].commit, "sha2");
}

TEST_F(IngestIntegration, PartKeysAreTheOnesEarlierReleasesStored) {
    // perftrack 0.1 stored exactly these part keys for this real Google Benchmark output (the
    // FNV-1a offset basis they were made with is kept for them: core/fnv1a.hpp). A database
    // holding them must recognise the same file as already ingested, not store it twice.
    const std::string fixture =
        PERFTRACK_SOURCE_DIR "/tests/fixtures/formats/gbench/repetitions3-1.7.1.json";
    const std::vector<std::string> identity{"--project", "p",     "--testbed", "t",
                                            "--branch",  "main",  "--commit",  "c1",
                                            "--format",  "gbench"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = identity;
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back(fixture);
        return ingest(args);
    };
    auto first = with({"--run-id", "from-0.1"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto shard = with({"--run-id", "from-0.1", "--shard", "2/3"});
    ASSERT_EQ(shard.exit_code, 0) << shard.err;
    EXPECT_EQ(q("SELECT string_agg(part_key, '|' ORDER BY part_key) FROM run_part"),
              "4a25b4913b36cb92|shard 2/3 4a25b4913b36cb92");
    const std::string samples = q("SELECT sum(cardinality(samples)) FROM sample");
    auto again = with({"--run-id", "from-0.1"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("already ingested; nothing written"), std::string::npos) << again.out;
    EXPECT_EQ(q("SELECT sum(cardinality(samples)) FROM sample"), samples);
}

TEST_F(IngestIntegration, SameRunKeyTwiceStoresOneRun) {
    const auto f = dir.write("r.json", native_run("abc", "2024-05-01T12:00:00Z", {1, 2, 3}));
    auto first = ingest({"--run-id", "ci-42", f.string()});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto second = ingest({"--run-id", "ci-42", f.string()});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("already ingested; nothing written"), std::string::npos)
        << second.out;
    EXPECT_EQ(q("SELECT count(*) FROM run"), "1");
    EXPECT_EQ(q("SELECT sum(cardinality(samples)) FROM sample"), "5");
}

TEST_F(IngestIntegration, SameRunKeyFromTwoProcessesAtOnceStoresOneRun) {
    const auto f = dir.write("big.json", big_run(2000, 20, "same-key"));
    ProcessOptions o;
    o.env["PERFTRACK_HOME"] = (dir / "home").string();
    o.cwd = dir.path();
    std::vector<core::RunningProcess> pids;
    for (int i = 0; i < 2; ++i)
        pids.push_back(spawn_perftrack({"ingest", "--db", schema.dsn(), f.string()}, o,
                                       dir / fmt::format("out{}", i),
                                       dir / fmt::format("err{}", i)));
    for (std::size_t i = 0; i < pids.size(); ++i)
        EXPECT_EQ(wait_child(pids[i]), 0) << read_file(dir / fmt::format("err{}", i));
    EXPECT_EQ(q("SELECT count(*) FROM run"), "1");
    EXPECT_EQ(q("SELECT count(*) FROM sample"), "2000");
    EXPECT_EQ(q("SELECT sum(cardinality(samples)) FROM sample"), "40000");
    const std::string outs = read_file(dir / "out0") + read_file(dir / "out1");
    EXPECT_NE(outs.find("already ingested"), std::string::npos) << outs;
}

TEST_F(IngestIntegration, EightProcessesWithDifferentRunsAllLand) {
    ProcessOptions o;
    o.env["PERFTRACK_HOME"] = (dir / "home").string();
    o.cwd = dir.path();
    std::vector<core::RunningProcess> pids;
    for (int i = 0; i < 8; ++i) {
        const auto f =
            dir.write(fmt::format("r{}.json", i), big_run(500, 10, fmt::format("run-{}", i)));
        pids.push_back(spawn_perftrack({"ingest", "--db", schema.dsn(), f.string()}, o,
                                       dir / fmt::format("out{}", i),
                                       dir / fmt::format("err{}", i)));
    }
    for (std::size_t i = 0; i < pids.size(); ++i)
        EXPECT_EQ(wait_child(pids[i]), 0) << read_file(dir / fmt::format("err{}", i));
    EXPECT_EQ(q("SELECT count(*) FROM run"), "8");
    EXPECT_EQ(q("SELECT count(*) FROM benchmark"), "500");  // shared, not duplicated
    EXPECT_EQ(q("SELECT sum(cardinality(samples)) FROM sample"), "40000");
}

TEST_F(IngestIntegration, SigkillInTheMiddleLeavesNoTrace) {
    const auto f = dir.write("huge.json", big_run(100000, 30, "killed"));
    ProcessOptions o;
    o.env["PERFTRACK_HOME"] = (dir / "home").string();
    o.cwd = dir.path();
    // Migrate first so the kill lands in the ingest transaction, not in the migration.
    ASSERT_EQ(run_perftrack({"db", "migrate", "--db", schema.dsn()}, o).exit_code, 0);
    auto child =
        spawn_perftrack({"ingest", "--db", schema.dsn(), f.string()}, o, dir / "out", dir / "err");
    // Wait until the samples are streaming into the staging table, then kill -9.
    pqxx::connection watcher(test_dsn());
    bool streaming = false;
    for (int i = 0; i < 3000 && !streaming; ++i) {
        pqxx::nontransaction tx(watcher);
        streaming = tx.exec(
                          "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                          "'COPY sample%' AND pid <> pg_backend_pid()")[0][0]
                        .as<int>() > 0;
        if (!streaming) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(streaming) << "ingest never reached COPY: " << read_file(dir / "err");
    ::kill(child.pid(), SIGKILL);
    EXPECT_EQ(wait_child(child), 128 + SIGKILL);
    // The server aborts the transaction when it notices the client is gone.
    for (int i = 0; i < 500; ++i) {
        pqxx::nontransaction tx(watcher);
        if (tx.exec("SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                    "'COPY sample%' AND pid <> pg_backend_pid()")[0][0]
                .as<int>() == 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(q("SELECT count(*) FROM run"), "0");
    EXPECT_EQ(q("SELECT count(*) FROM run_part"), "0");
    EXPECT_EQ(q("SELECT count(*) FROM sample"), "0");
    EXPECT_EQ(q("SELECT count(*) FROM project"), "0");
    // And the same run can be ingested afterwards.
    const auto small = dir.write("again.json", big_run(10, 3, "killed"));
    auto r = ingest({small.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(q("SELECT count(*) FROM run"), "1");
}

TEST_F(IngestIntegration, BadFileAmongGoodOnesWritesNothing) {
    const auto good = dir.write("good.json", native_run("a", "2024-05-01T12:00:00Z", {1}));
    const auto bad = dir.write(
        "bad.json",
        R"({"version":1,"results":[{"benchmark":"x","metric":"t","unit":"ns","direction":"lower","samples":[1,-2]}]})");
    auto r = ingest({good.string(), bad.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("bad.json: results[0].samples[1]: a time must be greater than zero"),
              std::string::npos)
        << r.err;
    // Parsing failed before anything was written.
    EXPECT_EQ(q("SELECT count(*) FROM run"), "0");
}

TEST_F(IngestIntegration, MissingFileIsExit2) {
    auto r = ingest({(dir / "nope.json").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("nope.json: no such file"), std::string::npos) << r.err;
}

TEST_F(IngestIntegration, UnreachableDatabaseSpoolsAndPushUploads) {
    const auto f = dir.write("r.json", native_run("abc", "2024-05-01T12:00:00Z", {1, 2}));
    ProcessOptions o;
    o.env["PERFTRACK_HOME"] = (dir / "home").string();
    o.cwd = dir.path();
    const std::string dead = "postgresql://perf:hunter2secret@127.0.0.1:1/perf?connect_timeout=3";
    auto r = run_perftrack({"ingest", "--db", dead, "--run-id", "spooled-1", f.string()}, o);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_EQ((r.out + r.err).find("hunter2secret"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("spooled run spooled-1"), std::string::npos) << r.err;

    auto push = run_perftrack({"push", "--db", schema.dsn()}, o);
    ASSERT_EQ(push.exit_code, 0) << push.err;
    EXPECT_NE(push.out.find("pushed 1 of 1"), std::string::npos) << push.out;
    EXPECT_EQ(q("SELECT run_key FROM run"), "spooled-1");
    EXPECT_EQ(q("SELECT sum(cardinality(samples)) FROM sample"), "4");
    auto again = run_perftrack({"push", "--db", schema.dsn()}, o);
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_NE(again.out.find("nothing to push"), std::string::npos) << again.out;
}

TEST_F(IngestIntegration, ContextFromGithubActionsVariables) {
    const auto f = dir.write(
        "r.json",
        R"({"version":1,"results":[{"benchmark":"b","metric":"t","unit":"ns","direction":"lower","samples":[5]}]})");
    ProcessOptions o;
    o.env = {{"GITHUB_ACTIONS", "true"},        {"GITHUB_SHA", "0123456789abcdef"},
             {"GITHUB_REF", "refs/heads/main"}, {"GITHUB_REPOSITORY", "acme/engine"},
             {"GITHUB_RUN_ID", "777"},          {"GITHUB_RUN_ATTEMPT", "2"},
             {"GITHUB_JOB", "bench"},           {"PERFTRACK_TESTBED", "gha-ubuntu"}};
    auto r = ingest({f.string()}, o);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(q("SELECT name FROM project"), "engine");
    EXPECT_EQ(q("SELECT name FROM testbed"), "gha-ubuntu");
    EXPECT_EQ(q("SELECT name FROM branch"), "main");
    EXPECT_EQ(q("SELECT sha FROM commit"), "0123456789abcdef");
    EXPECT_EQ(q("SELECT run_key FROM run"),
              "github:acme/engine:777.2:bench:gha-ubuntu:0123456789abcdef");
    EXPECT_EQ(q("SELECT context->>'ci_job_url' FROM run"),
              "https://github.com/acme/engine/actions/runs/777");
    // The CI key makes a retried upload of the same results a no-op.
    auto again = ingest({f.string()}, o);
    EXPECT_NE(again.out.find("already ingested"), std::string::npos) << again.out;
}

TEST_F(IngestIntegration, ContextFromGitLabVariables) {
    const auto f = dir.write(
        "r.json",
        R"({"version":1,"results":[{"benchmark":"b","metric":"t","unit":"ns","direction":"lower","samples":[5]}]})");
    ProcessOptions o;
    o.env = {{"GITLAB_CI", "true"},
             {"CI_COMMIT_SHA", "feedface"},
             {"CI_COMMIT_BRANCH", "develop"},
             {"CI_COMMIT_TIMESTAMP", "2024-06-01T08:00:00+02:00"},
             {"CI_COMMIT_TITLE", "Speed up parser"},
             {"CI_PROJECT_NAME", "parser"},
             {"CI_PROJECT_PATH", "acme/parser"},
             {"CI_JOB_ID", "9001"},
             {"CI_PIPELINE_ID", "55"},
             {"CI_JOB_NAME", "bench 1/2"}};
    auto r = ingest({"--testbed", "gl", f.string()}, o);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(q("SELECT name FROM branch"), "develop");
    EXPECT_EQ(q("SELECT subject FROM commit"), "Speed up parser");
    EXPECT_EQ(q("SELECT commit_time = '2024-06-01T06:00:00Z'::timestamptz FROM commit"), "t");
    EXPECT_EQ(q("SELECT run_key FROM run"), "group:gitlab:acme/parser:55:bench:gl:feedface");
}

TEST_F(IngestIntegration, ContextFromGit) {
    const auto repo = dir.path() / "myrepo";
    std::filesystem::create_directories(repo);
    ProcessOptions g;
    g.cwd = repo;
    g.env = {{"GIT_AUTHOR_NAME", "t"},
             {"GIT_AUTHOR_EMAIL", "t@x"},
             {"GIT_COMMITTER_NAME", "t"},
             {"GIT_COMMITTER_EMAIL", "t@x"},
             {"GIT_COMMITTER_DATE", "2024-07-01T10:00:00+00:00"}};
    ASSERT_EQ(run_process({"/usr/bin/git", "init", "-q", "-b", "trunk"}, g).exit_code, 0);
    ASSERT_EQ(
        run_process(
            {"/usr/bin/git", "commit", "-q", "--allow-empty", "-m", "Make it \"fast\" & <safe>"}, g)
            .exit_code,
        0);
    const std::string sha = run_process({"/usr/bin/git", "rev-parse", "HEAD"}, g).out.substr(0, 40);
    const auto f = dir.write(
        "r.json",
        R"({"version":1,"results":[{"benchmark":"b","metric":"t","unit":"ns","direction":"lower","samples":[5]}]})");
    ProcessOptions o;
    o.cwd = repo;
    o.env["PERFTRACK_HOME"] = (dir / "home").string();
    auto r = run_perftrack({"ingest", "--db", schema.dsn(), "--testbed", "laptop", f.string()}, o);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(q("SELECT name FROM project"), "myrepo");
    EXPECT_EQ(q("SELECT name FROM branch"), "trunk");
    EXPECT_EQ(q("SELECT sha FROM commit"), sha);
    EXPECT_EQ(q("SELECT subject FROM commit"), "Make it \"fast\" & <safe>");
    EXPECT_EQ(q("SELECT commit_time = '2024-07-01T10:00:00Z'::timestamptz FROM commit"), "t");
}

}  // namespace
}  // namespace perftrack::testing
