// Schema migrations against a real PostgreSQL, and the embedded local cluster's lifecycle.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "store/migrations.hpp"
#include "store/pg/pg_store.hpp"
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
    for (const auto& row : tx.exec_params("SELECT conrelid::regclass::text, conname, "
                                          "pg_get_constraintdef(oid) FROM pg_constraint "
                                          "WHERE connamespace = $1::regnamespace ORDER BY 2",
                                          schema)) {
        std::string table = row[0].c_str();
        if (auto dot = table.find('.'); dot != std::string::npos) table = table.substr(dot + 1);
        std::string def = row[2].c_str();
        for (auto pos = def.find(schema + "."); pos != std::string::npos;
             pos = def.find(schema + "."))
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
    TestSchema sequential(TestSchema::Content::empty);
    auto first = run_perftrack({"db", "migrate", "--db", sequential.dsn()});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("applied 0001_initial_schema.sql"), std::string::npos) << first.out;
    auto second = run_perftrack({"db", "migrate", "--db", sequential.dsn()});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("schema is current"), std::string::npos) << second.out;

    TestSchema concurrent(TestSchema::Content::empty);
    TempDir dir;
    std::vector<core::RunningProcess> pids;
    for (int i = 0; i < 6; ++i)
        pids.push_back(spawn_perftrack({"db", "migrate", "--db", concurrent.dsn()}, {},
                                       dir / fmt::format("out{}", i),
                                       dir / fmt::format("err{}", i)));
    for (std::size_t i = 0; i < pids.size(); ++i)
        EXPECT_EQ(wait_child(pids[i]), 0) << read_file(dir / fmt::format("err{}", i));

    const std::string a = describe_schema(sequential.name());
    const std::string b = describe_schema(concurrent.name());
    EXPECT_NE(a.find("col sample samples ARRAY"), std::string::npos) << a;
    EXPECT_EQ(a, b);
}

// ---- Shared databases: only `perftrack db migrate` changes their schema --------------------

class SharedDatabase : public ::testing::Test {
  protected:
    TempDir dir;
    ProcessOptions options() {
        ProcessOptions o;
        o.env["PERFTRACK_HOME"] = (dir / "home").string();
        o.cwd = dir.path();
        return o;
    }
    ProcessResult perftrack(const TestSchema& schema, std::vector<std::string> args) {
        args.insert(args.begin() + (args[0] == "db" ? 2 : 1), {"--db", schema.dsn()});
        return run_perftrack(args, options());
    }
    std::filesystem::path run_file(const std::string& commit) {
        return dir.write(
            commit + ".json",
            R"({"version":1,"context":{"project":"p","testbed":"t","branch":"main","commit":")" +
                commit +
                R"("},"results":[{"benchmark":"b","metric":"real_time","unit":"ns","direction":"lower","samples":[3.5,4.25]}]})");
    }
    static int latest() { return store::pg::latest_schema_version(); }
    // schema_migrations as 0.1 left it and `db migrate` then completes it: migration 1 is the
    // breaking initial schema, every later one is additive.
    static std::string expected_additivity() {
        std::string out = "1=false";
        for (int v = 2; v <= latest(); ++v) out += fmt::format(",{}=true", v);
        return out;
    }
    // The schema as a release that knew only `version` left it.
    static void migrate_by_hand_to(const TestSchema& schema, int version) {
        pqxx::connection conn(schema.dsn());
        pqxx::work tx(conn);
        tx.exec(
            "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())");
        for (const auto& m : store::migrations()) {
            if (m.version > version) break;
            tx.exec(std::string(m.sql));
            tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                           m.version, std::string(m.file_name));
        }
        tx.commit();
    }
};

