#pragma once
// Every SQL statement perftrack runs at runtime, by name. Values are always bound as $n
// parameters, never spliced into the text. (Schema changes live in store/migrations/.)

#include <pqxx/pqxx>

namespace perftrack::store::pg::sql {

// Prepares every named statement on a fresh connection.
void prepare_all(pqxx::connection& conn);

// Names of prepared statements.
inline constexpr const char* k_identity_select = "identity_select";
inline constexpr const char* k_project_insert = "project_insert";
inline constexpr const char* k_project_select = "project_select";
inline constexpr const char* k_testbed_insert = "testbed_insert";
inline constexpr const char* k_testbed_select = "testbed_select";
inline constexpr const char* k_branch_insert = "branch_insert";
inline constexpr const char* k_branch_select = "branch_select";
inline constexpr const char* k_commit_insert = "commit_insert";
inline constexpr const char* k_commit_select = "commit_select";
inline constexpr const char* k_commit_fill = "commit_fill";
inline constexpr const char* k_run_insert = "run_insert";
inline constexpr const char* k_run_select = "run_select";
inline constexpr const char* k_run_mark_partial = "run_mark_partial";
inline constexpr const char* k_run_part_insert = "run_part_insert";
inline constexpr const char* k_metric_insert = "metric_insert";
inline constexpr const char* k_metric_select = "metric_select";
inline constexpr const char* k_project_benchmarks = "project_benchmarks";
inline constexpr const char* k_project_metrics = "project_metrics";
inline constexpr const char* k_failure_insert = "failure_insert";
inline constexpr const char* k_history_runs = "history_runs";
inline constexpr const char* k_history_benchmarks = "history_benchmarks";
inline constexpr const char* k_history_metrics = "history_metrics";
inline constexpr const char* k_history_resets = "history_resets";
inline constexpr const char* k_history_failures = "history_failures";
inline constexpr const char* k_ids_for_history = "ids_for_history";
inline constexpr const char* k_token_insert = "token_insert";
inline constexpr const char* k_token_by_hash = "token_by_hash";
inline constexpr const char* k_token_list = "token_list";
inline constexpr const char* k_token_revoke = "token_revoke";
inline constexpr const char* k_project_public = "project_public";
inline constexpr const char* k_project_set_public = "project_set_public";
inline constexpr const char* k_alert_upsert = "alert_upsert";
inline constexpr const char* k_alert_list = "alert_list";
inline constexpr const char* k_alert_deliveries = "alert_deliveries";
inline constexpr const char* k_alert_acknowledge = "alert_acknowledge";
inline constexpr const char* k_alert_resolve = "alert_resolve";
inline constexpr const char* k_alert_delivery_record = "alert_delivery_record";
inline constexpr const char* k_baseline_reset_insert = "baseline_reset_insert";

// Unprepared statements (DDL) and COPY targets. Prepared statements that read a temporary table
// are prepared after it exists (see ingest.cpp).
inline constexpr const char* k_create_new_benchmarks =
    "CREATE TEMP TABLE perftrack_new_benchmark (suite text NOT NULL, name text NOT NULL, "
    "params jsonb NOT NULL, params_key text NOT NULL) ON COMMIT DROP";
inline constexpr const char* k_new_benchmarks_table = "perftrack_new_benchmark";
inline constexpr const char* k_create_sample_stage =
    "CREATE TEMP TABLE perftrack_sample_stage (benchmark_id bigint NOT NULL, metric_id bigint NOT "
    "NULL, samples float8[] NOT NULL) ON COMMIT DROP";
inline constexpr const char* k_sample_stage_table = "perftrack_sample_stage";
inline constexpr const char* k_sample_table = "sample";

// Statements over those temporary tables run unprepared (the tables do not exist when the
// connection prepares its statements), still with bound parameters.
// New benchmarks: inserted in a fixed order (concurrent ingests take index locks in the same
// order, so they cannot deadlock), then read back with their ids.
inline constexpr const char* k_new_benchmarks_insert =
    "INSERT INTO benchmark (project_id, suite, name, params, params_key) "
    "SELECT $1::bigint, suite, name, params, params_key FROM perftrack_new_benchmark "
    "ORDER BY suite, name, params_key ON CONFLICT DO NOTHING";
inline constexpr const char* k_new_benchmarks_select =
    "SELECT b.id, b.suite, b.name, b.params_key FROM perftrack_new_benchmark n "
    "JOIN benchmark b ON b.project_id = $1 AND b.suite = n.suite AND b.name = n.name "
    "AND b.params_key = n.params_key";
// Another part of an existing run (a shard): a series it shares with an earlier part keeps the
// first values.
inline constexpr const char* k_stage_to_sample =
    "INSERT INTO sample (run_id, benchmark_id, metric_id, samples) "
    "SELECT $1::bigint, benchmark_id, metric_id, samples FROM perftrack_sample_stage "
    "ON CONFLICT DO NOTHING";

}  // namespace perftrack::store::pg::sql
