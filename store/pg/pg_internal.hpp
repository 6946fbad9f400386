#pragma once
// Shared by the files of store/pg/ only: libpqxx types and helpers.

#include <string>
#include <utility>

#include <pqxx/pqxx>

#include "store/retention.hpp"
#include "store/store.hpp"

namespace perftrack::store::pg {

// Runs `f` and turns libpqxx exceptions into StoreError, scrubbing secrets from messages.
// Deadlocks and serialisation failures are retried by the callers that can (ingest).
StoreError translate(const std::exception& e, const std::vector<std::string>& secrets);

template <typename F>
auto guarded(const std::vector<std::string>& secrets, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const StoreError&) {
        throw;
    } catch (const pqxx::failure& e) {
        throw translate(e, secrets);
    } catch (const pqxx::usage_error& e) {
        throw translate(e, secrets);
    } catch (const pqxx::conversion_error& e) {
        throw translate(e, secrets);
    } catch (const pqxx::range_error& e) {
        throw translate(e, secrets);
    }
}

// Migrations (migrate.cpp).
struct MigrationReport;
MigrationReport apply_migrations(pqxx::connection& conn);
int current_schema_version(pqxx::connection& conn);
// The database's schema version when this binary can use it; throws SchemaVersionError when it
// cannot (none, older, or newer by a breaking migration).
int check_schema(pqxx::connection& conn);

// Ingest (ingest.cpp): one run in one transaction, retried on deadlock.
IngestOutcome ingest_run(pqxx::connection& conn, const RunToStore& run);

// History (history.cpp).
History read_history(pqxx::connection& conn, const HistoryQuery& query);
std::vector<RunInfo> read_runs(pqxx::connection& conn, const HistoryQuery& query);
std::vector<StoredFailure> read_failures(pqxx::connection& conn, const HistoryQuery& query,
                                         const std::string& commit);
// Saved detector states (detector_state.cpp).
std::optional<std::string> read_detector_state(pqxx::connection& conn, const DetectorStateKey& key);
void write_detector_state(pqxx::connection& conn, const DetectorStateKey& key,
                          const std::string& states);
std::vector<std::string> explain_history_reads(pqxx::connection& conn, const HistoryQuery& query);

// Baseline resets (resets.cpp).
std::optional<BaselineReset> insert_baseline_reset(pqxx::connection& conn,
                                                   const BaselineResetRequest& request);

// Retention (retention.cpp): one transaction; rolled back on a dry run.
PruneReport prune_runs(pqxx::connection& conn, const PruneRequest& request);

// Status (pg_store.cpp).
StoreStatus read_status(pqxx::connection& conn);

// Alerts (alerts.cpp): each call is one transaction.
AlertRecorded record_alert(pqxx::connection& conn, const AlertObservation& observation);
std::vector<Alert> list_alerts(pqxx::connection& conn, const AlertQuery& query);
AlertUpdate acknowledge_alert(pqxx::connection& conn, std::int64_t id, const std::string& note);
AlertUpdate resolve_alert(pqxx::connection& conn, std::int64_t id, AlertResolution resolution,
                          std::optional<std::int64_t> baseline_reset_id);
void record_delivery(pqxx::connection& conn, std::int64_t alert_id, const std::string& channel,
                     bool delivered, int attempts, const std::string& error);

// API tokens and public projects (access.cpp): each call is one transaction.
TokenInfo create_token(pqxx::connection& conn, const NewToken& token);
std::optional<TokenInfo> find_token(pqxx::connection& conn, const std::string& hash_hex);
std::vector<TokenInfo> list_tokens(pqxx::connection& conn,
                                   const std::optional<std::string>& project);
bool revoke_token(pqxx::connection& conn, std::int64_t id);
std::optional<bool> project_public(pqxx::connection& conn, const std::string& project);
bool set_project_public(pqxx::connection& conn, const std::string& project, bool is_public);

}  // namespace perftrack::store::pg
