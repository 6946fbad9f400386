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
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"

namespace perftrack::store {

class StoreError : public std::runtime_error {
public:
    StoreError(const std::string& message, std::string sqlstate, bool unavailable)
        : std::runtime_error(message), m_sqlstate(std::move(sqlstate)), m_unavailable(unavailable) {}
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
    std::string commit;                        // sha
    std::optional<std::int64_t> commit_time_us;  // epoch microseconds
    std::string commit_subject;                // may be empty
    std::string parent_commit;                 // may be empty
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

struct SeriesInfo {
    std::int64_t benchmark_id = 0;
    std::int64_t metric_id = 0;
    std::string suite;
    std::string benchmark;
    core::Params params = core::Params::object();
    std::string metric;
    std::string unit;
    core::Direction direction = core::Direction::lower;
};

struct SeriesPoint {
    std::uint32_t run = 0;        // index into History::runs
    std::vector<double> samples;  // repetition i at index i
};

struct SeriesHistory {
    SeriesInfo info;
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

class HistoryReader {
public:
    virtual ~HistoryReader() = default;
    // Runs of one project x testbed x branch with every series measured in them. An unknown
    // project, testbed or branch gives an empty history, not an error.
    virtual History load_history(const HistoryQuery& query) = 0;
    // The runs load_history would list, without their samples: cheap even for long histories
    // (the check uses it to place a commit in the branch's history before loading a window).
    // The default reads the whole history; the PostgreSQL store reads only the run rows.
    virtual std::vector<RunInfo> list_runs(const HistoryQuery& query) { return load_history(query).runs; }
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

// perftrack baseline reset: "this change is intended; start the baseline here".
struct BaselineResetRequest {
    std::string project;
    std::optional<std::string> testbed;  // every testbed when empty
    std::string benchmark_glob;
    std::optional<std::string> metric;   // every metric when empty
    std::string commit;
    std::optional<std::int64_t> commit_time_us;  // recorded when the commit is not yet known
    std::string reason;
};

class Store : public HistoryReader {
public:
    // Stores one run in one transaction: all of it or nothing. Idempotent per
    // (run_key, part_key): a second call stores nothing and says so.
    virtual IngestOutcome ingest(const RunToStore& run) = 0;
    virtual StoreStatus status() = 0;
    // Records a baseline reset in one transaction. nullopt when the project (or the named
    // testbed) has no results yet. A commit not seen before is recorded (with its time when
    // given, else the reset applies from the moment it was recorded).
    virtual std::optional<BaselineReset> add_baseline_reset(const BaselineResetRequest& request) = 0;
};

}  // namespace perftrack::store
