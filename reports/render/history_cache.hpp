#pragma once
// A HistoryReader that answers from a history already in memory. `report` loads the whole
// branch once (10 M samples take seconds to stream out of PostgreSQL) and then runs the check
// through this reader, whose window queries (until a commit time, the newest N runs) are
// answered by filtering that history instead of reading the same rows again. Queries for
// another project, testbed or branch go to the fallback reader.

#include "store/store.hpp"

namespace perftrack::reports::render {

// The subset of `full` that `query` selects, as the store would return it: runs with commit
// time <= until_commit_time_us, then the newest last_runs of them; series restricted to those
// runs (series left without points are dropped); resets unchanged.
store::History history_subset(const store::History& full, const store::HistoryQuery& query);

// The runs history_subset(full, query) would hold, without copying any samples.
std::vector<store::RunInfo> runs_subset(const store::History& full,
                                        const store::HistoryQuery& query);

class CachedHistoryReader : public store::HistoryReader {
  public:
    // `full` is the complete history of (project, testbed, branch) of `key` (its bounds are
    // ignored); it must outlive the reader, like `fallback`.
    CachedHistoryReader(const store::History& full, store::HistoryQuery key,
                        store::HistoryReader& fallback)
        : m_full(full), m_key(std::move(key)), m_fallback(fallback) {}

    store::History load_history(const store::HistoryQuery& query) override;
    std::vector<store::RunInfo> list_runs(const store::HistoryQuery& query) override;
    // Failures are not cached (the report reads them once): asked of the fallback.
    std::vector<store::StoredFailure> load_failures(const store::HistoryQuery& query,
                                                    const std::string& commit) override {
        return m_fallback.load_failures(query, commit);
    }

  private:
    const store::History& m_full;
    store::HistoryQuery m_key;
    store::HistoryReader& m_fallback;
};

}  // namespace perftrack::reports::render
