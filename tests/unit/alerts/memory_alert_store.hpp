#pragma once
// An in-memory AlertStore with the semantics of the PostgreSQL one (store/pg/alerts.cpp), for
// unit tests of the lifecycle and the dispatcher. The integration tests check PostgreSQL against
// the same expectations.

#include <map>

#include "alerts/lifecycle.hpp"
#include "store/store.hpp"

namespace perftrack::alerts::test {

inline store::AlertQuery active_alerts() {
    store::AlertQuery q;
    q.active_only = true;
    return q;
}

inline store::AlertQuery pending_on(std::string channel) {
    store::AlertQuery q;
    q.pending_channel = std::move(channel);
    return q;
}

class MemoryAlertStore final : public store::AlertStore {
  public:
    // The clock of opened_at / created_at, advanced by the tests.
    std::int64_t now_us = 1'700'000'000'000'000;
    // Commit times by sha (the database knows them from the runs); unknown commits: 0.
    std::map<std::string, std::int64_t> commit_times;

    store::AlertRecorded record_alert(const store::AlertObservation& o) override {
        const std::string key =
            o.project + '\0' + o.testbed + '\0' + o.branch + '\0' + o.series.key();
        for (auto& [id, a] : m_alerts) {
            if (!a.active() || m_keys[id] != key) continue;
            if (a.last_commit != o.seen_commit) ++a.times_seen;
            take_latest(a, o);
            if (!a.baseline_value) a.baseline_value = o.baseline_value;
            if (o.source == store::AlertSource::change_point) {
                a.commit = o.since_commit;
                a.commit_time_us = time_of(a.commit);
            }
            a.last_seen_at_us = now_us;
            return {a, false};
        }
        store::Alert a;
        a.id = m_next_id++;
        a.project = o.project;
        a.testbed = o.testbed;
        a.branch = o.branch;
        a.series.suite = o.series.suite;
        a.series.benchmark = o.series.benchmark;
        a.series.params = o.series.params;
        a.series.metric = o.series.metric;
        a.series.unit = o.series.unit;
        a.source = o.source;
        a.commit = o.since_commit.empty() ? o.seen_commit : o.since_commit;
        a.commit_time_us = time_of(a.commit);
        take_latest(a, o);
        a.baseline_value = o.baseline_value;
        a.opened_at_us = a.last_seen_at_us = now_us;
        m_keys[a.id] = key;
        m_alerts[a.id] = a;
        return {a, true};
    }

    std::vector<store::Alert> list_alerts(const store::AlertQuery& q) override {
        std::vector<store::Alert> out;
        for (auto it = m_alerts.rbegin(); it != m_alerts.rend(); ++it) {
            const auto& a = it->second;
            if (q.project && a.project != *q.project) continue;
            if (q.testbed && a.testbed != *q.testbed) continue;
            if (q.branch && a.branch != *q.branch) continue;
            if (q.id && a.id != *q.id) continue;
            if (q.active_only && !a.active()) continue;
            if (q.pending_channel) {
                bool pending = false;
                for (const auto& d : a.deliveries)
                    pending |= d.channel == *q.pending_channel && !d.delivered;
                if (!pending) continue;
            }
            out.push_back(a);
            if (q.limit && out.size() == *q.limit) break;
        }
        return out;
    }

    store::AlertUpdate acknowledge_alert(std::int64_t id, const std::string& note) override {
        auto it = m_alerts.find(id);
        if (it == m_alerts.end()) return {};
        if (!it->second.active()) return {it->second, false};
        it->second.status = store::AlertStatus::acknowledged;
        it->second.note = note;
        it->second.acknowledged_at_us = now_us;
        return {it->second, true};
    }

    store::AlertUpdate resolve_alert(std::int64_t id, store::AlertResolution resolution,
                                     std::optional<std::int64_t> reset_id) override {
        auto it = m_alerts.find(id);
        if (it == m_alerts.end()) return {};
        if (!it->second.active()) return {it->second, false};
        it->second.status = store::AlertStatus::resolved;
        it->second.resolution = resolution;
        it->second.baseline_reset_id = reset_id;
        it->second.resolved_at_us = now_us;
        return {it->second, true};
    }

    void record_delivery(std::int64_t alert_id, const std::string& channel, bool delivered,
                         int attempts, const std::string& error) override {
        auto& a = m_alerts.at(alert_id);
        for (auto& d : a.deliveries) {
            if (d.channel != channel) continue;
            d.delivered = delivered;
            d.attempts += attempts;
            d.last_error = error;
            return;
        }
        a.deliveries.push_back({channel, delivered, attempts, error, now_us});
    }

  private:
    // What every observation of an alert updates, as the database's upsert does.
    static void take_latest(store::Alert& a, const store::AlertObservation& o) {
        a.last_commit = o.seen_commit;
        a.change_pct = o.change_pct;
        a.ci_low_pct = o.ci_low_pct;
        a.ci_high_pct = o.ci_high_pct;
        a.p_value = o.p_value;
        a.q_value = o.q_value;
        a.regressed_value = o.regressed_value;
    }

    std::int64_t time_of(const std::string& sha) const {
        const auto it = commit_times.find(sha);
        return it == commit_times.end() ? 0 : it->second;
    }

    std::map<std::int64_t, store::Alert> m_alerts;
    std::map<std::int64_t, std::string> m_keys;
    std::int64_t m_next_id = 1;
};

}  // namespace perftrack::alerts::test
