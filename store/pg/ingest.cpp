// Ingest: one run (or one part of it) in one transaction. Identity rows are found or created,
// the run and its part are claimed (the idempotency check), and every series goes through one
// COPY into a temporary staging table followed by three set-based INSERTs.
#include <fmt/format.h>

#include "store/pg/copy_text.hpp"
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

std::optional<std::int64_t> optional_time(const RunToStore& run) { return run.commit_time_us; }

IngestOutcome ingest_once(pqxx::connection& conn, const RunToStore& run) {
    IngestOutcome out;
    out.counts = core::count(run.results);
    pqxx::work tx(conn);

    const std::int64_t project_id =
        find_or_create(tx, sql::k_project_insert, sql::k_project_select,
                       "project " + run.project, run.project);
    std::int64_t testbed_id = 0;
    if (auto id = first_id(tx.exec_prepared(sql::k_testbed_insert, project_id, run.testbed,
                                            run.fingerprint.dump()))) {
        testbed_id = *id;
    } else if (auto found = first_id(tx.exec_prepared(sql::k_testbed_select, project_id,
                                                      run.testbed))) {
        testbed_id = *found;
    } else {
        throw StoreError("could not create or find testbed " + run.testbed, "", false);
    }
    const std::int64_t branch_id =
        find_or_create(tx, sql::k_branch_insert, sql::k_branch_select, "branch " + run.branch,
                       project_id, run.branch);

    std::int64_t commit_id = 0;
    if (auto id = first_id(tx.exec_prepared(sql::k_commit_insert, project_id, run.commit,
                                            optional_time(run), run.parent_commit,
                                            run.commit_subject))) {
        commit_id = *id;
    } else {
        auto r = tx.exec_prepared(sql::k_commit_select, project_id, run.commit);
        if (r.empty()) throw StoreError("could not create or find commit " + run.commit, "", false);
        commit_id = r[0][0].as<std::int64_t>();
        const bool missing_time = r[0][1].as<bool>() && run.commit_time_us;
        const bool missing_subject = r[0][2].as<bool>() && !run.commit_subject.empty();
        const bool missing_parent = r[0][3].as<bool>() && !run.parent_commit.empty();
        if (missing_time || missing_subject || missing_parent)
            tx.exec_prepared(sql::k_commit_fill, commit_id, optional_time(run), run.commit_subject,
                             run.parent_commit);
    }

    const bool partial = !run.results.failures.empty();
    std::int64_t run_id = 0;
    if (auto id = first_id(tx.exec_prepared(
            sql::k_run_insert, project_id, testbed_id, branch_id, commit_id, run.run_key,
            run.started_at_us, run.ended_at_us, partial ? "partial" : "complete",
            run.context.dump()))) {
        run_id = *id;
    } else {
        // The run exists: this is another part of it (a shard) or a repeated ingest.
        auto r = tx.exec_prepared(sql::k_run_select, project_id, run.run_key);
        if (r.empty()) throw StoreError("could not create or find run " + run.run_key, "", false);
        run_id = r[0][0].as<std::int64_t>();
        const auto testbed = r[0][1].as<std::string>();
        const auto sha = r[0][2].as<std::string>();
        if (testbed != run.testbed || sha != run.commit)
            throw StoreError(fmt::format("run key \"{}\" already belongs to commit {} on testbed "
                                         "{}, not commit {} on testbed {}",
                                         run.run_key, sha, testbed, run.commit, run.testbed),
                             "run_key_conflict", false);
        if (partial) tx.exec_prepared(sql::k_run_mark_partial, run_id);
    }
    out.run_id = run_id;
    if (tx.exec_prepared(sql::k_run_part_insert, run_id, run.part_key).empty()) {
        tx.abort();
        out.stored = false;
        return out;  // already ingested: nothing written
    }

    if (!run.results.measurements.empty()) {
        tx.exec(sql::k_create_stage);
        {
            pqxx::stream_to stage(tx, sql::k_stage_table,
                                  std::vector<std::string>{"suite", "name", "params", "metric",
                                                           "unit", "direction", "samples"});
            for (const auto& m : run.results.measurements) {
                stage << std::make_tuple(m.suite, m.benchmark, m.params.dump(), m.metric, m.unit,
                                         std::string(core::to_string(m.direction)),
                                         float_array_literal(m.samples));
            }
            stage.complete();
        }
        tx.exec_prepared(sql::k_stage_to_benchmark, project_id);
        tx.exec_prepared(sql::k_stage_to_metric, project_id);
        tx.exec_prepared(sql::k_stage_to_sample, project_id, run_id);
    }
    for (const auto& f : run.results.failures) {
        auto r = tx.exec_prepared(sql::k_failure_benchmark_insert, project_id, f.suite,
                                  f.benchmark, f.params.dump());
        if (r.empty()) throw StoreError("could not record failed benchmark " + f.benchmark, "", false);
        tx.exec_prepared(sql::k_failure_insert, run_id, r[0][0].as<std::int64_t>(), f.message);
    }
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
