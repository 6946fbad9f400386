#pragma once
// The store interface: everything perftrack keeps, seen without PostgreSQL. store/pg/
// implements it with libpqxx; reports/ reads history only through HistoryReader, so the
// statistics and renderers are testable with in-memory histories.
//
// Errors: the methods throw StoreError. An unreachable database is StoreError with
// unavailable() == true, which the CLI turns into exit 3 (after spooling what it could).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/model.hpp"

namespace perftrack::store {

// The database's schema is not one this binary can use: none yet or older (a shared database is
// upgraded only by `perftrack db migrate`), or newer by a migration that older releases cannot
// live with (upgrade perftrack). Not an outage: a person has to act, so it is a configuration
// error (exit 2) with a hint naming the command.
class SchemaVersionError : public core::ErrorException {
  public:
    SchemaVersionError(std::string message, std::string hint, int database_version,
                       int binary_version)
        : core::ErrorException(
              core::Error{core::ErrorKind::config, std::move(message), std::move(hint)}),
          m_database_version(database_version),
          m_binary_version(binary_version) {}
    int database_version() const { return m_database_version; }
    int binary_version() const { return m_binary_version; }

  private:
    int m_database_version;
    int m_binary_version;
};

class StoreError : public std::runtime_error {
  public:
    StoreError(const std::string& message, std::string sqlstate, bool unavailable)
        : std::runtime_error(message),
          m_sqlstate(std::move(sqlstate)),
          m_unavailable(unavailable) {}
    const std::string& sqlstate() const { return m_sqlstate; }
    bool unavailable() const { return m_unavailable; }

