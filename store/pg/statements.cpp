#include "store/pg/statements.hpp"

namespace perftrack::store::pg::sql {

void prepare_all(pqxx::connection& conn) {
    // The project, testbed and branch of an ingest in one round trip: in steady state they all
    // exist, and each insert-then-select below costs two (plus one to prepare each statement).
    conn.prepare(k_identity_select,
                 "SELECT p.id, t.id, b.id FROM project p "
                 "LEFT JOIN testbed t ON t.project_id = p.id AND t.name = $2 "
                 "LEFT JOIN branch b ON b.project_id = p.id AND b.name = $3 WHERE p.name = $1");
    // Identity rows: insert-if-absent without locking existing rows (DO NOTHING), then select.
    // DO UPDATE would serialise every concurrent ingest of a project on the same row lock.
    conn.prepare(k_project_insert,
                 "INSERT INTO project (name) VALUES ($1) ON CONFLICT (name) DO NOTHING "
                 "RETURNING id");
    conn.prepare(k_project_select, "SELECT id FROM project WHERE name = $1");
    conn.prepare(k_testbed_insert,
                 "INSERT INTO testbed (project_id, name, fingerprint) VALUES ($1, $2, $3::jsonb) "
                 "ON CONFLICT (project_id, name) DO NOTHING RETURNING id");
    conn.prepare(k_testbed_select, "SELECT id FROM testbed WHERE project_id = $1 AND name = $2");
    conn.prepare(k_branch_insert,
                 "INSERT INTO branch (project_id, name) VALUES ($1, $2) "
                 "ON CONFLICT (project_id, name) DO NOTHING RETURNING id");
    conn.prepare(k_branch_select, "SELECT id FROM branch WHERE project_id = $1 AND name = $2");
    conn.prepare(k_commit_insert,
                 "INSERT INTO commit (project_id, sha, commit_time, parent_sha, subject) "
                 "VALUES ($1, $2, (timestamptz 'epoch' + $3::bigint * interval '1 microsecond'), "
                 "NULLIF($4, ''), NULLIF($5, '')) "
                 "ON CONFLICT (project_id, sha) DO NOTHING RETURNING id");
    conn.prepare(k_commit_select,
                 "SELECT id, commit_time IS NULL, subject IS NULL, parent_sha IS NULL "
                 "FROM commit WHERE project_id = $1 AND sha = $2");
    // Fills what an earlier ingest of the same commit did not know; never overwrites.
    conn.prepare(
        k_commit_fill,
        "UPDATE commit SET commit_time = COALESCE(commit_time, (timestamptz 'epoch' + $2::bigint * "
        "interval '1 microsecond')), subject = COALESCE(subject, NULLIF($3, '')), parent_sha = "
        "COALESCE(parent_sha, NULLIF($4, '')) WHERE id = $1");
    conn.prepare(k_run_insert,
                 "INSERT INTO run (project_id, testbed_id, branch_id, commit_id, run_key, "
                 "started_at, ended_at, status, context) VALUES ($1, $2, $3, $4, $5, "
                 "(timestamptz 'epoch' + $6::bigint * interval '1 microsecond'), (timestamptz "
                 "'epoch' + $7::bigint * interval '1 microsecond'), $8, $9::jsonb) "
                 "ON CONFLICT (project_id, run_key) DO NOTHING RETURNING id");
    conn.prepare(k_run_select,
                 "SELECT r.id, t.name, c.sha FROM run r JOIN testbed t ON t.id = r.testbed_id "
                 "JOIN commit c ON c.id = r.commit_id WHERE r.project_id = $1 AND r.run_key = $2");
    conn.prepare(k_run_mark_partial, "UPDATE run SET status = 'partial' WHERE id = $1");
    conn.prepare(k_run_part_insert,
                 "INSERT INTO run_part (run_id, part_key) VALUES ($1, $2) "
                 "ON CONFLICT DO NOTHING RETURNING run_id");
    conn.prepare(k_metric_insert,
                 "INSERT INTO metric (project_id, name, unit, direction) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (project_id, name, unit) DO NOTHING RETURNING id");
    conn.prepare(k_metric_select,
                 "SELECT id FROM metric WHERE project_id = $1 AND name = $2 AND unit = $3");
    // Every benchmark of a project, to resolve ids on the client: in steady state a run adds no
    // benchmark, and this one read replaces a join per series.
    conn.prepare(k_project_benchmarks,
                 "SELECT id, suite, name, params_key FROM benchmark WHERE project_id = $1");
    conn.prepare(k_project_metrics, "SELECT id, name, unit FROM metric WHERE project_id = $1");
    conn.prepare(
        k_failure_insert,
        "INSERT INTO benchmark_failure (run_id, benchmark_id, message) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING");

    // API tokens (access.cpp); times as epoch microseconds.
    const std::string token_columns =
        "t.id, p.name, t.scope, t.token_prefix, "
        "(extract(epoch FROM t.created_at) * 1000000)::bigint, "
        "(extract(epoch FROM t.expires_at) * 1000000)::bigint, "
        "(extract(epoch FROM t.revoked_at) * 1000000)::bigint";
    conn.prepare(k_token_insert,
                 "WITH t AS (INSERT INTO api_token (project_id, scope, token_hash, token_prefix, "
                 "expires_at) VALUES ($1, $2, $3, $4, (timestamptz 'epoch' + $5::bigint * "
                 "interval '1 microsecond')) RETURNING *) SELECT " +
                     token_columns + " FROM t JOIN project p ON p.id = t.project_id");
    conn.prepare(k_token_by_hash, "SELECT " + token_columns +
                                      " FROM api_token t JOIN project p ON p.id = t.project_id "
                                      "WHERE t.token_hash = $1");
    conn.prepare(k_token_list, "SELECT " + token_columns +
                                   " FROM api_token t JOIN project p ON p.id = t.project_id "
                                   "WHERE $1::text IS NULL OR p.name = $1 ORDER BY t.id");
    conn.prepare(k_token_revoke,
                 "UPDATE api_token SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 "
                 "RETURNING id");
    conn.prepare(k_project_public, "SELECT public FROM project WHERE name = $1");
    conn.prepare(k_project_set_public,
                 "UPDATE project SET public = $2 WHERE name = $1 RETURNING id");

    // History.
    conn.prepare(k_ids_for_history,
                 "SELECT p.id, t.id, b.id FROM project p "
                 "JOIN testbed t ON t.project_id = p.id AND t.name = $2 "
                 "JOIN branch b ON b.project_id = p.id AND b.name = $3 WHERE p.name = $1");
    // Runs in commit order; $4 bounds the commit time (NULL: no bound), $5 keeps the newest N.
    conn.prepare(
        k_history_runs,
        "SELECT * FROM ("
        " SELECT r.id, r.run_key, c.sha, "
        "  (extract(epoch FROM COALESCE(c.commit_time, r.started_at)) * 1e6)::bigint AS ct,"
        "  COALESCE(c.subject, ''), (extract(epoch FROM r.started_at) * 1e6)::bigint AS st,"
        "  r.status = 'partial'"
        " FROM run r JOIN commit c ON c.id = r.commit_id"
        " WHERE r.project_id = $1 AND r.testbed_id = $2 AND r.branch_id = $3"
        "  AND ($4::bigint IS NULL OR"
        "       (extract(epoch FROM COALESCE(c.commit_time, r.started_at)) * 1e6)::bigint"
        "        <= $4::bigint)"
        " ORDER BY ct DESC, st DESC, r.id DESC LIMIT $5"
        ") newest ORDER BY ct, st, id");
    // The failed benchmarks of the runs at one commit ($4, a full sha) of a project x testbed x
    // branch, for the report's variant tables.
    conn.prepare(
        k_history_failures,
        "SELECT c.sha, r.run_key, b.suite, b.name, b.params_key, f.message "
        "FROM benchmark_failure f JOIN run r ON r.id = f.run_id "
        "JOIN commit c ON c.id = r.commit_id JOIN benchmark b ON b.id = f.benchmark_id "
        "WHERE r.project_id = $1 AND r.testbed_id = $2 AND r.branch_id = $3 AND c.sha = $4 "
        "ORDER BY b.suite, b.name, b.params_key, r.started_at, r.id");
    conn.prepare(k_history_benchmarks,
                 "SELECT id, suite, name, params_key FROM benchmark WHERE id = ANY($1::bigint[])");
    conn.prepare(k_history_metrics,
                 "SELECT id, name, unit, direction FROM metric WHERE id = ANY($1::bigint[])");
    conn.prepare(k_history_resets,
                 "SELECT br.id, br.benchmark_glob, br.metric, c.sha, "
                 " (extract(epoch FROM COALESCE(c.commit_time, br.created_at)) * 1e6)::bigint, "
                 " br.reason, (extract(epoch FROM br.created_at) * 1e6)::bigint "
                 "FROM baseline_reset br JOIN commit c ON c.id = br.commit_id "
                 "WHERE br.project_id = $1 AND (br.testbed_id IS NULL OR br.testbed_id = $2) "
                 "ORDER BY 5, br.id");

    // Alerts (migration 0002). Create-or-update in one statement: the partial unique index on
    // the active alert of a series is the arbiter, so concurrent checks cannot open two.
    // (xmax = 0) is true only for a freshly inserted row: PostgreSQL's documented way to tell
    // the two outcomes of ON CONFLICT DO UPDATE apart.
    conn.prepare(
        k_alert_upsert,
        "WITH ids AS ("
        " SELECT p.id AS project_id, t.id AS testbed_id, br.id AS branch_id,"
        "  b.id AS benchmark_id, m.id AS metric_id, c.id AS commit_id, sc.id AS seen_id"
        " FROM project p"
        " JOIN testbed t ON t.project_id = p.id AND t.name = $2"
        " JOIN branch br ON br.project_id = p.id AND br.name = $3"
        " JOIN benchmark b ON b.project_id = p.id AND b.suite = $4 AND b.name = $5"
        "  AND b.params_key = $6"
        " JOIN metric m ON m.project_id = p.id AND m.name = $7 AND m.unit = $8"
        " JOIN commit c ON c.project_id = p.id AND c.sha = $10"
        " JOIN commit sc ON sc.project_id = p.id AND sc.sha = $11"
        " WHERE p.name = $1)"
        "INSERT INTO alert AS a (project_id, testbed_id, branch_id, benchmark_id, metric_id,"
        " source, commit_id, last_commit_id, change_pct, ci_low_pct, ci_high_pct, p_value,"
        " q_value, baseline_value, regressed_value) "
        "SELECT project_id, testbed_id, branch_id, benchmark_id, metric_id, $9, commit_id,"
        " seen_id, $12, $13, $14, $15, $16, $17, $18 FROM ids "
        "ON CONFLICT (project_id, testbed_id, branch_id, benchmark_id, metric_id)"
        " WHERE status <> 'resolved' DO UPDATE SET"
        " last_commit_id = EXCLUDED.last_commit_id,"
        " times_seen = a.times_seen +"
        "  CASE WHEN a.last_commit_id = EXCLUDED.last_commit_id THEN 0 ELSE 1 END,"
        " last_seen_at = now(), change_pct = EXCLUDED.change_pct,"
        " ci_low_pct = EXCLUDED.ci_low_pct, ci_high_pct = EXCLUDED.ci_high_pct,"
        " p_value = EXCLUDED.p_value, q_value = EXCLUDED.q_value,"
        " regressed_value = EXCLUDED.regressed_value,"
        " baseline_value = COALESCE(a.baseline_value, EXCLUDED.baseline_value),"
        " commit_id = CASE WHEN EXCLUDED.source = 'change_point' THEN EXCLUDED.commit_id"
        "  ELSE a.commit_id END "
        "RETURNING a.id, (a.xmax = 0)");
    // Every filter is optional (NULL: no filter).
    conn.prepare(k_alert_list,
                 "SELECT a.id, p.name, t.name, br.name, b.suite, b.name, b.params_key, m.name,"
                 " m.unit, m.direction, a.status, a.source, c.sha,"
                 " (extract(epoch FROM COALESCE(c.commit_time, a.opened_at)) * 1e6)::bigint,"
                 " lc.sha, a.change_pct, a.ci_low_pct, a.ci_high_pct, a.p_value, a.q_value,"
                 " a.baseline_value, a.regressed_value, a.times_seen,"
                 " (extract(epoch FROM a.opened_at) * 1e6)::bigint,"
                 " (extract(epoch FROM a.last_seen_at) * 1e6)::bigint,"
                 " (extract(epoch FROM a.acknowledged_at) * 1e6)::bigint, COALESCE(a.note, ''),"
                 " (extract(epoch FROM a.resolved_at) * 1e6)::bigint, a.resolution,"
                 " a.baseline_reset_id "
                 "FROM alert a JOIN project p ON p.id = a.project_id"
                 " JOIN testbed t ON t.id = a.testbed_id JOIN branch br ON br.id = a.branch_id"
                 " JOIN benchmark b ON b.id = a.benchmark_id JOIN metric m ON m.id = a.metric_id"
                 " JOIN commit c ON c.id = a.commit_id JOIN commit lc ON lc.id = a.last_commit_id "
                 "WHERE ($1::text IS NULL OR p.name = $1) AND ($2::text IS NULL OR t.name = $2)"
                 " AND ($3::text IS NULL OR br.name = $3) AND ($4::bigint IS NULL OR a.id = $4)"
                 " AND (NOT $5::bool OR a.status <> 'resolved')"
                 " AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM alert_delivery d"
                 "  WHERE d.alert_id = a.id AND d.channel = $6 AND d.state = 'pending')) "
                 "ORDER BY a.id DESC LIMIT $7");
    conn.prepare(
        k_alert_deliveries,
        "SELECT alert_id, channel, state = 'delivered', attempts, COALESCE(last_error, ''),"
        " (extract(epoch FROM updated_at) * 1e6)::bigint "
        "FROM alert_delivery WHERE alert_id = ANY($1::bigint[]) ORDER BY alert_id, channel");
    conn.prepare(k_alert_acknowledge,
                 "UPDATE alert SET status = 'acknowledged', acknowledged_at = now(), note = $2 "
                 "WHERE id = $1 AND status <> 'resolved' RETURNING id");
    conn.prepare(k_alert_resolve,
                 "UPDATE alert SET status = 'resolved', resolved_at = now(), resolution = $2,"
                 " baseline_reset_id = $3 WHERE id = $1 AND status <> 'resolved' RETURNING id");
    conn.prepare(
        k_alert_delivery_record,
        "INSERT INTO alert_delivery AS d (alert_id, channel, state, attempts, last_error,"
        " delivered_at) VALUES ($1, $2, CASE WHEN $3 THEN 'delivered' ELSE 'pending' END,"
        " $4, NULLIF($5, ''), CASE WHEN $3 THEN now() END) "
        "ON CONFLICT (alert_id, channel) DO UPDATE SET state = EXCLUDED.state,"
        " attempts = d.attempts + EXCLUDED.attempts, last_error = EXCLUDED.last_error,"
        " updated_at = now(), delivered_at = COALESCE(EXCLUDED.delivered_at, d.delivered_at)");
    // Baseline resets ($2: testbed id or NULL for every testbed); returns what history reads.
    conn.prepare(k_baseline_reset_insert,
                 "WITH ins AS (INSERT INTO baseline_reset (project_id, testbed_id, benchmark_glob, "
                 "metric, commit_id, reason) VALUES ($1, $2, $3, $4, $5, $6) "
                 "RETURNING id, benchmark_glob, metric, commit_id, reason, created_at) "
                 "SELECT ins.id, ins.benchmark_glob, ins.metric, c.sha, "
                 " (extract(epoch FROM COALESCE(c.commit_time, ins.created_at)) * 1e6)::bigint, "
                 " ins.reason, (extract(epoch FROM ins.created_at) * 1e6)::bigint "
                 "FROM ins JOIN commit c ON c.id = ins.commit_id");
}

}  // namespace perftrack::store::pg::sql
