// The CLI as a client of a perftrack server (--server): against the contract's stand-in
// (tests/programs/api_standin.cpp: a real HTTP server on 127.0.0.1 answering each request with
// the perftrack CLI over the test database). Exit codes, idempotency, tokens kept out of output,
// check output byte-identical to --db, and the spool when the server dies mid-way.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include "core/process.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/http_recorder.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/three_benchmark_run.hpp"

namespace perftrack::testing {
namespace {

using namespace std::chrono_literals;

// The stand-in as a child process on a fixed port, so it can be killed and started again.
class StandIn {
  public:
    StandIn(std::string dsn, std::filesystem::path home, std::string token = {})
        : m_dsn(std::move(dsn)),
          m_home(std::move(home)),
          m_token(std::move(token)),
          m_port(closed_port()) {}
    ~StandIn() { kill(); }

    void start() {
        core::ProcessSpec spec;
        spec.argv = {API_STANDIN, std::to_string(m_port), perftrack_binary(), m_dsn,
                     m_home.string()};
        if (!m_token.empty()) spec.argv.push_back(m_token);
        const auto log = m_home.parent_path() / "standin.out";
        std::filesystem::remove(log);
        spec.stdout_file = log;
        spec.stderr_file = m_home.parent_path() / "standin.err";
        auto child = core::start_process(spec);
        ASSERT_TRUE(child) << child.error().message;
        m_child.emplace(std::move(*child));
        for (int i = 0; i < 200; ++i) {
            std::ifstream in(log);
            std::string line;
            if (std::getline(in, line) && line == "listening") return;
            std::this_thread::sleep_for(25ms);
        }
        FAIL() << "the stand-in did not start";
    }
    void kill() {
        if (!m_child) return;
        ::kill(m_child->pid(), SIGKILL);
        m_child->wait();
        m_child.reset();
    }
    std::string url() const { return fmt::format("http://127.0.0.1:{}", m_port); }

  private:
    std::string m_dsn;
    std::filesystem::path m_home;
    std::string m_token;
    int m_port;
    std::optional<core::RunningProcess> m_child;
};

class ServerClientTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_client_env = {{"PERFTRACK_HOME", (m_dir / "client").string()}, {"NO_COLOR", "1"}};
    }
    ProcessResult cli(std::vector<std::string> args,
                      std::map<std::string, std::string> extra_env = {}) {
        ProcessOptions options;
        options.env = m_client_env;
        for (auto& [k, v] : extra_env) options.env[k] = v;
        options.unset_env = {"PERFTRACK_SERVER", "PERFTRACK_TOKEN", "GITHUB_ACTIONS", "CI"};
        options.cwd = m_dir.path();
        options.timeout_seconds = 120;
        return run_perftrack(args, options);
    }
    std::size_t spooled() const {
        const auto dir = m_dir.path() / "client" / "spool";
        if (!std::filesystem::exists(dir)) return 0;
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                      std::filesystem::directory_iterator()));
    }

    TestSchema m_schema;
    TempDir m_dir;
    std::map<std::string, std::string> m_client_env;
};

TEST_F(ServerClientTest, IngestStoresOnceAndRefusesServerWithDb) {
    StandIn server(m_schema.dsn(), m_dir / "standin");
    server.start();
    const auto file = m_dir.write("r.json", three_benchmark_run(0, 100));
    const std::vector<std::string> args = {
        "ingest",   "--server", server.url(), "--project", "p",        "--branch", "main",
        "--commit", "c0000000", "--testbed",  "t",         "--run-id", "r1",       file.string()};
    auto first = cli(args);
    EXPECT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("stored run r1"), std::string::npos) << first.out;
    auto again = cli(args);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("already ingested"), std::string::npos) << again.out;
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), "1");

    auto both = cli({"ingest", "--server", server.url(), "--db", m_schema.dsn(), file.string()});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_NE(both.err.find("--server and --db together"), std::string::npos) << both.err;
    auto bad_url = cli({"ingest", "--server", "ftp://127.0.0.1", file.string()});
    EXPECT_EQ(bad_url.exit_code, 2) << bad_url.err;
    auto bad_input = cli({"ingest", "--server", server.url(), "--project", "p", "--branch", "main",
                          "--commit", "c1", "--format", "hyperfine", file.string()});
    EXPECT_EQ(bad_input.exit_code, 2) << bad_input.err;
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), "1");
}

