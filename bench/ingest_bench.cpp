// Ingest speed: `perftrack ingest` of 1,000,000 samples (10,000 benchmark x metric series x 100
// samples) against `psql -c "\copy"` of the same rows into the same table, on the same server.
// Target: perftrack at most 1.5x psql.
//
// Needs a PostgreSQL: PERFTRACK_BENCH_DSN (keyword form, e.g. "host=/tmp/x port=5432
// user=postgres dbname=postgres"); ci/bench_ingest.sh starts a throwaway one and runs this.
// Each iteration stores a new run, so the table grows as it would in production.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <pqxx/pqxx>
#include <unistd.h>

#include "core/process.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int k_series = 10000;
constexpr int k_samples = 100;

const char* bench_dsn() {
    const char* dsn = std::getenv("PERFTRACK_BENCH_DSN");
    return dsn != nullptr && *dsn != '\0' ? dsn : nullptr;
}

fs::path work_dir() {
    static const fs::path dir = [] {
        std::string templ = "/tmp/pt-ingest-bench-XXXXXX";
        if (::mkdtemp(templ.data()) == nullptr) std::abort();
        return fs::path(templ);
    }();
    return dir;
}

// Unique across repetitions: every iteration stores a new run.
int next_iteration() {
    static int counter = 0;
    return counter++;
}

double sample_value(int series, int i) {
    return 1000.0 + static_cast<double>((series * 31 + i * 7) % 997) / 8.0;
}

// The native file perftrack ingests (context filled in per iteration by flags).
const fs::path& native_file() {
    static const fs::path path = [] {
        const fs::path p = work_dir() / "run.json";
        std::ofstream out(p);
        out << R"({"version":1,"results":[)";
        for (int s = 0; s < k_series; ++s) {
            if (s > 0) out << ',';
            out << fmt::format(
                R"({{"benchmark":"bench_{}","params":{{"n":{}}},"metric":"real_time",)"
                R"("unit":"ns","direction":"lower","samples":[)",
                s / 4, s % 4);
            for (int i = 0; i < k_samples; ++i) out << (i > 0 ? "," : "") << sample_value(s, i);
            out << "]}";
        }
        out << "]}";
        return p;
    }();
    return path;
}

// Runs a command with its stdout discarded; its exit status (128 + signal when killed).
int run_command(const std::vector<std::string>& argv) {
    perftrack::core::ProcessSpec spec;
    spec.argv = argv;
    spec.stdout_capture = {perftrack::core::Capture::Keep::nothing, 0};
    spec.stderr_capture = {perftrack::core::Capture::Keep::last, 4096};
    auto outcome = perftrack::core::run_process(spec);
    if (!outcome) return 127;
    return outcome->shell_status();
}

void BM_PerftrackIngest(benchmark::State& state) {
    const char* dsn = bench_dsn();
    if (dsn == nullptr) {
        state.SkipWithError("PERFTRACK_BENCH_DSN is not set (see ci/bench_ingest.sh)");
        return;
    }
    const fs::path file = native_file();
    for (auto _ : state) {
        const int iteration = next_iteration();
        const auto start = std::chrono::steady_clock::now();
        const int rc = run_command({PERFTRACK_BINARY, "ingest", "--db", dsn, "--project", "bench",
                                    "--testbed", "t", "--branch", "main", "--commit",
                                    fmt::format("ingest-{}-{}", ::getpid(), iteration), "--run-id",
                                    fmt::format("ingest-{}-{}", ::getpid(), iteration), "--format",
                                    "perftrack", file.string()});
        const auto end = std::chrono::steady_clock::now();
        if (rc != 0) {
            state.SkipWithError("perftrack ingest failed");
            return;
        }
        state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    }
    state.counters["samples_per_second"] = benchmark::Counter(
        static_cast<double>(k_series) * k_samples * static_cast<double>(state.iterations()),
        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PerftrackIngest)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

// psql copies the same rows (run, benchmark, metric, the 100 samples of a series) into the same
// sample table. Runs, benchmarks and metrics are created beforehand, outside the timing.
void BM_PsqlCopy(benchmark::State& state) {
    const char* dsn = bench_dsn();
    if (dsn == nullptr) {
        state.SkipWithError("PERFTRACK_BENCH_DSN is not set (see ci/bench_ingest.sh)");
        return;
    }
    pqxx::connection conn(dsn);
    std::vector<long long> benchmark_ids;
    long long metric_id = 0;
    {
        pqxx::work tx(conn);
        auto r = tx.exec(
            "SELECT b.id FROM benchmark b JOIN project p ON p.id = b.project_id WHERE p.name = "
            "'bench' ORDER BY b.name, b.params");
        for (const auto& row : r) benchmark_ids.push_back(row[0].as<long long>());
        auto m = tx.exec(
            "SELECT m.id FROM metric m JOIN project p ON p.id = m.project_id WHERE "
            "p.name = 'bench'");
        if (!m.empty()) metric_id = m[0][0].as<long long>();
        tx.commit();
    }
    if (benchmark_ids.size() != static_cast<std::size_t>(k_series) || metric_id == 0) {
        state.SkipWithError("run BM_PerftrackIngest first (it creates the benchmarks)");
        return;
    }
    for (auto _ : state) {
        const int iteration = next_iteration();
        state.PauseTiming();
        long long run_id = 0;
        {
            pqxx::work tx(conn);
            run_id =
                tx.exec_params(
                      "INSERT INTO run (project_id, testbed_id, branch_id, commit_id, run_key, "
                      "started_at, ended_at, status) SELECT project_id, testbed_id, branch_id, "
                      "commit_id, $1, now(), now(), 'complete' FROM run ORDER BY id LIMIT 1 "
                      "RETURNING id",
                      fmt::format("psql-{}-{}", ::getpid(), iteration))[0][0]
                    .as<long long>();
            tx.commit();
        }
        const fs::path rows = work_dir() / "rows.tsv";
        {
            std::ofstream out(rows);
            for (int s = 0; s < k_series; ++s) {
                out << run_id << '\t' << benchmark_ids[static_cast<std::size_t>(s)] << '\t'
                    << metric_id << "\t{";
                for (int i = 0; i < k_samples; ++i)
                    out << (i > 0 ? "," : "") << fmt::format("{}", sample_value(s, i));
                out << "}\n";
            }
        }
        state.ResumeTiming();
        const auto start = std::chrono::steady_clock::now();
        const int rc = run_command({"psql", dsn, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                    fmt::format("\\copy sample (run_id, benchmark_id, metric_id, "
                                                "samples) FROM '{}'",
                                                rows.string())});
        const auto end = std::chrono::steady_clock::now();
        if (rc != 0) {
            state.SkipWithError("psql \\copy failed");
            return;
        }
        state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    }
    state.counters["samples_per_second"] = benchmark::Counter(
        static_cast<double>(k_series) * k_samples * static_cast<double>(state.iterations()),
        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PsqlCopy)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
