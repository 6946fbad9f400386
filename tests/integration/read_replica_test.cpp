// Read replicas (issue 16, `--read-db`): a private primary and a streaming standby made from it
// with pg_basebackup on unix sockets. Runs are ingested on the primary; check, report, backtest
// and alerts list read from the standby after waiting for it to replay the primary's latest
// writes, and give exactly what reading the primary gives. log_statement on both servers shows
// where the sample reads went. A paused replay is exit 3 (never a stale read); a --read-db that
// is not a standby is exit 2.
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "store/pg/pg_store.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/private_postgres.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::testing {
namespace {

constexpr std::int64_t k_hour_us = 3600LL * 1000000;
// The statement only history reads send: the COPY of sample rows (store/pg/history.cpp).
constexpr const char* k_sample_read = "CROSS JOIN LATERAL";

std::string sha(std::size_t i) {
    return fmt::format("c{:04d}", i);
}

// Commit i of main: three benchmarks, the first 20 % slower from commit 10 on (a regression the
// check at commit 11 confirms, and an alert).
store::RunToStore run_of(std::size_t i) {
    store::RunToStore r;
    r.project = "demo";
    r.testbed = "ci";
    r.branch = "main";
    r.commit = sha(i);
    r.commit_time_us = static_cast<std::int64_t>(i) * k_hour_us;
    r.run_key = fmt::format("run-{}", i);
    r.part_key = "all";
    r.started_at_us = r.ended_at_us = *r.commit_time_us;
    for (std::size_t b = 0; b < 3; ++b) {
        core::Measurement m;
        m.series.benchmark = fmt::format("BM_{}", b);
        m.series.metric = "real_time";
        m.series.unit = "ns";
        const double level = 1000.0 * static_cast<double>(b + 1) * (b == 0 && i >= 10 ? 1.2 : 1.0);
        for (std::size_t k = 0; k < 5; ++k)
            m.samples.push_back(level * (1.0 + 0.003 * std::sin(static_cast<double>(i * 31 + k))));
        r.results.measurements.push_back(std::move(m));
    }
    return r;
}

std::string after(const std::string& text, std::size_t offset) {
    return offset <= text.size() ? text.substr(offset) : std::string();
}

class ReadReplica : public ::testing::Test {
  protected:
    ReadReplica()
        : m_primary("log_statement = 'all'\nwal_level = replica\n"),
          m_standby(PrivatePostgres::Standby{}, m_primary, "log_statement = 'all'\n") {}

    void SetUp() override {
        ASSERT_TRUE(m_primary.ok());
        ASSERT_TRUE(m_standby.ok());
        auto migrate = run_perftrack({"db", "migrate", "--db", m_primary.dsn()}, options());
        ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
        auto store = store::pg::connect(m_primary.dsn());
        for (std::size_t i = 0; i < 12; ++i) store->ingest(run_of(i));
    }

    ProcessOptions options() const {
        ProcessOptions o;
        o.cwd = m_work.path();  // outside any git repository
        o.env["PERFTRACK_HOME"] = (m_work / "home").string();
        o.unset_env = {"PERFTRACK_READ_DB", "CI", "GITHUB_ACTIONS", "GITLAB_CI"};
        return o;
    }
    std::vector<std::string> with(std::vector<std::string> args, bool replica,
                                  const std::string& wait = "30") const {
        args.insert(args.end(), {"--db", m_primary.dsn()});
        if (replica)
            args.insert(args.end(), {"--read-db", m_standby.dsn(), "--read-db-wait", wait});
        return args;
    }
    std::vector<std::string> check_args(std::size_t commit) const {
        return {"check", "--project", "demo",      "--testbed", "ci",   "--branch",
                "main",  "--commit",  sha(commit), "--format",  "json", "--no-fail"};
    }
    void exec(const PrivatePostgres& server, const std::string& sql) const {
        pqxx::connection c(server.dsn());
        pqxx::nontransaction tx(c);
        tx.exec(sql);
    }

