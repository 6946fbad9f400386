// Retention: `perftrack db prune` deletes old runs (their samples, parts and failures go with
// them through ON DELETE CASCADE) in one transaction, except what detection still needs.
//
// Concurrency with ingest: the prune takes only row locks (DELETE), so CI jobs keep ingesting.
// A new run is never a candidate (it started after the cutoff, or it is not in the snapshot the
// candidates were chosen from). The one race is a late part (a shard) of an old run: the
// candidates remember how many parts they had, are then locked FOR UPDATE (which waits for any
// ingest already adding to them), and a run whose part count changed meanwhile is dropped from
// the set by a later statement (a new snapshot under READ COMMITTED), so no part that committed
// is deleted unseen. A part that arrives after the lock waits for the prune and then fails on
// its foreign key (an error the ingest reports, not a silent loss).
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/pg/pg_internal.hpp"

namespace perftrack::store::pg {

namespace {

// The timeline order of history.cpp (commit time, else start time; then start time; then id),
// newest first.
constexpr const char* k_newest_first =
    "COALESCE(c.commit_time, r.started_at) DESC, r.started_at DESC, r.id DESC";

std::string candidates_sql() {
    return fmt::format(
        "CREATE TEMP TABLE prune_candidate ON COMMIT DROP AS "
        "WITH old AS ("
        "  SELECT r.id, r.project_id, r.testbed_id, r.branch_id, r.commit_id,"
        "   row_number() OVER (PARTITION BY r.project_id, r.testbed_id, r.branch_id"
        "    ORDER BY COALESCE(c.commit_time, r.started_at), r.started_at, r.id) AS position,"
        "   row_number() OVER (PARTITION BY r.project_id, r.testbed_id, r.branch_id,"
        "    date_trunc('month', COALESCE(c.commit_time, r.started_at) AT TIME ZONE 'UTC')"
        "    ORDER BY {0}) AS month_rank"
        "  FROM run r JOIN commit c ON c.id = r.commit_id"
        "  WHERE r.started_at < 'epoch'::timestamptz + $1::bigint * interval '1 microsecond'"
        "), "
        // The newest window of each testbed on a baseline branch (what `check` replays)...
        "branch_window AS ("
        "  SELECT id FROM ("
        "   SELECT r.id, row_number() OVER (PARTITION BY r.project_id, r.testbed_id, r.branch_id"
        "    ORDER BY {0}) AS k"
        "   FROM run r JOIN commit c ON c.id = r.commit_id JOIN branch b ON b.id = r.branch_id"
        "   WHERE b.name IN (SELECT jsonb_array_elements_text($2::jsonb))) w WHERE k <= $3"
        "), "
        // ...and of each series there, for a series measured in only some of the runs.
        "series_window AS ("
        "  SELECT run_id AS id FROM ("
        "   SELECT s.run_id, row_number() OVER (PARTITION BY r.project_id, r.testbed_id,"
        "    r.branch_id, s.benchmark_id, s.metric_id ORDER BY {0}) AS k"
        "   FROM sample s JOIN run r ON r.id = s.run_id JOIN commit c ON c.id = r.commit_id"
        "   JOIN branch b ON b.id = r.branch_id"
        "   WHERE b.name IN (SELECT jsonb_array_elements_text($2::jsonb))) w WHERE k <= $3"
        "), "
        // Active alerts (where the regression began and where it was last seen) and change
        // points (change-point alerts, resolved or not), on their testbed and branch.
        "alert_run AS ("
        "  SELECT r.id FROM alert a JOIN run r ON r.project_id = a.project_id"
        "   AND r.testbed_id = a.testbed_id AND r.branch_id = a.branch_id"
        "   AND r.commit_id IN (a.commit_id, a.last_commit_id)"
        "  WHERE a.status <> 'resolved' OR a.source = 'change_point'"
        "), "
        // Baseline resets: the runs of the commit where a baseline starts again.
        "reset_run AS ("
        "  SELECT r.id FROM baseline_reset br JOIN run r ON r.project_id = br.project_id"
        "   AND r.commit_id = br.commit_id"
        "   AND (br.testbed_id IS NULL OR r.testbed_id = br.testbed_id)"
        ") "
        "SELECT o.id, o.project_id, o.testbed_id, o.branch_id,"
        " (o.id IN (SELECT id FROM branch_window) OR o.id IN (SELECT id FROM series_window)"
        "  OR o.id IN (SELECT id FROM alert_run) OR o.id IN (SELECT id FROM reset_run)) AS "
        "protected,"
        " (CASE $4::text WHEN 'every_n' THEN (o.position - 1) % $5::bigint = 0"
        "   WHEN 'monthly' THEN o.month_rank = 1 ELSE false END) AS thinned_keeper,"
        " (SELECT count(*) FROM run_part p WHERE p.run_id = o.id) AS parts "
        "FROM old o",
        k_newest_first);
}

}  // namespace

PruneReport prune_runs(pqxx::connection& conn, const PruneRequest& request) {
    PruneReport report;
    report.dry_run = request.dry_run;
    pqxx::work tx(conn);
    const char* thinning = request.thinning == PruneThinning::every_n   ? "every_n"
                           : request.thinning == PruneThinning::monthly ? "monthly"
                                                                        : "none";
    // The branch names travel as one JSON array parameter (nlohmann escapes them).
    tx.exec_params(candidates_sql(), request.cutoff_us,
                   nlohmann::json(request.baseline_branches).dump(),
                   static_cast<std::int64_t>(request.window_runs), std::string(thinning),
                   static_cast<std::int64_t>(std::max<std::size_t>(request.every_n, 1)));
    report.protected_runs =
        tx.exec("SELECT count(*) FROM prune_candidate WHERE protected")[0][0].as<std::int64_t>();
    tx.exec("DELETE FROM prune_candidate WHERE protected OR thinned_keeper");
    // Wait for ingests already adding parts to these runs, then forget the runs that received
    // one since they were chosen (this statement's snapshot sees those that committed).
    tx.exec(
        "SELECT r.id FROM run r WHERE r.id IN (SELECT id FROM prune_candidate) ORDER BY r.id "
        "FOR UPDATE OF r");
    tx.exec(
        "DELETE FROM prune_candidate pc "
        "WHERE pc.parts <> (SELECT count(*) FROM run_part p WHERE p.run_id = pc.id)");
    const auto groups = tx.exec(
        "SELECT p.name, t.name, b.name, count(DISTINCT pc.id), count(s.run_id),"
        " COALESCE(sum(cardinality(s.samples)), 0) "
        "FROM prune_candidate pc JOIN project p ON p.id = pc.project_id"
        " JOIN testbed t ON t.id = pc.testbed_id JOIN branch b ON b.id = pc.branch_id"
        " LEFT JOIN sample s ON s.run_id = pc.id "
        "GROUP BY p.name, t.name, b.name ORDER BY p.name, t.name, b.name");
    for (const auto& row : groups) {
        PruneGroup g;
        g.project = row[0].as<std::string>();
        g.testbed = row[1].as<std::string>();
        g.branch = row[2].as<std::string>();
        g.runs = row[3].as<std::int64_t>();
        g.series_values = row[4].as<std::int64_t>();
        g.samples = row[5].as<std::int64_t>();
        report.runs += g.runs;
        report.series_values += g.series_values;
        report.samples += g.samples;
        report.groups.push_back(std::move(g));
    }
    if (request.dry_run) {
        tx.abort();
        return report;
    }
    tx.exec("DELETE FROM run WHERE id IN (SELECT id FROM prune_candidate)");
    tx.commit();
    return report;
}

}  // namespace perftrack::store::pg