TEST_F(SharedDatabase, WithoutASchemaCommandsStopWithTheCommandToRunAndKeepTheRun) {
    TestSchema schema(TestSchema::Content::empty);
    auto r = perftrack(schema, {"ingest", run_file("c1").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(fmt::format("the database has no perftrack schema yet (this perftrack "
                                     "uses schema version {})",
                                     latest())),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("hint: create it once with 'perftrack db migrate'"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("database schema not usable: spooled run"), std::string::npos) << r.err;
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"),
              "0")
        << "nothing was created";
    auto check = perftrack(schema, {"check", "--project", "p", "--testbed", "t", "--branch", "main",
                                    "--commit", "c1"});
    EXPECT_EQ(check.exit_code, 2) << check.err;
    EXPECT_NE(check.err.find("no perftrack schema"), std::string::npos) << check.err;

    ASSERT_EQ(perftrack(schema, {"db", "migrate"}).exit_code, 0);
    auto push = perftrack(schema, {"push"});
    ASSERT_EQ(push.exit_code, 0) << push.err;
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM run"), "1") << "the spooled run arrived";
}

TEST_F(SharedDatabase, AnOlderSchemaIsRefusedNamingBothVersionsUntilMigrated) {
    TestSchema schema(TestSchema::Content::empty);
    migrate_by_hand_to(schema, latest() - 1);
    auto r = perftrack(schema, {"ingest", run_file("c1").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(fmt::format("the database schema is version {}; this perftrack needs "
                                     "version {}",
                                     latest() - 1, latest())),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("'perftrack db migrate'"), std::string::npos) << r.err;
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM run"), "0");

    auto status = perftrack(schema, {"db", "status"});
    EXPECT_EQ(status.exit_code, 2);
    EXPECT_NE(status.out.find(
                  fmt::format("schema version: {} (this perftrack: {})", latest() - 1, latest())),
              std::string::npos)
        << status.out;

    auto migrate = perftrack(schema, {"db", "migrate"});
    ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
    EXPECT_NE(migrate.out.find(
                  fmt::format("schema migrated from version {} to {}", latest() - 1, latest())),
              std::string::npos)
        << migrate.out;
    auto again = perftrack(schema, {"ingest", run_file("c2").string()});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    // What the older release recorded is completed: every migration says whether it was additive.
    EXPECT_EQ(
        schema.scalar("SELECT count(*) FROM schema_migrations WHERE version = 2 AND additive"),
        "1");
}

TEST_F(SharedDatabase, ANewerSchemaIsRefusedUnlessTheNewerMigrationsAreAdditive) {
    TestSchema schema;
    const std::string future = fmt::format("{:04}_future.sql", latest() + 1);
    schema.scalar(
        fmt::format("INSERT INTO schema_migrations (version, name, additive) VALUES "
                    "({}, '{}', false) RETURNING version",
                    latest() + 1, future));
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"ingest", run_file("c1").string()},
          std::vector<std::string>{"db", "migrate"}, std::vector<std::string>{"db", "status"}}) {
        auto r = perftrack(schema, args);
        EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
        EXPECT_NE(r.err.find(fmt::format("the database schema is version {}, newer than this "
                                         "perftrack understands (version {}): {} changed it in a "
                                         "way older releases cannot use",
                                         latest() + 1, latest(), future)),
                  std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find(fmt::format("hint: upgrade perftrack to a release that knows schema "
                                         "version {}",
                                         latest() + 1)),
                  std::string::npos)
            << r.err;
    }
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM run"), "0");

    // The same newer version, declared additive: this release keeps working with it.
    schema.scalar("UPDATE schema_migrations SET additive = true WHERE name = '" + future +
                  "' RETURNING version");
    auto ingest = perftrack(schema, {"ingest", run_file("c2").string()});
    EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
    auto migrate = perftrack(schema, {"db", "migrate"});
    EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
    EXPECT_NE(migrate.out.find("the migrations since are additive"), std::string::npos)
        << migrate.out;
    EXPECT_EQ(schema.scalar(fmt::format("SELECT max(version) FROM schema_migrations")),
              std::to_string(latest() + 1))
        << "nothing was rolled back or re-applied";
}

TEST_F(SharedDatabase, ASchemaFromBeforeAdditivityWasRecordedStillWorks) {
    // Databases migrated by perftrack 0.1 have no "additive" column.
    TestSchema schema;
    schema.scalar("ALTER TABLE schema_migrations DROP COLUMN additive; SELECT 1");
    auto ingest = perftrack(schema, {"ingest", run_file("c1").string()});
    EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
    ASSERT_EQ(perftrack(schema, {"db", "migrate"}).exit_code, 0);
    EXPECT_EQ(schema.scalar("SELECT string_agg(version || '=' || additive, ',' ORDER BY version) "
                            "FROM schema_migrations"),
              expected_additivity());
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
    // The embedded database migrated itself: no `db migrate` was run.
    EXPECT_NE(running.out.find(fmt::format("schema version: {0} (this perftrack: {0})",
                                           store::pg::latest_schema_version())),
              std::string::npos)
        << running.out;
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
            fmt::format(
                R"({{"version":1,"context":{{"project":"p","testbed":"t","branch":"main","commit":"c{}"}},)"
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
