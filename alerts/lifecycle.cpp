#include "alerts/lifecycle.hpp"

#include <cmath>
#include <unordered_map>

#include <fnmatch.h>

namespace perftrack::alerts {

bool returned_to_old_level(const store::Alert& alert, double current_value) {
    if (!alert.baseline_value || !alert.regressed_value || !std::isfinite(current_value))
        return false;
    const double to_old = std::fabs(current_value - *alert.baseline_value);
    const double to_regressed = std::fabs(current_value - *alert.regressed_value);
    return to_old < to_regressed;
}

store::AlertObservation observation_from_verdict(const CheckScope& scope, const NoticeVerdict& v) {
    store::AlertObservation o;
    o.project = scope.project;
    o.testbed = scope.testbed;
    o.branch = scope.branch;
    o.series = v.series;
    o.source = store::AlertSource::check;
    o.since_commit = v.since_commit.empty() ? scope.commit : v.since_commit;
    o.seen_commit = scope.commit;
    o.change_pct = v.change_pct.value_or(0.0);
    o.ci_low_pct = v.ci_low_pct;
    o.ci_high_pct = v.ci_high_pct;
    o.p_value = v.p_value;
    o.q_value = v.q_value;
    o.baseline_value = v.baseline_median;
    o.regressed_value = v.candidate_median;
    return o;
}

AlertChanges apply_check(store::AlertStore& store, const CheckScope& scope,
                         const std::vector<NoticeVerdict>& verdicts) {
    AlertChanges changes;
    store::AlertQuery active_query;
    active_query.project = scope.project;
    active_query.testbed = scope.testbed;
    active_query.branch = scope.branch;
    active_query.active_only = true;
    std::unordered_map<std::string, store::Alert> active;
    for (auto& a : store.list_alerts(active_query)) active.emplace(a.series.key(), std::move(a));

    for (const auto& v : verdicts) {
        if (v.status == k_status_regression) {
            auto recorded = store.record_alert(observation_from_verdict(scope, v));
            (recorded.created ? changes.opened : changes.updated)
                .push_back(std::move(recorded.alert));
            continue;
        }
        if (v.status != k_status_unchanged && v.status != k_status_improvement) continue;
        if (!v.candidate_median) continue;
        const auto it = active.find(v.series.key());
        if (it == active.end() || !returned_to_old_level(it->second, *v.candidate_median)) continue;
        auto update = store.resolve_alert(it->second.id, store::AlertResolution::recovered, {});
        if (update.changed && update.alert) changes.resolved.push_back(std::move(*update.alert));
    }
    return changes;
}

AlertChanges apply_change_points(store::AlertStore& store, const CheckScope& scope,
                                 const std::vector<ChangePointFinding>& findings) {
    AlertChanges changes;
    if (findings.empty()) return changes;
    store::AlertQuery query;
    query.project = scope.project;
    query.testbed = scope.testbed;
    query.branch = scope.branch;
    std::unordered_map<std::string, std::vector<store::Alert>> by_series;
    for (auto& a : store.list_alerts(query)) by_series[a.series.key()].push_back(std::move(a));

    for (const auto& f : findings) {
        if (!core::is_worse(f.series.direction, f.change_pct)) continue;
        const auto it = by_series.find(f.series.key());
        bool active = false;
        bool covered = false;
        if (it != by_series.end()) {
            for (const auto& a : it->second) {
                active |= a.active();
                covered |= !a.active() && a.commit_time_us >= f.commit_time_us;
            }
        }
        if (covered && !active) continue;
        store::AlertObservation o;
        o.project = scope.project;
        o.testbed = scope.testbed;
        o.branch = scope.branch;
        o.series = f.series;
        o.source = store::AlertSource::change_point;
        o.since_commit = f.commit;
        o.seen_commit = scope.commit;
        o.change_pct = f.change_pct;
        o.p_value = f.p_value;
        o.baseline_value = f.level_before;
        o.regressed_value = f.level_after;
        auto recorded = store.record_alert(o);
        (recorded.created ? changes.opened : changes.updated).push_back(std::move(recorded.alert));
    }
    return changes;
}

bool reset_supersedes(const store::BaselineReset& reset, const store::Alert& alert) {
    if (!alert.active()) return false;
    if (reset.metric && *reset.metric != alert.series.metric) return false;
    if (::fnmatch(reset.benchmark_glob.c_str(), alert.series.benchmark.c_str(), 0) != 0)
        return false;
    return alert.opened_at_us <= reset.created_at_us;
}

std::vector<store::Alert> close_superseded_alerts(store::AlertStore& store,
                                                  const std::string& project,
                                                  const std::optional<std::string>& testbed,
                                                  const std::vector<store::BaselineReset>& resets) {
    std::vector<store::Alert> closed;
    if (resets.empty()) return closed;
    store::AlertQuery query;
    query.project = project;
    query.testbed = testbed;
    query.active_only = true;
    for (const auto& alert : store.list_alerts(query)) {
        for (const auto& reset : resets) {
            if (!reset_supersedes(reset, alert)) continue;
            auto update =
                store.resolve_alert(alert.id, store::AlertResolution::baseline_reset, reset.id);
            if (update.changed && update.alert) closed.push_back(std::move(*update.alert));
            break;
        }
    }
    return closed;
}

}  // namespace perftrack::alerts
