// Schema migrations against a real PostgreSQL, and the embedded local cluster's lifecycle.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <fmt/format.h>

#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {
namespace {

// Tables, columns, constraints and indexes of a schema, as comparable text.
std::string describe_schema(const std::string& schema) {
    pqxx::connection conn(test_dsn());
    pqxx::nontransaction tx(conn);
    std::string out;
    for (const auto& row : tx.exec_params(
             "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') "
             "FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1, 2",
             schema))
        out += fmt::format("col {} {} {} {} {}\n", row[0].c_str(), row[1].c_str(), row[2].c_str(),
                           row[3].c_str(), row[4].c_str());
    for (const auto& row : tx.exec_params(
             "SELECT tablename, indexname, regexp_replace(indexdef, ' ON [^ ]+\\.', ' ON ') "
             "FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2",
             schema))
        out += fmt::format("idx {} {} {}\n", row[0].c_str(), row[1].c_str(), row[2].c_str());
    for (const auto& row : tx.exec_params(
             "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
             "WHERE connamespace = $1::regnamespace ORDER BY 2",
             schema)) {
        std::string table = row[0].c_str();
        if (auto dot = table.find('.'); dot != std::string::npos) table = table.substr(dot + 1);
        std::string def = row[2].c_str();
        for (auto pos = def.find(schema + "."); pos != std::string::npos; pos = def.find(schema + "."))
            def.erase(pos, schema.size() + 1);
        out += fmt::format("con {} {} {}\n", table, row[1].c_str(), def);
    }
    out += "migrations:";
    for (const auto& row : tx.exec(fmt::format(
             "SELECT version, name FROM {}.schema_migrations ORDER BY 1", tx.quote_name(schema))))
        out += fmt::format(" {}={}", row[0].c_str(), row[1].c_str());
    // Sequence defaults name the schema: make the description schema-independent.
    for (auto pos = out.find(schema + "."); pos != std::string::npos; pos = out.find(schema + "."))
        out.erase(pos, schema.size() + 1);
    return out;
}

TEST(Migrations, TwiceAndConcurrentlyEndInTheSameSchema) {
    TestSchema sequential;
    auto first = run_perftrack({"db", "migrate", "--db", sequential.dsn()});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("applied 0001_initial_schema.sql"), std::string::npos) << first.out;
    auto second = run_perftrack({"db", "migrate", "--db", sequential.dsn()});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("schema is current"), std::string::npos) << second.out;

    TestSchema concurrent;
    TempDir dir;
    std::vector<core::RunningProcess> pids;
    for (int i = 0; i < 6; ++i)
        pids.push_back(spawn_perftrack({"db", "migrate", "--db", concurrent.dsn()}, {},
                                       dir / fmt::format("out{}", i), dir / fmt::format("err{}", i)));
    for (std::size_t i = 0; i < pids.size(); ++i)
        EXPECT_EQ(wait_child(pids[i]), 0) << read_file(dir / fmt::format("err{}", i));

    const std::string a = describe_schema(sequential.name());
    const std::string b = describe_schema(concurrent.name());
    EXPECT_NE(a.find("col sample samples ARRAY"), std::string::npos) << a;
    EXPECT_EQ(a, b);
}