  private:
    std::string m_sqlstate;
    bool m_unavailable;
};

// ---- writing runs -------------------------------------------------------------------------

// A run with its identity resolved (flags > file context > CI variables > git).
struct RunToStore {
    std::string project;
    std::string testbed;
    std::string branch;
    std::string commit;                          // sha
    std::optional<std::int64_t> commit_time_us;  // epoch microseconds
    std::string commit_subject;                  // may be empty
    std::string parent_commit;                   // may be empty
    std::string run_key;   // idempotency key of the run (explicit, CI-derived or random)
    std::string part_key;  // one part of the run: "all", or "shard 2/4"; (run_key, part_key)
                           // is ingested at most once
    std::int64_t started_at_us = 0;
    std::int64_t ended_at_us = 0;
    nlohmann::json context = nlohmann::json::object();      // CI provider, PR, job URL, shard
    nlohmann::json fingerprint = nlohmann::json::object();  // testbed fingerprint
    core::RunResults results;
};

struct IngestOutcome {
    bool stored = false;  // false: this run key (and part) was already ingested; nothing written
    std::int64_t run_id = 0;
    core::RunCounts counts;
};

// ---- reading history ----------------------------------------------------------------------

// One run, as the history lists it. Runs are ordered by commit time, then start time, then id.
struct RunInfo {
    std::int64_t id = 0;
    std::string run_key;
    std::string branch;
    std::string commit;
    std::int64_t commit_time_us = 0;  // the run's start time when the commit time is unknown
    std::string commit_subject;
    std::int64_t started_at_us = 0;
    bool partial = false;  // some benchmark of the run failed
};

struct SeriesPoint {
    std::uint32_t run = 0;        // index into History::runs
    std::vector<double> samples;  // repetition i at index i
};

struct SeriesHistory {
    core::SeriesId id;
    std::int64_t benchmark_id = 0;  // the store's row ids of the benchmark and the metric
    std::int64_t metric_id = 0;
    std::vector<SeriesPoint> points;  // ascending by run index
};

// "This change is intended; start the baseline here" (perftrack baseline reset).
struct BaselineReset {
    std::int64_t id = 0;
    std::string benchmark_glob;         // shell-style glob over benchmark names
    std::optional<std::string> metric;  // all metrics when empty
    std::string commit;
    std::int64_t commit_time_us = 0;
    std::string reason;
    std::int64_t created_at_us = 0;
};

struct HistoryQuery {
    std::string project;
    std::string testbed;
    std::string branch;
    // Only runs whose commit time is at most this (inclusive).
    std::optional<std::int64_t> until_commit_time_us;
    // Only the newest N runs (after the bound above); all when empty.
    std::optional<std::size_t> last_runs;
};

struct History {
    std::vector<RunInfo> runs;
    std::vector<SeriesHistory> series;
    std::vector<BaselineReset> resets;  // for the query's project and testbed
};

// A benchmark of a stored run that produced no value (a crash, a failed check, a timeout), with
// the reason the run gave.
struct StoredFailure {
    std::string commit;  // sha of the run's commit
    std::string run_key;
    std::string suite;
    std::string benchmark;
    core::Params params = core::Params::object();
    std::string message;
};

// A saved detector state (reports/detect/detector_state.hpp): for project x testbed x branch and a
// detector fingerprint, where the replay window starting at position window_start stood after
// every point before end_position.
struct DetectorStateKey {
    std::string project;
    std::string testbed;
    std::string branch;
    std::string fingerprint;
    std::int64_t window_start = 0;
    std::int64_t end_position = 0;
};

class HistoryReader {
  public:
    virtual ~HistoryReader() = default;
    // Runs of one project x testbed x branch with every series measured in them. An unknown
    // project, testbed or branch gives an empty history, not an error.
    virtual History load_history(const HistoryQuery& query) = 0;
    // The runs load_history would list, without their samples: cheap even for long histories
    // (the check uses it to place a commit in the branch's history before loading a window).
    // The default reads the whole history; the PostgreSQL store reads only the run rows.
    virtual std::vector<RunInfo> list_runs(const HistoryQuery& query) {
        return load_history(query).runs;
    }
    // The failed benchmarks of the runs of `query`'s project x testbed x branch at `commit` (a
    // full sha), ordered by suite, benchmark, params and run start. The report shows them in
    // place of the values they did not produce. The default keeps no failures: in-memory
    // readers (tests, tools) that only replay samples.
    virtual std::vector<StoredFailure> load_failures(const HistoryQuery& query,
                                                     const std::string& commit) {
        (void)query;
        (void)commit;
        return {};
    }
    // Saved detector states: text the detector wrote, kept only as a cache (the detector checks
    // every entry against the points it has read, so a stale one is never used). Saving
    // replaces the key's text and drops the branch's states that ended more than one position
    // before it; a store that cannot write (a read replica) keeps nothing and says nothing. The
    // defaults keep nothing.
    virtual std::optional<std::string> load_detector_state(const DetectorStateKey& key) {
        (void)key;
        return std::nullopt;
    }
    virtual void save_detector_state(const DetectorStateKey& key, const std::string& states) {
        (void)key;
        (void)states;
    }
};

// ---- status -------------------------------------------------------------------------------

struct StoreStatus {
    int schema_version = 0;
    std::int64_t projects = 0;
    std::int64_t runs = 0;
    std::int64_t series_values = 0;  // stored sample arrays (benchmark x metric x run)
    std::int64_t samples = 0;
    std::int64_t database_bytes = 0;
};

// ---- alerts -------------------------------------------------------------------------------
// A detected regression of one series on one testbed and branch, with its lifecycle (open ->
// acknowledged -> resolved), so the same slowdown is announced once. Enum values are stored as
// the text of to_string(); never rename one.

enum class AlertStatus { open, acknowledged, resolved };
enum class AlertSource { check, change_point };
enum class AlertResolution { manual, recovered, baseline_reset };

std::string_view to_string(AlertStatus status);
std::string_view to_string(AlertSource source);
std::string_view to_string(AlertResolution resolution);
std::optional<AlertStatus> parse_alert_status(std::string_view text);
std::optional<AlertSource> parse_alert_source(std::string_view text);
std::optional<AlertResolution> parse_alert_resolution(std::string_view text);

// A regression seen by a check or by change-point analysis. The project, testbed, branch,
// benchmark, metric and both commits must already be stored (they are: a run measured them).
struct AlertObservation {
    std::string project;
    std::string testbed;
    std::string branch;
    core::SeriesId series;
    AlertSource source = AlertSource::check;
    std::string since_commit;  // where the regression began (the checked commit when unknown)
    std::string seen_commit;   // the commit whose check or analysis saw it
    double change_pct = 0;     // + means the value grew, in percent of the old level
    std::optional<double> ci_low_pct;
    std::optional<double> ci_high_pct;
    std::optional<double> p_value;
    std::optional<double> q_value;
    std::optional<double> baseline_value;   // the old level, in series.unit
    std::optional<double> regressed_value;  // the level seen, in series.unit
};

struct AlertDelivery {
    std::string channel;  // "slack", "webhook", "github"
    bool delivered = false;
    int attempts = 0;
    std::string last_error;  // redacted
    std::int64_t updated_at_us = 0;
};

struct Alert {
    std::int64_t id = 0;
    std::string project;
    std::string testbed;
    std::string branch;
    core::SeriesId series;
    AlertStatus status = AlertStatus::open;
    AlertSource source = AlertSource::check;
    std::string commit;               // where it began
    std::int64_t commit_time_us = 0;  // that commit's time (the opening time when unknown)
    std::string last_commit;          // the newest commit that still showed it
    double change_pct = 0;            // latest sighting
    std::optional<double> ci_low_pct;
    std::optional<double> ci_high_pct;
    std::optional<double> p_value;
    std::optional<double> q_value;
    std::optional<double> baseline_value;   // the old level (fixed when opened)
    std::optional<double> regressed_value;  // latest sighting
    int times_seen = 1;                     // distinct commits that showed it
    std::int64_t opened_at_us = 0;
    std::int64_t last_seen_at_us = 0;
    std::optional<std::int64_t> acknowledged_at_us;
    std::string note;  // from 'alerts ack --note'
    std::optional<std::int64_t> resolved_at_us;
    std::optional<AlertResolution> resolution;
    std::optional<std::int64_t> baseline_reset_id;
    std::vector<AlertDelivery> deliveries;  // by channel name