    TempDir m_work;
    PrivatePostgres m_primary;
    PrivatePostgres m_standby;
};

TEST_F(ReadReplica, ReadsComeFromTheReplicaAndMatchThePrimary) {
    // The check's sample reads and the alert it opens: the reads on the standby, the alert
    // written on the primary.
    const std::size_t primary_log = m_primary.log().size();
    const std::size_t standby_log = m_standby.log().size();
    const auto from_replica = run_perftrack(with(check_args(11), true), options());
    ASSERT_EQ(from_replica.exit_code, 0) << from_replica.err;
    const std::string primary_new = after(m_primary.log(), primary_log);
    const std::string standby_new = after(m_standby.log(), standby_log);
    EXPECT_EQ(primary_new.find(k_sample_read), std::string::npos) << primary_new;
    EXPECT_NE(standby_new.find(k_sample_read), std::string::npos) << standby_new;
    EXPECT_NE(primary_new.find("pg_current_wal_insert_lsn"), std::string::npos) << primary_new;
    EXPECT_NE(primary_new.find("INSERT INTO alert"), std::string::npos) << primary_new;

    const auto from_primary = run_perftrack(with(check_args(11), false), options());
    ASSERT_EQ(from_primary.exit_code, 0) << from_primary.err;
    EXPECT_EQ(from_replica.out, from_primary.out);
    EXPECT_NE(from_replica.out.find("\"regression\""), std::string::npos) << from_replica.out;

    // The alert the check just wrote on the primary is on the standby once it has waited.
    const std::vector<std::string> list{"alerts", "list", "--format", "json"};
    const auto alerts_replica = run_perftrack(with(list, true), options());
    const auto alerts_primary = run_perftrack(with(list, false), options());
    ASSERT_EQ(alerts_replica.exit_code, 0) << alerts_replica.err;
    EXPECT_EQ(alerts_replica.out, alerts_primary.out);
    EXPECT_NE(alerts_replica.out.find("BM_0"), std::string::npos) << alerts_replica.out;

    const std::vector<std::string> backtest{"backtest", "--project", "demo",     "--testbed", "ci",
                                            "--branch", "main",      "--format", "json"};
    const auto backtest_replica = run_perftrack(with(backtest, true), options());
    const auto backtest_primary = run_perftrack(with(backtest, false), options());
    ASSERT_EQ(backtest_replica.exit_code, 0) << backtest_replica.err;
    EXPECT_EQ(backtest_replica.out, backtest_primary.out);

    // The report (JSON, written to a file), read entirely from the standby.
    const std::size_t primary_before_report = m_primary.log().size();
    const auto report_file = m_work / "report.json";
    const auto report =
        run_perftrack(with({"report", "--project", "demo", "--testbed", "ci", "--branch", "main",
                            "--format", "json", "--out", report_file.string()},
                           true),
                      options());
    ASSERT_EQ(report.exit_code, 0) << report.err;
    EXPECT_NE(read_file(report_file).find("BM_0"), std::string::npos);
    const std::string primary_report = after(m_primary.log(), primary_before_report);
    EXPECT_EQ(primary_report.find(k_sample_read), std::string::npos) << primary_report;
}

TEST_F(ReadReplica, NewRunsAreReadOnceReplayed) {
    // Ingested on the primary just before the check: the check waits for the standby and sees
    // the new commit (a commit the standby had not replayed would be "no runs", exit 2).
    auto store = store::pg::connect(m_primary.dsn());
    for (std::size_t i = 12; i < 20; ++i) {
        store->ingest(run_of(i));
        const auto r = run_perftrack(with(check_args(i), true), options());
        ASSERT_EQ(r.exit_code, 0) << "commit " << i << ": " << r.err;
        EXPECT_NE(r.out.find(sha(i)), std::string::npos) << r.out;
    }
}

TEST_F(ReadReplica, PausedReplayIsExitThreeNotAStaleRead) {
    exec(m_standby, "SELECT pg_wal_replay_pause()");
    auto store = store::pg::connect(m_primary.dsn());
    store->ingest(run_of(12));
    const auto r = run_perftrack(with(check_args(12), true, "1"), options());
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("bytes of WAL behind the primary"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("replay is paused"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pg_wal_replay_resume"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");

    exec(m_standby, "SELECT pg_wal_replay_resume()");
    const auto resumed = run_perftrack(with(check_args(12), true), options());
    EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
}

TEST_F(ReadReplica, ThePrimaryAsReadDbIsExitTwo) {
    auto args = check_args(11);
    args.insert(args.end(), {"--db", m_primary.dsn(), "--read-db", m_primary.dsn()});
    const auto r = run_perftrack(args, options());
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("--read-db is not a standby"), std::string::npos) << r.err;

    // The environment variable is the same setting.
    auto o = options();
    o.env["PERFTRACK_READ_DB"] = m_primary.dsn();
    const auto env = run_perftrack(with(check_args(11), false), o);
    EXPECT_EQ(env.exit_code, 2) << env.err;
}

}  // namespace
}  // namespace perftrack::testing