TEST(Migrations, NewerSchemaThanBinaryIsRefused) {
    TestSchema schema;
    ASSERT_EQ(run_perftrack({"db", "migrate", "--db", schema.dsn()}).exit_code, 0);
    schema.scalar("INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql') "
                  "RETURNING version");
    auto r = run_perftrack({"db", "status", "--db", schema.dsn()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("newer than this perftrack understands"), std::string::npos) << r.err;
}

TEST(EmbeddedCluster, StartsFromNothingStopsAndRestartsWithDataIntact) {
    TempDir dir;
    ProcessOptions o;
    o.env["PERFTRACK_HOME"] = (dir / "home").string();
    o.cwd = dir.path();
    o.unset_env = {"PERFTRACK_DB", "DATABASE_URL"};

    auto status0 = run_perftrack({"db", "status"}, o);
    ASSERT_EQ(status0.exit_code, 0) << status0.err;
    EXPECT_NE(status0.out.find("not initialised"), std::string::npos) << status0.out;

    const auto f = dir.write(
        "r.json",
        R"({"version":1,"context":{"project":"p","testbed":"t","branch":"main","commit":"c1"},)"
        R"("results":[{"benchmark":"b","metric":"real_time","unit":"ns","direction":"lower","samples":[3.5,4.25]}]})");
    // No --db, no configuration: the first command creates and starts the cluster.
    auto ingest = run_perftrack({"ingest", f.string()}, o);
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

    auto running = run_perftrack({"db", "status"}, o);
    ASSERT_EQ(running.exit_code, 0) << running.err;
    EXPECT_NE(running.out.find("state: running"), std::string::npos) << running.out;
    EXPECT_NE(running.out.find("runs: 1\n"), std::string::npos) << running.out;
    EXPECT_NE(running.out.find("samples: 2\n"), std::string::npos) << running.out;

    auto stop = run_perftrack({"db", "stop"}, o);
    ASSERT_EQ(stop.exit_code, 0) << stop.err;
    EXPECT_NE(stop.out.find("stopped"), std::string::npos);
    auto stopped = run_perftrack({"db", "status"}, o);
    EXPECT_NE(stopped.out.find("state: stopped"), std::string::npos) << stopped.out;

    auto start = run_perftrack({"db", "start"}, o);
    ASSERT_EQ(start.exit_code, 0) << start.err;
    auto again = run_perftrack({"db", "status"}, o);
    EXPECT_NE(again.out.find("runs: 1\n"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("samples: 2\n"), std::string::npos) << again.out;

    // A second, stopped-then-used cycle: any command restarts it on demand.
    ASSERT_EQ(run_perftrack({"db", "stop"}, o).exit_code, 0);
    auto ingest2 = run_perftrack({"ingest", "--commit", "c2", f.string()}, o);
    ASSERT_EQ(ingest2.exit_code, 0) << ingest2.err;
    auto final_status = run_perftrack({"db", "status"}, o);
    EXPECT_NE(final_status.out.find("runs: 2\n"), std::string::npos) << final_status.out;
    EXPECT_EQ(run_perftrack({"db", "stop"}, o).exit_code, 0);
}

TEST(EmbeddedCluster, ManyProcessesStartingItAtOnceShareOneCluster) {
    TempDir dir;
    ProcessOptions o;
    o.env["PERFTRACK_HOME"] = (dir / "home").string();
    o.cwd = dir.path();
    std::vector<core::RunningProcess> pids;
    for (int i = 0; i < 4; ++i) {
        const auto f = dir.write(
            fmt::format("r{}.json", i),
            fmt::format(R"({{"version":1,"context":{{"project":"p","testbed":"t","branch":"main","commit":"c{}"}},)"
                        R"("results":[{{"benchmark":"b","metric":"m","unit":"ns","direction":"lower","samples":[1]}}]}})",
                        i));
        pids.push_back(spawn_perftrack({"ingest", f.string()}, o, dir / fmt::format("out{}", i),
                                       dir / fmt::format("err{}", i)));
    }
    for (std::size_t i = 0; i < pids.size(); ++i)
        EXPECT_EQ(wait_child(pids[i]), 0) << read_file(dir / fmt::format("err{}", i));
    auto status = run_perftrack({"db", "status"}, o);
    EXPECT_NE(status.out.find("runs: 4\n"), std::string::npos) << status.out;
    EXPECT_EQ(run_perftrack({"db", "stop"}, o).exit_code, 0);
}

TEST(EmbeddedCluster, StartAndStopRefuseAnExternalDatabase) {
    auto r = run_perftrack({"db", "stop", "--db", "postgresql://u:pw-secret@127.0.0.1:1/x"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("not the embedded one"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("pw-secret"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace perftrack::testing