    bool active() const { return status != AlertStatus::resolved; }
};

struct AlertRecorded {
    Alert alert;
    bool created = false;  // false: an active alert of the series was updated instead
};

struct AlertQuery {
    std::optional<std::string> project;
    std::optional<std::string> testbed;
    std::optional<std::string> branch;
    std::optional<std::int64_t> id;
    bool active_only = false;                    // open or acknowledged
    std::optional<std::string> pending_channel;  // only alerts whose delivery there is pending
    std::optional<std::size_t> limit;            // the newest N
};

// The outcome of acknowledging or resolving one alert.
struct AlertUpdate {
    std::optional<Alert> alert;  // empty: no alert has this id
    bool changed = false;        // false: it was already resolved
};

class AlertStore {
  public:
    virtual ~AlertStore() = default;
    // Creates an alert for the observation's series, testbed and branch, or updates the active
    // one (latest commit, change, interval; times_seen counts distinct commits). A change-point
    // observation also moves the alert's commit to the located one. Atomic under concurrency:
    // two checks racing on one series make one alert, and exactly one of them sees created.
    virtual AlertRecorded record_alert(const AlertObservation& observation) = 0;
    // Newest first.
    virtual std::vector<Alert> list_alerts(const AlertQuery& query) = 0;
    // Sets the note; an open alert becomes acknowledged (it stays active: a later check still
    // updates it rather than opening a new one). Changes nothing on a resolved alert.
    virtual AlertUpdate acknowledge_alert(std::int64_t id, const std::string& note) = 0;
    // Resolves an active alert; the reset is named when a baseline reset superseded it.
    virtual AlertUpdate resolve_alert(std::int64_t id, AlertResolution resolution,
                                      std::optional<std::int64_t> baseline_reset_id) = 0;
    // Records how delivering the alert to `channel` went: delivered, or pending for a retry
    // (with the redacted error). Attempts accumulate over retries.
    virtual void record_delivery(std::int64_t alert_id, const std::string& channel, bool delivered,
                                 int attempts, const std::string& error) = 0;
};

// perftrack baseline reset: "this change is intended; start the baseline here".
struct BaselineResetRequest {
    std::string project;
    std::optional<std::string> testbed;  // every testbed when empty
    std::string benchmark_glob;
    std::optional<std::string> metric;  // every metric when empty
    std::string commit;
    std::optional<std::int64_t> commit_time_us;  // recorded when the commit is not yet known
    std::string reason;
};

// ---- API access (perftrack serve) ------------------------------------------------------------
// Tokens are per project with one scope; a larger scope includes the smaller ones
// (admin > ingest, admin > read). Stored as text; never rename a value.
enum class TokenScope { ingest, read, admin };
std::string_view to_string(TokenScope scope);
std::optional<TokenScope> parse_token_scope(std::string_view text);

struct TokenInfo {
    std::int64_t id = 0;
    std::string project;
    TokenScope scope = TokenScope::read;
    std::string prefix;  // the token's first characters, for `token list`; never the secret
    std::int64_t created_at_us = 0;
    std::optional<std::int64_t> expires_at_us;
    std::optional<std::int64_t> revoked_at_us;
};

struct NewToken {
    std::string project;  // created when it does not exist yet
    TokenScope scope = TokenScope::read;
    std::string hash_hex;  // SHA-256 of the token, 64 lowercase hex digits
    std::string prefix;
    std::optional<std::int64_t> expires_at_us;
};

class AccessStore {
  public:
    virtual ~AccessStore() = default;
    virtual TokenInfo create_token(const NewToken& token) = 0;
    // The token with this hash (revoked and expired ones too: the caller says why it refuses).
    virtual std::optional<TokenInfo> find_token(const std::string& hash_hex) = 0;
    // Every token (of one project when given), oldest first.
    virtual std::vector<TokenInfo> list_tokens(const std::optional<std::string>& project) = 0;
    // False when no token has this id; revoking twice keeps the first time.
    virtual bool revoke_token(std::int64_t id) = 0;
    // Whether the project can be read without a token; nullopt for an unknown project.
    virtual std::optional<bool> project_public(const std::string& project) = 0;
    // False when the project does not exist.
    virtual bool set_project_public(const std::string& project, bool is_public) = 0;
};

class Store : public HistoryReader, public AlertStore, public AccessStore {
  public:
    // Stores one run in one transaction: all of it or nothing. Idempotent per
    // (run_key, part_key): a second call stores nothing and says so.
    virtual IngestOutcome ingest(const RunToStore& run) = 0;
    virtual StoreStatus status() = 0;
    // Records a baseline reset in one transaction. nullopt when the project (or the named
    // testbed) has no results yet. A commit not seen before is recorded (with its time when
    // given, else the reset applies from the moment it was recorded).
    virtual std::optional<BaselineReset> add_baseline_reset(
        const BaselineResetRequest& request) = 0;
};

}  // namespace perftrack::store
