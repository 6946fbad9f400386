#pragma once
// A store that reads history from a read replica and does everything else on the primary
// (`--read-db`): the heavy reads (samples of many runs) leave the primary, while the alert
// lifecycle, which reads and then writes, and every write stay on it.

#include <memory>

#include "store/store.hpp"

namespace perftrack::store {

class ReadSplitStore final : public Store {
  public:
    ReadSplitStore(std::unique_ptr<Store> primary, std::unique_ptr<Store> replica)
        : m_primary(std::move(primary)), m_replica(std::move(replica)) {}

    // The replica alone, for commands that only read (report, alerts list).
    Store& replica() { return *m_replica; }

    History load_history(const HistoryQuery& query) override {
        return m_replica->load_history(query);
    }
    std::vector<RunInfo> list_runs(const HistoryQuery& query) override {
        return m_replica->list_runs(query);
    }
    std::vector<StoredFailure> load_failures(const HistoryQuery& query,
                                             const std::string& commit) override {
        return m_replica->load_failures(query, commit);
    }

    // Detector states: written by the checks, so kept where they can be written.
    std::optional<std::string> load_detector_state(const DetectorStateKey& key) override {
        return m_primary->load_detector_state(key);
    }
    void save_detector_state(const DetectorStateKey& key, const std::string& states) override {
        m_primary->save_detector_state(key, states);
    }

    IngestOutcome ingest(const RunToStore& run) override { return m_primary->ingest(run); }
    StoreStatus status() override { return m_primary->status(); }
    std::optional<BaselineReset> add_baseline_reset(const BaselineResetRequest& request) override {
        return m_primary->add_baseline_reset(request);
    }
    // Alerts: the lifecycle reads the active alerts and then updates them, so it must see its
    // own writes: the primary.
    AlertRecorded record_alert(const AlertObservation& observation) override {
        return m_primary->record_alert(observation);
    }
    std::vector<Alert> list_alerts(const AlertQuery& query) override {
        return m_primary->list_alerts(query);
    }
    AlertUpdate acknowledge_alert(std::int64_t id, const std::string& note) override {
        return m_primary->acknowledge_alert(id, note);
    }
    AlertUpdate resolve_alert(std::int64_t id, AlertResolution resolution,
                              std::optional<std::int64_t> baseline_reset_id) override {
        return m_primary->resolve_alert(id, resolution, baseline_reset_id);
    }
    void record_delivery(std::int64_t alert_id, const std::string& channel, bool delivered,
                         int attempts, const std::string& error) override {
        m_primary->record_delivery(alert_id, channel, delivered, attempts, error);
    }

    // Tokens and project visibility: the primary, so that a revoked token is refused at once
    // and not after the replica has caught up.
    TokenInfo create_token(const NewToken& token) override {
        return m_primary->create_token(token);
    }
    std::optional<TokenInfo> find_token(const std::string& hash_hex) override {
        return m_primary->find_token(hash_hex);
    }
    std::vector<TokenInfo> list_tokens(const std::optional<std::string>& project) override {
        return m_primary->list_tokens(project);
    }
    bool revoke_token(std::int64_t id) override { return m_primary->revoke_token(id); }
    std::optional<bool> project_public(const std::string& project) override {
        return m_primary->project_public(project);
    }
    bool set_project_public(const std::string& project, bool is_public) override {
        return m_primary->set_project_public(project, is_public);
    }

  private:
    std::unique_ptr<Store> m_primary;
    std::unique_ptr<Store> m_replica;
};

}  // namespace perftrack::store