TEST_F(ServerClientTest, TokensAreRequiredAndNeverPrinted) {
    const std::string token = "pt_secret_token_4242";
    StandIn server(m_schema.dsn(), m_dir / "standin", token);
    server.start();
    const auto file = m_dir.write("r.json", three_benchmark_run(0, 100));
    const std::vector<std::string> args = {"ingest",   "--server",  server.url(), "--project",
                                           "p",        "--branch",  "main",       "--commit",
                                           "c0000000", "--testbed", "t",          file.string()};
    auto none = cli(args);
    EXPECT_EQ(none.exit_code, 2) << none.err;
    EXPECT_NE(none.err.find("PERFTRACK_TOKEN"), std::string::npos) << none.err;
    auto wrong = cli(args, {{"PERFTRACK_TOKEN", "pt_wrong_token_777"}});
    EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
    EXPECT_EQ(wrong.err.find("pt_wrong_token_777"), std::string::npos) << wrong.err;
    EXPECT_EQ(spooled(), 0U) << "a refused token is not an outage: nothing spooled";
    auto right = cli(args, {{"PERFTRACK_TOKEN", token + "\n"}});
    EXPECT_EQ(right.exit_code, 0) << right.err;
    EXPECT_EQ(right.out.find(token), std::string::npos);
    EXPECT_EQ(right.err.find(token), std::string::npos);
    // Through the environment as CI sets it.
    auto check = cli(
        {"check", "--project", "p", "--branch", "main", "--testbed", "t", "--commit", "c0000000"},
        {{"PERFTRACK_SERVER", server.url()}, {"PERFTRACK_TOKEN", token}});
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_EQ(check.err.find(token), std::string::npos);
}

