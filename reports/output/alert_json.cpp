#include "reports/output/alert_json.hpp"

#include "core/series_id.hpp"
#include "core/time.hpp"

namespace perftrack::reports::output {

namespace {

nlohmann::json optional_number(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json alert_json(const store::Alert& a) {
    nlohmann::json deliveries = nlohmann::json::array();
    for (const auto& d : a.deliveries)
        deliveries.push_back({{"channel", d.channel},
                              {"state", d.delivered ? "delivered" : "pending"},
                              {"attempts", d.attempts},
                              {"last_error", d.last_error.empty() ? nlohmann::json(nullptr)
                                                                  : nlohmann::json(d.last_error)},
                              {"updated_at", core::format_iso8601_utc(d.updated_at_us)}});
    const auto time_or_null = [](const std::optional<std::int64_t>& us) {
        return us ? nlohmann::json(core::format_iso8601_utc(*us)) : nlohmann::json(nullptr);
    };
    return {{"id", a.id},
            {"status", store::to_string(a.status)},
            {"resolution", a.resolution ? nlohmann::json(store::to_string(*a.resolution))
                                        : nlohmann::json(nullptr)},
            {"source", store::to_string(a.source)},
            {"project", a.project},
            {"testbed", a.testbed},
            {"branch", a.branch},
            {"suite", a.series.suite},
            {"benchmark", a.series.benchmark},
            {"params", a.series.params},
            {"metric", a.series.metric},
            {"unit", a.series.unit},
            {"direction", core::to_string(a.series.direction)},
            {"commit", a.commit},
            {"last_commit", a.last_commit},
            {"change", a.change_pct},
            {"ci", (a.ci_low_pct && a.ci_high_pct)
                       ? nlohmann::json::array({*a.ci_low_pct, *a.ci_high_pct})
                       : nlohmann::json(nullptr)},
            {"p_value", optional_number(a.p_value)},
            {"q_value", optional_number(a.q_value)},
            {"baseline", optional_number(a.baseline_value)},
            {"regressed", optional_number(a.regressed_value)},
            {"times_seen", a.times_seen},
            {"opened_at", core::format_iso8601_utc(a.opened_at_us)},
            {"last_seen_at", core::format_iso8601_utc(a.last_seen_at_us)},
            {"acknowledged_at", time_or_null(a.acknowledged_at_us)},
            {"note", a.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.note)},
            {"resolved_at", time_or_null(a.resolved_at_us)},
            {"baseline_reset_id",
             a.baseline_reset_id ? nlohmann::json(*a.baseline_reset_id) : nlohmann::json(nullptr)},
            {"deliveries", deliveries}};
}

nlohmann::json alerts_json(const std::vector<store::Alert>& alerts) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : alerts) list.push_back(alert_json(a));
    return nlohmann::json{{"alerts", list}};
}

}  // namespace perftrack::reports::output
