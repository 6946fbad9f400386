// Ingest: one run (or one part of it) in one transaction. Identity rows are found or created,
// the run and its part are claimed (the idempotency check), benchmark and metric ids are
// resolved on the client, and the sample arrays go straight into the sample table with one
// binary COPY (store/pg/copy_binary.hpp) -- the rows `psql \copy` would send, without printing
// and parsing every sample as text.
#include <unordered_map>

#include <fmt/format.h>

#include "store/pg/copy_binary.hpp"
#include "store/pg/pg_internal.hpp"
#include "store/pg/statements.hpp"

namespace perftrack::store::pg {

namespace {

// Deadlocks and serialisation failures between concurrent ingests are retried this often.
constexpr int k_max_attempts = 5;

std::optional<std::int64_t> first_id(const pqxx::result& r) {
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::int64_t>();
}

std::int64_t find_or_create(pqxx::work& tx, const char* insert, const char* select,
                            const std::string& what, auto&&... args) {
    if (auto id = first_id(tx.exec_prepared(insert, args...))) return *id;
    if (auto id = first_id(tx.exec_prepared(select, args...))) return *id;
    throw StoreError(fmt::format("could not create or find {}", what), "", false);
}

std::string benchmark_key(const std::string& suite, const std::string& name,
                          const std::string& params_key) {
    std::string key;
    key.reserve(suite.size() + name.size() + params_key.size() + 2);
    key += suite;
    key += '\x1f';
    key += name;
    key += '\x1f';
    key += params_key;
    return key;
}

struct Identity {
    std::int64_t project_id = 0;
    std::int64_t testbed_id = 0;
    std::int64_t branch_id = 0;
    std::int64_t commit_id = 0;
};

std::int64_t create_testbed(pqxx::work& tx, std::int64_t project_id, const RunToStore& run) {
    if (auto t = first_id(tx.exec_prepared(sql::k_testbed_insert, project_id, run.testbed,
                                           run.fingerprint.dump())))
        return *t;
    if (auto t = first_id(tx.exec_prepared(sql::k_testbed_select, project_id, run.testbed)))
        return *t;
    throw StoreError("could not create or find testbed " + run.testbed, "", false);
}

Identity resolve_identity(pqxx::work& tx, const RunToStore& run) {
    Identity id;
    // Existing rows first, in one round trip; the insert-then-select of each missing one
    // (insert never updates an existing row, so finding it first stores the same).
    if (auto r = tx.exec_prepared(sql::k_identity_select, run.project, run.testbed, run.branch);
        !r.empty()) {
        id.project_id = r[0][0].as<std::int64_t>();
        if (!r[0][1].is_null()) id.testbed_id = r[0][1].as<std::int64_t>();
        if (!r[0][2].is_null()) id.branch_id = r[0][2].as<std::int64_t>();
    }
    if (id.project_id == 0)
        id.project_id = find_or_create(tx, sql::k_project_insert, sql::k_project_select,
                                       "project " + run.project, run.project);
    if (id.testbed_id == 0) id.testbed_id = create_testbed(tx, id.project_id, run);
    if (id.branch_id == 0)
        id.branch_id = find_or_create(tx, sql::k_branch_insert, sql::k_branch_select,
                                      "branch " + run.branch, id.project_id, run.branch);
    if (auto c =
            first_id(tx.exec_prepared(sql::k_commit_insert, id.project_id, run.commit,
                                      run.commit_time_us, run.parent_commit, run.commit_subject))) {
        id.commit_id = *c;
        return id;
    }
    auto r = tx.exec_prepared(sql::k_commit_select, id.project_id, run.commit);
    if (r.empty()) throw StoreError("could not create or find commit " + run.commit, "", false);
    id.commit_id = r[0][0].as<std::int64_t>();
    const bool missing_time = r[0][1].as<bool>() && run.commit_time_us;
    const bool missing_subject = r[0][2].as<bool>() && !run.commit_subject.empty();
    const bool missing_parent = r[0][3].as<bool>() && !run.parent_commit.empty();
    if (missing_time || missing_subject || missing_parent)
        tx.exec_prepared(sql::k_commit_fill, id.commit_id, run.commit_time_us, run.commit_subject,
                         run.parent_commit);
    return id;
}

// Benchmark ids for every benchmark the run mentions (measurements and failures), creating the
// missing ones. Keys: benchmark_key(suite, name, params_key).
std::unordered_map<std::string, std::int64_t> resolve_benchmarks(pqxx::work& tx,
                                                                 std::int64_t project_id,
                                                                 const core::RunResults& results) {
    std::unordered_map<std::string, std::int64_t> ids;
    for (const auto& row : tx.exec_prepared(sql::k_project_benchmarks, project_id))
        ids.emplace(benchmark_key(row[1].as<std::string>(), row[2].as<std::string>(),
                                  row[3].as<std::string>()),
                    row[0].as<std::int64_t>());
    struct Missing {
        std::string suite, name, params_key;
    };
    std::vector<Missing> missing;
    std::unordered_map<std::string, bool> queued;
    auto want = [&](const std::string& suite, const std::string& name, const core::Params& params) {
        std::string params_key = params.dump();
        std::string key = benchmark_key(suite, name, params_key);
        if (ids.count(key) != 0 || !queued.emplace(key, true).second) return;
        missing.push_back({suite, name, std::move(params_key)});
    };
    for (const auto& m : results.measurements)
        want(m.series.suite, m.series.benchmark, m.series.params);
    for (const auto& f : results.failures) want(f.suite, f.benchmark, f.params);
    if (missing.empty()) return ids;

    tx.exec(sql::k_create_new_benchmarks);
    {
        pqxx::stream_to stage(tx, sql::k_new_benchmarks_table,
                              std::vector<std::string>{"suite", "name", "params", "params_key"});
        for (const auto& b : missing)
            stage << std::make_tuple(b.suite, b.name, b.params_key, b.params_key);
        stage.complete();
    }
    tx.exec_params(sql::k_new_benchmarks_insert, project_id);
    for (const auto& row : tx.exec_params(sql::k_new_benchmarks_select, project_id))
        ids[benchmark_key(row[1].as<std::string>(), row[2].as<std::string>(),
                          row[3].as<std::string>())] = row[0].as<std::int64_t>();
    return ids;
}

// The project's metrics, keyed metric + '\x1f' + unit: one round trip for all of them.
std::unordered_map<std::string, std::int64_t> project_metrics(pqxx::work& tx,
                                                              std::int64_t project_id) {
    std::unordered_map<std::string, std::int64_t> ids;
    for (const auto& row : tx.exec_prepared(sql::k_project_metrics, project_id))
        ids.emplace(row[1].as<std::string>() + '\x1f' + row[2].as<std::string>(),
                    row[0].as<std::int64_t>());
    return ids;
}

std::int64_t metric_id(pqxx::work& tx, std::int64_t project_id, const core::SeriesId& s,
                       std::unordered_map<std::string, std::int64_t>& cache) {
    const std::string key = s.metric + '\x1f' + s.unit;
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    auto id = first_id(tx.exec_prepared(sql::k_metric_insert, project_id, s.metric, s.unit,
                                        std::string(core::to_string(s.direction))));
    if (!id) id = first_id(tx.exec_prepared(sql::k_metric_select, project_id, s.metric, s.unit));
    if (!id) throw StoreError("could not create or find metric " + s.metric, "", false);
    cache.emplace(key, *id);
    return *id;
}

IngestOutcome ingest_once(pqxx::connection& conn, const RunToStore& run) {
    IngestOutcome out;
    out.counts = core::count(run.results);
    pqxx::work tx(conn);
    const Identity id = resolve_identity(tx, run);

    const bool partial = !run.results.failures.empty();
    std::int64_t run_id = 0;
    bool new_run = false;
    if (auto r =
            first_id(tx.exec_prepared(sql::k_run_insert, id.project_id, id.testbed_id, id.branch_id,
                                      id.commit_id, run.run_key, run.started_at_us, run.ended_at_us,
                                      partial ? "partial" : "complete", run.context.dump()))) {
        run_id = *r;
        new_run = true;
    } else {
        // The run exists: this is another part of it (a shard) or a repeated ingest.
        auto r2 = tx.exec_prepared(sql::k_run_select, id.project_id, run.run_key);
        if (r2.empty()) throw StoreError("could not create or find run " + run.run_key, "", false);
        run_id = r2[0][0].as<std::int64_t>();
        const auto testbed = r2[0][1].as<std::string>();
        const auto sha = r2[0][2].as<std::string>();
        if (testbed != run.testbed || sha != run.commit)
            throw StoreError(fmt::format("run key \"{}\" already belongs to commit {} on testbed "
                                         "{}, not commit {} on testbed {}",
                                         run.run_key, sha, testbed, run.commit, run.testbed),
                             "run_key_conflict", false);
    }
    out.run_id = run_id;
    if (tx.exec_prepared(sql::k_run_part_insert, run_id, run.part_key).empty()) {
        tx.abort();
        out.stored = false;
        return out;  // already ingested: nothing written
    }
    if (!new_run && partial) tx.exec_prepared(sql::k_run_mark_partial, run_id);

    const auto benchmark_ids = resolve_benchmarks(tx, id.project_id, run.results);
    auto benchmark_of = [&](const std::string& suite, const std::string& name,
                            const core::Params& params) {
        return benchmark_ids.at(benchmark_key(suite, name, params.dump()));
    };
    std::unordered_map<std::string, std::int64_t> metric_ids;
    if (!run.results.measurements.empty()) {
        metric_ids = project_metrics(tx, id.project_id);
        // A new run cannot hold any of these rows yet: COPY straight into the table. Another
        // part of an existing run may overlap an earlier part: stage and skip duplicates.
        // Metric ids first: no other statement may run while a COPY is in progress.
        std::vector<std::int64_t> metric_of(run.results.measurements.size());
        for (std::size_t i = 0; i < run.results.measurements.size(); ++i)
            metric_of[i] =
                metric_id(tx, id.project_id, run.results.measurements[i].series, metric_ids);
        if (!new_run) tx.exec(sql::k_create_sample_stage);
        BinaryCopy rows(
            tx, new_run ? sql::k_sample_table : sql::k_sample_stage_table,
            new_run ? std::vector<std::string>{"run_id", "benchmark_id", "metric_id", "samples"}
                    : std::vector<std::string>{"benchmark_id", "metric_id", "samples"});
        for (std::size_t i = 0; i < run.results.measurements.size(); ++i) {
            const auto& m = run.results.measurements[i];
            rows.begin_row(new_run ? 4 : 3);
            if (new_run) rows.add_int8(run_id);
            rows.add_int8(benchmark_of(m.series.suite, m.series.benchmark, m.series.params));
            rows.add_int8(metric_of[i]);
            rows.add_float8_array(m.samples);
        }
        rows.complete();
        if (!new_run) tx.exec_params(sql::k_stage_to_sample, run_id);
    }
    for (const auto& f : run.results.failures)
        tx.exec_prepared(sql::k_failure_insert, run_id,
                         benchmark_of(f.suite, f.benchmark, f.params), f.message);
    tx.commit();
    out.stored = true;
    return out;
}

}  // namespace

IngestOutcome ingest_run(pqxx::connection& conn, const RunToStore& run) {
    for (int attempt = 1;; ++attempt) {
        try {
            return ingest_once(conn, run);
        } catch (const pqxx::transaction_rollback&) {
            // deadlock_detected / serialization_failure: the other transaction won; retry.
            if (attempt >= k_max_attempts) throw;
        }
    }
}

}  // namespace perftrack::store::pg
