#pragma once
// Every SQL statement perftrack runs at runtime, by name. Values are always bound as $n
// parameters, never spliced into the text. (Schema changes live in store/migrations/.)

#include <pqxx/pqxx>

namespace perftrack::store::pg::sql {

// Prepares every named statement on a fresh connection.
void prepare_all(pqxx::connection& conn);

// Names of prepared statements.
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
inline constexpr const char* k_stage_to_benchmark = "stage_to_benchmark";
inline constexpr const char* k_stage_to_metric = "stage_to_metric";
inline constexpr const char* k_stage_to_sample = "stage_to_sample";
inline constexpr const char* k_failure_benchmark_insert = "failure_benchmark_insert";
inline constexpr const char* k_failure_insert = "failure_insert";
inline constexpr const char* k_history_runs = "history_runs";
inline constexpr const char* k_history_benchmarks = "history_benchmarks";
inline constexpr const char* k_history_metrics = "history_metrics";
inline constexpr const char* k_history_resets = "history_resets";
inline constexpr const char* k_ids_for_history = "ids_for_history";
inline constexpr const char* k_alert_upsert = "alert_upsert";
inline constexpr const char* k_alert_list = "alert_list";
inline constexpr const char* k_alert_deliveries = "alert_deliveries";
inline constexpr const char* k_alert_acknowledge = "alert_acknowledge";
inline constexpr const char* k_alert_resolve = "alert_resolve";
inline constexpr const char* k_alert_delivery_record = "alert_delivery_record";

// Unprepared statements (DDL and COPY targets).
inline constexpr const char* k_create_stage =
    "CREATE TEMP TABLE perftrack_stage (suite text NOT NULL, name text NOT NULL, "
    "params jsonb NOT NULL, metric text NOT NULL, unit text NOT NULL, direction text NOT NULL, "
    "samples float8[] NOT NULL) ON COMMIT DROP";
inline constexpr const char* k_stage_table = "perftrack_stage";

}  // namespace perftrack::store::pg::sql
