// `perftrack run` end to end: the built binary runs the sample Google Benchmark suite and shell
// commands (tests/programs) and stores into the real PostgreSQL of the test script, each test in
// its own schema. Covers: samples per repetition, failures (crash, SkipWithError, hang) with
// exit 4 and partial results kept, spool-then-push with the database stopped mid-run, shards in
// either order forming one run, CI context in the store, config errors, Ctrl-C, and A/B mode.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/support/cli_process.hpp"
#include "tests/support/private_postgres.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

using namespace std::chrono_literals;

// Variables of the environment the tests run in that would change the context of a run.
const std::vector<std::string> k_context_variables = {"CI",
                                                      "GITHUB_ACTIONS",
                                                      "GITLAB_CI",
                                                      "BUILDKITE",
                                                      "CIRCLECI",
                                                      "JENKINS_URL",
                                                      "JENKINS_HOME",
                                                      "PERFTRACK_PROJECT",
                                                      "PERFTRACK_TESTBED",
                                                      "PERFTRACK_BRANCH",
                                                      "PERFTRACK_COMMIT",
                                                      "PERFTRACK_COMMIT_TIME",
                                                      "PERFTRACK_RUN_ID",
                                                      "PERFTRACK_RUN_GROUP",
                                                      "PERFTRACK_PR",
                                                      "PERFTRACK_JOB_URL",
                                                      "PERFTRACK_CONFIG"};

const std::string k_fast = "--benchmark_min_time=0.002";
const std::string k_clean_filter = "--benchmark_filter=^BM_(Accumulate|Fill)";

class RunTest : public ::testing::Test {
  protected:
    // perftrack run in a directory outside any git repository, with a private PERFTRACK_HOME.
    ProcessResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                      const std::string& dsn = {}) {
        std::vector<std::string> full{"run", "--db", dsn.empty() ? m_schema.dsn() : dsn};
        full.insert(full.end(), args.begin(), args.end());
        return run_perftrack(full, options(std::move(env)));
    }

    ProcessOptions options(std::map<std::string, std::string> env = {}) {
        ProcessOptions o;
        o.cwd = m_work.path();
        o.env = std::move(env);
        o.env["PERFTRACK_HOME"] = m_home.path().string();
        o.unset_env = k_context_variables;
        for (const auto& [k, v] : o.env)
            o.unset_env.erase(std::remove(o.unset_env.begin(), o.unset_env.end(), k),
                              o.unset_env.end());
        o.timeout_seconds = 120;
        return o;
    }

    std::vector<std::string> identity(const std::string& commit = "c0ffee01") {
        return {"--project", "demo", "--testbed", "bench-box",
                "--branch",  "main", "--commit",  commit};
    }

    std::string q(const std::string& sql) const { return m_schema.scalar(sql); }

    std::vector<std::filesystem::path> spooled() const {
        std::vector<std::filesystem::path> out;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(m_home / "spool", ec))
            if (e.path().extension() == ".json") out.push_back(e.path());
        return out;
    }

    TestSchema m_schema;
    TempDir m_home;
    TempDir m_work;
};