TEST_F(ServerClientTest, CheckThroughTheServerIsByteIdenticalToTheDatabase) {
    StandIn server(m_schema.dsn(), m_dir / "standin");
    server.start();
    for (int c = 0; c < 10; ++c) {
        const auto file =
            m_dir.write(fmt::format("c{}.json", c), three_benchmark_run(c, c < 9 ? 100 : 125));
        auto r =
            cli({"ingest", "-q", "--server", server.url(), "--project", "p", "--branch", "main",
                 "--commit", fmt::format("c{:07}", c), "--testbed", "t", file.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    for (const std::string format : {"text", "markdown", "json"}) {
        const std::vector<std::string> tail = {"--project", "p",    "--branch", "main",
                                               "--testbed", "t",    "--commit", "c0000009",
                                               "--format",  format, "--no-fail"};
        std::vector<std::string> via_server = {"check", "--server", server.url()};
        std::vector<std::string> via_db = {"check", "--db", m_schema.dsn(), "--no-notify"};
        via_server.insert(via_server.end(), tail.begin(), tail.end());
        via_db.insert(via_db.end(), tail.begin(), tail.end());
        auto s = cli(via_server);
        auto d = cli(via_db);
        EXPECT_EQ(s.exit_code, d.exit_code) << s.err << d.err;
        EXPECT_EQ(s.out, d.out) << format;
        EXPECT_FALSE(s.out.empty());
        std::printf("check --server vs --db, %s: %zu bytes, identical: %s\n", format.c_str(),
                    s.out.size(), s.out == d.out ? "yes" : "no");
    }
    // No commit (no git here): the server picks the newest and the client says which.
    auto newest = cli({"check", "--server", server.url(), "--project", "p", "--branch", "main",
                       "--testbed", "t", "--no-fail"});
    EXPECT_EQ(newest.exit_code, 0) << newest.err;
    EXPECT_NE(newest.err.find("the server checked c0000009"), std::string::npos) << newest.err;
    // Detection flags travel as query parameters: the same verdicts as --db with them.
    auto tuned_s = cli({"check", "--server", server.url(), "--project", "p", "--branch", "main",
                        "--testbed", "t", "--commit", "c0000009", "--min-change", "50", "--alpha",
                        "0.05", "--format", "json"});
    auto tuned_d = cli({"check", "--db", m_schema.dsn(), "--no-notify", "--project", "p",
                        "--branch", "main", "--testbed", "t", "--commit", "c0000009",
                        "--min-change", "50", "--alpha", "0.05", "--format", "json"});
    EXPECT_EQ(tuned_s.exit_code, tuned_d.exit_code) << tuned_s.err;
    EXPECT_EQ(tuned_s.out, tuned_d.out);
    EXPECT_NE(tuned_s.out.find("\"min_change\": 0.5"), std::string::npos) << tuned_s.out;
    // What the API does not carry is refused, not ignored.
    auto refused = cli({"check", "--server", server.url(), "--project", "p", "--branch", "main",
                        "--testbed", "t", "--ab"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("--ab"), std::string::npos) << refused.err;
}

TEST_F(ServerClientTest, AlertsReportAndBaselineResetThroughTheServer) {
    StandIn server(m_schema.dsn(), m_dir / "standin");
    server.start();
    // A step at commit 16, confirmed by the commits after it: the check opens an alert.
    for (int c = 0; c < 18; ++c) {
        const auto file =
            m_dir.write(fmt::format("c{}.json", c), three_benchmark_run(c, c < 16 ? 100 : 125));
        auto r =
            cli({"ingest", "-q", "--server", server.url(), "--project", "p", "--branch", "main",
                 "--commit", fmt::format("c{:07}", c), "--testbed", "t", file.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    auto check = cli({"check", "--server", server.url(), "--project", "p", "--branch", "main",
                      "--testbed", "t", "--commit", "c0000017"});
    EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
    for (const std::string format : {"text", "json"}) {
        auto s =
            cli({"alerts", "list", "--server", server.url(), "--project", "p", "--format", format});
        auto d =
            cli({"alerts", "list", "--db", m_schema.dsn(), "--project", "p", "--format", format});
        EXPECT_EQ(s.exit_code, 0) << s.err;
        EXPECT_EQ(s.out, d.out) << format;
    }
    EXPECT_NE(m_schema.scalar("SELECT count(*) FROM alert"), "0");
    const std::string id = m_schema.scalar("SELECT min(id) FROM alert");
    auto no_project = cli({"alerts", "ack", id, "--note", "on it", "--server", server.url()});
    EXPECT_EQ(no_project.exit_code, 2);
    auto ack =
        cli({"alerts", "ack", id, "--note", "on it", "--server", server.url(), "--project", "p"});
    EXPECT_EQ(ack.exit_code, 0) << ack.err;
    EXPECT_EQ(m_schema.scalar("SELECT status FROM alert WHERE id = " + id), "acknowledged");
    auto reset = cli({"baseline", "reset", "--server", server.url(), "--project", "p",
                      "--benchmark", "bench*", "--commit", "c0000016", "--reason", "intended"});
    EXPECT_EQ(reset.exit_code, 0) << reset.err;
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM baseline_reset"), "1");
    auto report = cli({"report", "--server", server.url(), "--project", "p", "--testbed", "t"});
    EXPECT_EQ(report.exit_code, 0) << report.err;
    EXPECT_TRUE(nlohmann::json::accept(report.out));
    auto html = cli({"report", "--server", server.url(), "--project", "p", "--format", "html"});
    EXPECT_EQ(html.exit_code, 2);
    EXPECT_NE(html.err.find("dashboard"), std::string::npos) << html.err;
}

// ci/examples/fork-pr: the untrusted job's script runs a real benchmark binary with no token
// and no server; the trusted job's script stores its files through the server with the token
// and writes the PR comment. A re-run of the trusted job stores nothing twice.
TEST_F(ServerClientTest, ForkPullRequestScriptsCollectThenUpload) {
    const std::string token = "pt_fork_pr_token_99";
    StandIn server(m_schema.dsn(), m_dir / "standin", token);
    server.start();
    const std::string scripts = std::string(PERFTRACK_SOURCE_DIR) + "/ci/examples/fork-pr/";
    const auto results = m_dir / "perf-results";
    ProcessOptions untrusted;
    untrusted.env = {{"PERFTRACK_REPETITIONS", "3"}, {"BENCHMARK_FILTER", "BM_Accumulate"}};
    untrusted.unset_env = {"PERFTRACK_SERVER", "PERFTRACK_TOKEN", "PERFTRACK_DB"};
    auto collect =
        run_process({"bash", scripts + "collect.sh", results.string(), SAMPLE_GBENCH}, untrusted);
    ASSERT_EQ(collect.exit_code, 0) << collect.err;
    ASSERT_TRUE(std::filesystem::exists(results / "sample_gbench.json"));

    const std::string path =
        std::filesystem::path(perftrack_binary()).parent_path().string() + ":" + getenv("PATH");
    ProcessOptions trusted;
    trusted.env = {{"PATH", path},
                   {"PERFTRACK_HOME", (m_dir / "trusted-home").string()},
                   {"PERFTRACK_SERVER", server.url()},
                   {"PERFTRACK_TOKEN", token},
                   {"PROJECT", "forked"},
                   {"TESTBED", "gha"},
                   {"PR_NUMBER", "42"},
                   {"HEAD_SHA", "0123456789abcdef0123456789abcdef01234567"},
                   {"RUN_KEY", "gh-1234-1"},
                   {"BASE_BRANCH", "main"}};
    trusted.cwd = m_dir.path();
    const auto comment = m_dir / "comment.md";
    const std::vector<std::string> upload = {"bash", scripts + "upload.sh", results.string(),
                                             comment.string()};
    auto first = run_process(upload, trusted);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_EQ(first.out.find(token), std::string::npos);
    EXPECT_EQ(first.err.find(token), std::string::npos);
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), "1");
    EXPECT_EQ(m_schema.scalar("SELECT b.name FROM run r JOIN branch b ON b.id = r.branch_id"),
              "pr-42");
    std::ifstream in(comment);
    const std::string markdown((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(markdown.find("perftrack"), std::string::npos) << markdown;
    EXPECT_NE(markdown.find("Accumulate"), std::string::npos) << markdown;
    auto again = run_process(upload, trusted);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("already ingested"), std::string::npos) << again.out;
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), "1");
    // A refused token fails the job with perftrack's exit code and stores nothing.
    trusted.env["PERFTRACK_TOKEN"] = "pt_wrong";
    trusted.env["RUN_KEY"] = "gh-1234-2";
    auto refused = run_process(upload, trusted);
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), "1");
}

// 6 clients x 20 runs; the server is killed (SIGKILL) mid-way and stays down longer than the
// clients' retries, then comes back: every run is stored directly or spooled (exit 3), and after
// `push --server` exactly 120 runs are stored, none twice.
TEST_F(ServerClientTest, KilledServerLosesAndDuplicatesNothing) {
    StandIn server(m_schema.dsn(), m_dir / "standin");
    server.start();
    constexpr int k_clients = 6, k_runs = 20;
    const auto file = m_dir.write("r.json", three_benchmark_run(1, 100));
    std::atomic<int> direct{0}, spooled_runs{0}, other{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < k_clients; ++c) {
        clients.emplace_back([&, c] {
            for (int i = 0; i < k_runs; ++i) {
                ProcessOptions options;
                options.env = {{"PERFTRACK_HOME", (m_dir / fmt::format("client{}", c)).string()}};
                options.unset_env = {"PERFTRACK_SERVER", "PERFTRACK_TOKEN"};
                options.timeout_seconds = 120;
                auto r = run_perftrack(
                    {"ingest", "-q", "--server", server.url(), "--project", "load", "--branch",
                     "main", "--commit", fmt::format("{:02}{:02}000", c, i), "--testbed", "t",
                     "--run-id", fmt::format("client{}-run{}", c, i), file.string()},
                    options);
                (r.exit_code == 0 ? direct : r.exit_code == 3 ? spooled_runs : other)++;
            }
        });
    }
    std::this_thread::sleep_for(600ms);
    server.kill();
    // Longer than the retries (0.25-0.5 + 0.5-1 + 1-2 + 2-4 s): the runs in flight are spooled.
    std::this_thread::sleep_for(9s);
    server.start();
    for (auto& t : clients) t.join();
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(direct.load() + spooled_runs.load(), k_clients * k_runs);
    EXPECT_GT(spooled_runs.load(), 0) << "the outage should have spooled something";
    for (int c = 0; c < k_clients; ++c) {
        ProcessOptions options;
        options.env = {{"PERFTRACK_HOME", (m_dir / fmt::format("client{}", c)).string()}};
        options.unset_env = {"PERFTRACK_SERVER", "PERFTRACK_TOKEN"};
        auto push = run_perftrack({"push", "--server", server.url()}, options);
        EXPECT_EQ(push.exit_code, 0) << push.err;
    }
    EXPECT_EQ(m_schema.scalar("SELECT count(*) FROM run"), std::to_string(k_clients * k_runs));
    EXPECT_EQ(m_schema.scalar("SELECT count(DISTINCT run_key) FROM run"),
              std::to_string(k_clients * k_runs));
    std::printf("killed server: %d stored directly, %d spooled and pushed, %s stored in all\n",
                direct.load(), spooled_runs.load(),
                m_schema.scalar("SELECT count(*) FROM run").c_str());
}

}  // namespace
}  // namespace perftrack::testing