TEST_F(RunTest, GoogleBenchmarkBinaryWithoutConfigStoresEveryRepetition) {
    auto id = identity();
    id.insert(id.end(), {"-r", "3", "--", SAMPLE_GBENCH, k_clean_filter, k_fast});
    const auto r = run(id);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("stored run"), std::string::npos) << r.out;
    // The binary's own console output streams through (to stderr: stdout is perftrack's
    // results); a plain line per suite when not a TTY.
    EXPECT_NE(r.err.find("BM_Accumulate/64"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("BM_Accumulate/64"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("suite sample_gbench: 3 benchmarks"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("debug build"), std::string::npos) << "Debian's library is a debug build";

    EXPECT_EQ(q("SELECT count(*) FROM run"), "1");
    EXPECT_EQ(q("SELECT status FROM run"), "complete");
    EXPECT_EQ(q("SELECT count(DISTINCT name) FROM benchmark"), "3");
    EXPECT_EQ(q("SELECT string_agg(DISTINCT cardinality(samples)::text, ',') FROM sample"), "3")
        << "one sample per repetition in every series";
    EXPECT_EQ(q("SELECT cardinality(s.samples) FROM sample s JOIN benchmark b ON b.id = "
                "s.benchmark_id JOIN metric m ON m.id = s.metric_id WHERE b.name = "
                "'BM_Fill<int>' AND m.name = 'real_time'"),
              "3");
    EXPECT_EQ(q("SELECT DISTINCT suite FROM benchmark"), "sample_gbench");
    // Testbed fingerprint and the run's context.
    EXPECT_NE(q("SELECT fingerprint->>'cores' FROM testbed"), "");
    EXPECT_NE(q("SELECT fingerprint->>'compiler' FROM testbed").find("GCC"), std::string::npos);
    EXPECT_EQ(q("SELECT fingerprint->>'benchmark_library_build' FROM testbed"), "debug");
    EXPECT_EQ(q("SELECT context->'suites'->>0 FROM run"), "sample_gbench");
    EXPECT_NE(q("SELECT context->>'warnings' FROM run").find("debug build"), std::string::npos);
}

TEST_F(RunTest, FailuresExitFourKeepPartialResultsAndOtherSuitesStillRun) {
    m_work.write("perftrack.toml", fmt::format(R"toml(
project = "demo"
testbed = "bench-box"

[[suite]]
name = "micro"
binary = "{}"
repetitions = 2
args = ["{}", "--benchmark_enable_random_interleaving=false"]
env = {{ SAMPLE_GBENCH_CRASH = "1" }}
filter = "^BM_(Accumulate|Fill|Unavailable|Crash)"

[[suite]]
name = "shell"
command = ["{}", "spin", "20"]
runs = 2
)toml",
                                               SAMPLE_GBENCH, k_fast, RUSAGE_PROBE));
    const auto r = run({"--branch", "main", "--commit", "feed01"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("suite micro failed: " + std::string(SAMPLE_GBENCH) +
                         " was killed by SIGSEGV (signal 11); 4 of 5 benchmarks finished"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("BM_Unavailable: fixture data is unavailable"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("suite shell: 1 benchmark, "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 of 2 suites had failures"), std::string::npos) << r.err;

    EXPECT_EQ(q("SELECT status FROM run"), "partial");
    EXPECT_EQ(q("SELECT string_agg(b.name, ',' ORDER BY b.name) FROM benchmark_failure f JOIN "
                "benchmark b ON b.id = f.benchmark_id"),
              "BM_Crash,BM_Unavailable");
    EXPECT_NE(q("SELECT f.message FROM benchmark_failure f JOIN benchmark b ON b.id = "
                "f.benchmark_id WHERE b.name = 'BM_Crash'")
                  .find("killed by SIGSEGV"),
              std::string::npos);
    EXPECT_EQ(q("SELECT count(*) FROM sample s JOIN benchmark b ON b.id = s.benchmark_id "
                "WHERE b.name LIKE 'BM_Accumulate%' AND cardinality(s.samples) = 2"),
              "6")
        << "real_time, cpu_time and throughput of both finished benchmarks, both repetitions";
    EXPECT_EQ(q("SELECT string_agg(m.name, ',' ORDER BY m.name) FROM sample s JOIN benchmark b "
                "ON b.id = s.benchmark_id JOIN metric m ON m.id = s.metric_id WHERE b.suite = "
                "'shell' AND m.name IN ('wall_time', 'user_time', 'peak_memory') AND "
                "cardinality(s.samples) = 2"),
              "peak_memory,user_time,wall_time")
        << "the other suite still ran";
}

TEST_F(RunTest, HangingBenchmarkIsStoppedByTheSuiteTimeout) {
    auto id = identity();
    id.insert(id.end(), {"-r", "1", "--timeout", "1.5", "--", SAMPLE_GBENCH,
                         "--benchmark_filter=^BM_(Fill|Hang)", k_fast,
                         "--benchmark_enable_random_interleaving=false"});
    const auto started = std::chrono::steady_clock::now();
    const auto r = run(id, {{"SAMPLE_GBENCH_HANG", "1"}});
    EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("timed out after 1.5 s (the suite's limit)"), std::string::npos) << r.err;
    EXPECT_EQ(q("SELECT status FROM run"), "partial");
    EXPECT_EQ(q("SELECT count(*) FROM sample s JOIN benchmark b ON b.id = s.benchmark_id WHERE "
                "b.name = 'BM_Fill<int>'"),
              "2");
}

void touch(const std::filesystem::path& p, const std::string& content = {}) {
    std::ofstream(p, std::ios::binary) << content;
}

// Running or sleeping; gone or a zombie counts as stopped.
bool process_running(pid_t pid) {
    const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

bool wait_for_file(const std::filesystem::path& p, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (std::filesystem::exists(p)) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

TEST_F(RunTest, DatabaseStoppedMidRunSpoolsAndPushLosesAndDuplicatesNothing) {
    PrivatePostgres pg;
    ASSERT_TRUE(pg.ok());
    // Reachable at the start: perftrack connects only after the benchmarks ran.
    ASSERT_EQ(run_perftrack({"db", "migrate", "--db", pg.dsn()}, options()).exit_code, 0);

    const auto started = m_work / "started";
    const auto go = m_work / "go";
    std::vector<std::string> args{"run", "--db", pg.dsn()};
    for (const auto& a : identity()) args.push_back(a);
    args.insert(args.end(),
                {"--run-id", "spool-test-1", "-r", "2", "--name", "waiter", "--", "/bin/sh", "-c",
                 "touch started; while [ ! -f go ]; do sleep 0.02; done"});
    auto perftrack_process =
        spawn_perftrack(args, options(), m_work / "out.txt", m_work / "err.txt");
    ASSERT_TRUE(wait_for_file(started, 60s)) << read_file(m_work / "err.txt");
    ASSERT_TRUE(pg.stop());
    touch(go);
    EXPECT_EQ(wait_child(perftrack_process), 3) << read_file(m_work / "err.txt");
    const std::string err = read_file(m_work / "err.txt");
    EXPECT_NE(err.find("database unavailable: spooled run spool-test-1"), std::string::npos) << err;

    const auto files = spooled();
    ASSERT_EQ(files.size(), 1u);
    const std::string spool_copy = read_file(files[0]);

    ASSERT_TRUE(pg.start());
    auto push = run_perftrack({"push", "--db", pg.dsn()}, options());
    EXPECT_EQ(push.exit_code, 0) << push.err;
    EXPECT_NE(push.out.find("stored run spool-test-1"), std::string::npos) << push.out;
    EXPECT_TRUE(spooled().empty()) << "removed after its transaction committed";

    const auto count = [&](const std::string& sql) {
        auto r = run_process({pg.bin("psql"), pg.dsn(), "-tAc", sql}, ProcessOptions{});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out.substr(0, r.out.find('\n'));
    };
    EXPECT_EQ(count("SELECT count(*) FROM run"), "1");
    const std::string samples = count("SELECT sum(cardinality(samples)) FROM sample");
    EXPECT_EQ(count("SELECT cardinality(s.samples) FROM sample s JOIN metric m ON m.id = "
                    "s.metric_id WHERE m.name = 'wall_time'"),
              "2")
        << "both measured runs arrived";

    // Pushing the same run again (a copy of the spooled file) stores nothing.
    touch(files[0], spool_copy);
    push = run_perftrack({"push", "--db", pg.dsn()}, options());
    EXPECT_EQ(push.exit_code, 0) << push.err;
    EXPECT_NE(push.out.find("already ingested"), std::string::npos) << push.out;
    EXPECT_EQ(count("SELECT count(*) FROM run"), "1");
    EXPECT_EQ(count("SELECT sum(cardinality(samples)) FROM sample"), samples);
    push = run_perftrack({"push", "--db", pg.dsn()}, options());
    EXPECT_NE(push.out.find("nothing to push"), std::string::npos) << push.out;
}

TEST_F(RunTest, TwoShardsInEitherOrderMakeOneRun) {
    const auto shard = [&](const std::string& which, const std::string& group,
                           const std::string& commit) {
        auto args = identity(commit);
        args.insert(args.end(), {"--shard", which, "--run-group", group, "-r", "2", "--",
                                 SAMPLE_GBENCH, k_clean_filter, k_fast});
        return run(args);
    };
    // By the stable name hash: shard 1/2 = BM_Accumulate/512 and BM_Fill<int>, 2/2 =
    // BM_Accumulate/64.
    auto second = shard("2/2", "g-forward", "aaa111");
    ASSERT_EQ(second.exit_code, 0) << second.err;
    auto first = shard("1/2", "g-forward", "aaa111");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto a = shard("1/2", "g-reverse", "bbb222");
    ASSERT_EQ(a.exit_code, 0) << a.err;
    auto b = shard("2/2", "g-reverse", "bbb222");
    ASSERT_EQ(b.exit_code, 0) << b.err;

    EXPECT_EQ(q("SELECT count(*) FROM run"), "2") << "one run per group";
    for (const char* commit : {"aaa111", "bbb222"}) {
        EXPECT_EQ(
            q(fmt::format("SELECT string_agg(DISTINCT b.name, ',' ORDER BY b.name) FROM sample s "
                          "JOIN run r ON r.id = s.run_id JOIN commit c ON c.id = r.commit_id "
                          "JOIN benchmark b ON b.id = s.benchmark_id WHERE c.sha = '{}'",
                          commit)),
            "BM_Accumulate/512,BM_Accumulate/64,BM_Fill<int>")
            << commit;
        EXPECT_EQ(q(fmt::format("SELECT count(*) FROM run_part p JOIN run r ON r.id = p.run_id "
                                "JOIN commit c ON c.id = r.commit_id WHERE c.sha = '{}'",
                                commit)),
                  "2");
    }
    // A retried shard job adds no samples: series already in the run keep their first values.
    const std::string before =
        q("SELECT string_agg(samples::text, ';' ORDER BY run_id, "
          "benchmark_id, metric_id) FROM sample");
    auto again = shard("1/2", "g-forward", "aaa111");
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(q("SELECT count(*) FROM run"), "2");
    EXPECT_EQ(q("SELECT string_agg(samples::text, ';' ORDER BY run_id, benchmark_id, metric_id) "
                "FROM sample"),
              before);
    // Without a group the shards could not be joined: refused before running.
    auto lone = run({"--project", "demo", "--branch", "main", "--commit", "ccc333", "--shard",
                     "1/2", "--", SAMPLE_GBENCH, k_clean_filter});
    EXPECT_EQ(lone.exit_code, 2);
    EXPECT_NE(lone.err.find("--shard needs a run group"), std::string::npos) << lone.err;
}

TEST_F(RunTest, ContextFromCiVariablesLandsInTheStore) {
    const auto r = run({"-r", "2", "--", "/bin/sh", "-c", "true"},
                       {{"GITHUB_ACTIONS", "true"},
                        {"GITHUB_SHA", "1234abcd5678"},
                        {"GITHUB_REF", "refs/pull/42/merge"},
                        {"GITHUB_HEAD_REF", "speedup"},
                        {"GITHUB_REPOSITORY", "acme/engine"},
                        {"GITHUB_RUN_ID", "777"},
                        {"GITHUB_RUN_ATTEMPT", "1"},
                        {"GITHUB_JOB", "bench"},
                        {"GITHUB_SERVER_URL", "https://github.com"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("the testbed defaults to the host name"), std::string::npos) << r.err;
    EXPECT_EQ(q("SELECT name FROM project"), "engine");
    EXPECT_EQ(q("SELECT name FROM branch"), "speedup");
    EXPECT_EQ(q("SELECT sha FROM commit"), "1234abcd5678");
    EXPECT_EQ(q("SELECT context->>'ci_provider' FROM run"), "github");
    EXPECT_EQ(q("SELECT context->>'pull_request' FROM run"), "42");
    EXPECT_EQ(q("SELECT context->>'ci_job_url' FROM run"),
              "https://github.com/acme/engine/actions/runs/777");
    EXPECT_EQ(q("SELECT context->>'ci_run_key' FROM run"), "github:acme/engine:777.1:bench");
    EXPECT_EQ(q("SELECT run_key LIKE 'github:acme/engine:777.1:bench:%' FROM run"), "t")
        << "the run key is the CI job attempt's, so shards of one matrix job form one run";
}

TEST_F(RunTest, ConfigErrorsExitTwoNamingFileLineAndKey) {
    m_work.write("perftrack.toml",
                 "project = \"demo\"\n\n[[suite]]\nbinary = \"bench\"\nfliter = \"x\"\n");
    auto r = run({"--branch", "main", "--commit", "c1"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("perftrack: error: perftrack.toml:5: suite[0].fliter: unknown key"),
              std::string::npos)
        << r.err;

    m_work.write("perftrack.toml",
                 "project = \"demo\"\n[[suite]]\nbinary = \"bench\"\nrepetitions = \"3\"\n");
    r = run({"--branch", "main", "--commit", "c1"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(
        r.err.find("perftrack.toml:4: suite[0].repetitions: expected an integer, got a string"),
        std::string::npos)
        << r.err;

    m_work.write("perftrack.toml",
                 "project = \"demo\"\n[[suite]]\nbinary = \"build/missing_bench\"\n");
    r = run({"--branch", "main", "--commit", "c1"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(
        r.err.find("perftrack.toml:2: suite \"missing_bench\": build/missing_bench does not exist"),
        std::string::npos)
        << r.err;

    m_work.write("other.toml",
                 fmt::format("[[suite]]\nbinary = \"{}\"\nfilter = \"NoSuch\"\n", SAMPLE_GBENCH));
    r = run({"--config", "other.toml", "--project", "demo", "--branch", "main", "--commit", "c1"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("filter \"NoSuch\" matches no benchmark"), std::string::npos) << r.err;
    EXPECT_EQ(q("SELECT count(*) FROM run"), "0") << "nothing was run or stored";
}

TEST_F(RunTest, CtrlCStopsTheBenchmarkAndStoresNothing) {
    std::vector<std::string> args{"run", "--db", m_schema.dsn()};
    for (const auto& a : identity()) args.push_back(a);
    args.insert(args.end(), {"-r", "3", "--name", "sleeper", "--", "/bin/sh", "-c",
                             "echo $$ > child.pid; sleep 60"});
    auto perftrack_process =
        spawn_perftrack(args, options(), m_work / "out.txt", m_work / "err.txt");
    ASSERT_TRUE(wait_for_file(m_work / "child.pid", 60s));
    std::this_thread::sleep_for(100ms);
    ::kill(perftrack_process.pid(), SIGINT);
    EXPECT_EQ(wait_child(perftrack_process), 130);
    const std::string err = read_file(m_work / "err.txt");
    EXPECT_NE(err.find("interrupted by SIGINT while running suite sleeper"), std::string::npos)
        << err;
    const pid_t child = std::stoi(read_file(m_work / "child.pid"));
    EXPECT_FALSE(process_running(child)) << "the benchmark process was stopped";
    EXPECT_TRUE(spooled().empty());
    EXPECT_EQ(q("SELECT count(*) FROM run"), "0") << "nothing stored, not even the schema";
}

TEST_F(RunTest, AbModeRecordsBothSidesAsOnePairedRunAndChecksThem) {
    auto args = identity();
    args.insert(args.end(),
                {"--ab", SAMPLE_GBENCH, SAMPLE_GBENCH_SLOWER, "--ab-rounds", "12", "--check",
                 "--check-format", "json", "--", "--benchmark_filter=^BM_Accumulate/512$", k_fast});
    const auto r = run(args);
    // The candidate does four times the work: a regression, so exit 1.
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("the check found a regression"), std::string::npos) << r.err;
    EXPECT_EQ(q("SELECT name FROM testbed"), "bench-box:ab") << "kept out of regular baselines";
    EXPECT_EQ(q("SELECT context->>'mode' FROM run"), "ab");
    EXPECT_EQ(q("SELECT context->'ab'->>'order' FROM run"),
              R"(["AB", "BA", "AB", "BA", "AB", "BA", "AB", "BA", "AB", "BA", "AB", "BA"])");
    EXPECT_EQ(q("SELECT string_agg(params->>'ab_side', ',' ORDER BY params->>'ab_side') FROM "
                "benchmark"),
              "baseline,candidate");
    EXPECT_EQ(q("SELECT string_agg(DISTINCT cardinality(samples)::text, ',') FROM sample"), "12");

    // stdout: the stored-run line, then the check's JSON.
    const auto json_start = r.out.find('{');
    ASSERT_NE(json_start, std::string::npos) << r.out;
    const auto report = nlohmann::json::parse(r.out.substr(json_start));
    // CPU time is what a busy test machine disturbs least (real time and the throughput derived
    // from it can lose a round to preemption; 12 rounds leave room for that too).
    bool cpu_time_seen = false;
    for (const auto& row : report["results"]) {
        EXPECT_EQ(row["baseline"]["n"], 12);
        EXPECT_EQ(row["candidate"]["n"], 12);
        if (row["metric"] != "cpu_time") continue;
        cpu_time_seen = true;
        EXPECT_EQ(row["status"], "regression") << row.dump();
        EXPECT_GT(row["change"].get<double>(), 1.0) << "four times the work: over +100 %";
        EXPECT_LE(row["q_value"].get<double>(), 0.01);
    }
    EXPECT_TRUE(cpu_time_seen) << report.dump(2);
    EXPECT_GE(report["summary"]["regressions"].get<int>(), 1);

    // perftrack check --ab judges the same stored run the same way.
    auto stored =
        run_perftrack({"check", "--ab", "--db", m_schema.dsn(), "--project", "demo", "--testbed",
                       "bench-box", "--branch", "main", "--commit", "c0ffee01", "--format", "json"},
                      options());
    EXPECT_EQ(stored.exit_code, 1) << stored.err;
    const auto again = nlohmann::json::parse(stored.out);
    EXPECT_EQ(again["results"], report["results"]);

    // --no-fail reports without failing; 6 rounds cannot reach alpha 0.01, the report says so.
    args = identity("c0ffee02");
    args.insert(args.end(),
                {"--ab", SAMPLE_GBENCH, SAMPLE_GBENCH_SLOWER, "--ab-rounds", "6", "--check",
                 "--no-fail", "--", "--benchmark_filter=^BM_Accumulate/512$", k_fast});
    const auto lenient = run(args);
    EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
    EXPECT_NE(lenient.out.find("judged by the minimum change alone"), std::string::npos)
        << lenient.out;
}

// A history on main for two benchmarks of the sample suite, far from what the binary measures:
// BM_Accumulate/512 at about 1 ns (the real run is much slower) and BM_Fill<int> at about 1 s
// (the real run is much faster).
void ingest_baseline_history(const TempDir& dir, const std::string& dsn, const ProcessOptions& o) {
    for (int i = 0; i < 12; ++i) {
        nlohmann::json results = nlohmann::json::array();
        for (const auto& [name, level] :
             {std::pair{"BM_Accumulate/512", 1.0}, std::pair{"BM_Fill<int>", 1e9}}) {
            std::vector<double> samples;
            for (int k = 0; k < 3; ++k)
                samples.push_back(level * (1.0 + 0.004 * std::sin(i * 7.0 + k * 3.0)));
            results.push_back({{"suite", "sample_gbench"},
                               {"benchmark", name},
                               {"metric", "real_time"},
                               {"unit", "ns"},
                               {"direction", "lower"},
                               {"samples", samples}});
        }
        const nlohmann::json doc = {{"version", 1},
                                    {"context",
                                     {{"project", "demo"},
                                      {"testbed", "bench-box"},
                                      {"branch", "main"},
                                      {"commit", fmt::format("m{:02d}", i)},
                                      {"commit_time", fmt::format("2024-03-01T{:02d}:00:00Z", i)}}},
                                    {"results", results}};
        const auto file = dir.write(fmt::format("main-{}.json", i), doc.dump());
        const auto r =
            run_perftrack({"ingest", "--db", dsn, "--format", "perftrack", file.string()}, o);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
}

TEST_F(RunTest, CheckWithConfirmReRunsOnlyTheRegressedBenchmarks) {
    ingest_baseline_history(m_work, m_schema.dsn(), options());
    const auto r = run({"--project",
                        "demo",
                        "--testbed",
                        "bench-box",
                        "--branch",
                        "feature",
                        "--commit",
                        "pr1",
                        "--commit-time",
                        "2024-04-01T00:00:00Z",
                        "-r",
                        "3",
                        "--check",
                        "--confirm",
                        "2",
                        "--base-commit",
                        "m11",
                        "--check-format",
                        "json",
                        "--",
                        SAMPLE_GBENCH,
                        "--benchmark_filter=^BM_(Accumulate/512|Fill)",
                        k_fast});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("1 series look regressed; re-run 1 of at most 2"), std::string::npos)
        << r.err;
    // The first re-run stayed where the first run was: decided, no second re-run.
    EXPECT_EQ(r.err.find("re-run 2 of"), std::string::npos) << r.err;
    const auto json_start = r.out.find('{');
    ASSERT_NE(json_start, std::string::npos) << r.out;
    const auto report = nlohmann::json::parse(r.out.substr(json_start));
    std::map<std::string, std::string> status;
    for (const auto& v : report["results"])
        if (v["metric"] == "real_time") status[v["benchmark"]] = v["status"];
    EXPECT_EQ(status["BM_Accumulate/512"], "regression") << report.dump(2);
    EXPECT_EQ(status["BM_Fill<int>"], "improvement") << report.dump(2);
    for (const auto& v : report["results"]) {
        if (v["metric"] != "real_time" || v["benchmark"] != "BM_Accumulate/512") continue;
        EXPECT_EQ(v["candidate"]["runs"], 2) << v.dump(2);
        EXPECT_EQ(v["candidate"]["runs_used"], 2) << v.dump(2);
        EXPECT_EQ(v["candidate"]["reruns"], "confirmed") << v.dump(2);
    }

    // The commit now has two runs; the re-run ran only the regressed benchmark.
    EXPECT_EQ(q("SELECT count(*) FROM run r JOIN commit c ON c.id = r.commit_id WHERE c.sha = "
                "'pr1'"),
              "2");
    EXPECT_EQ(q("SELECT string_agg(DISTINCT b.name, ',') FROM sample s JOIN run r ON r.id = "
                "s.run_id JOIN benchmark b ON b.id = s.benchmark_id WHERE r.run_key LIKE "
                "'%:confirm-%'"),
              "BM_Accumulate/512");
    EXPECT_EQ(q("SELECT count(*) FROM run WHERE run_key LIKE '%:confirm-%'"), "1");

    // A pull request re-runs by default; --confirm 0 turns it off.
    std::vector<std::string> pr2 = {"--project",
                                    "demo",
                                    "--testbed",
                                    "bench-box",
                                    "--branch",
                                    "feature",
                                    "--commit",
                                    "pr2",
                                    "--commit-time",
                                    "2024-04-02T00:00:00Z",
                                    "-r",
                                    "3",
                                    "--check",
                                    "--base-commit",
                                    "m11",
                                    "--no-fail",
                                    "--",
                                    SAMPLE_GBENCH,
                                    "--benchmark_filter=^BM_Accumulate/512$",
                                    k_fast};
    const auto by_default = run(pr2);
    EXPECT_EQ(by_default.exit_code, 0) << by_default.err;
    EXPECT_NE(by_default.err.find("1 series look regressed; re-run 1 of at most 5"),
              std::string::npos)
        << by_default.err;
    pr2[7] = "pr3";
    pr2.insert(pr2.begin() + 10, {"--confirm", "0"});
    const auto without = run(pr2);
    EXPECT_EQ(without.exit_code, 0) << without.err;
    EXPECT_EQ(without.err.find("look regressed"), std::string::npos) << without.err;
    EXPECT_EQ(q("SELECT count(*) FROM run r JOIN commit c ON c.id = r.commit_id WHERE c.sha = "
                "'pr3'"),
              "1");

    // Nothing looked regressed on the baseline branch's own history: no confirmation runs.
    const auto main_run = run({"--project",
                               "demo",
                               "--testbed",
                               "bench-box",
                               "--branch",
                               "main",
                               "--commit",
                               "m12",
                               "--commit-time",
                               "2024-03-01T13:00:00Z",
                               "-r",
                               "2",
                               "--check",
                               "--confirm",
                               "2",
                               "--no-fail",
                               "--",
                               SAMPLE_GBENCH,
                               "--benchmark_filter=^BM_Fill",
                               k_fast});
    EXPECT_EQ(main_run.exit_code, 0) << main_run.err;
    EXPECT_EQ(main_run.err.find("look regressed"), std::string::npos) << main_run.err;

    // --check with --shard is refused before anything runs.
    const auto sharded =
        run({"--project", "demo", "--branch", "main", "--commit", "m13", "--run-group", "g",
             "--shard", "1/2", "--check", "--", SAMPLE_GBENCH});
    EXPECT_EQ(sharded.exit_code, 2);
    EXPECT_NE(sharded.err.find("--check with --shard"), std::string::npos) << sharded.err;
}

}  // namespace
}  // namespace perftrack::testing
