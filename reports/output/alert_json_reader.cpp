#include "reports/output/alert_json_reader.hpp"

#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "core/series_id.hpp"
#include "core/time.hpp"
#include "reports/output/json_fields.hpp"

namespace perftrack::reports::output {

namespace {

using nlohmann::json;

using json_fields::at;
using json_fields::BadField;
using json_fields::number_or_null;
using json_fields::text;

std::int64_t time_us(const json& v, const std::string& where) {
    if (!v.is_string()) throw BadField(fmt::format("{}: not a time", where));
    const auto t = core::parse_iso8601_us(v.get<std::string>());
    if (!t) throw BadField(fmt::format("{}: not ISO 8601", where));
    return *t;
}

std::optional<std::int64_t> time_or_null(const json& o, const char* key, const std::string& path) {
    const json& v = at(o, key, path);
    if (v.is_null()) return std::nullopt;
    return time_us(v, path + "." + key);
}

store::Alert alert_from(const json& j, const std::string& path) {
    store::Alert a;
    const json& id = at(j, "id", path);
    if (!id.is_number_integer()) throw BadField(path + ".id: not an integer");
    a.id = id.get<std::int64_t>();
    const auto status = store::parse_alert_status(text(j, "status", path));
    if (!status) throw BadField(path + ".status: unknown");
    a.status = *status;
    if (const json& r = at(j, "resolution", path); !r.is_null()) {
        if (!r.is_string()) throw BadField(path + ".resolution: not a string");
        a.resolution = store::parse_alert_resolution(r.get<std::string>());
        if (!a.resolution) throw BadField(path + ".resolution: unknown");
    }
    if (auto source = store::parse_alert_source(text(j, "source", path))) a.source = *source;
    a.project = text(j, "project", path);
    a.testbed = text(j, "testbed", path);
    a.branch = text(j, "branch", path);
    a.series.suite = text(j, "suite", path);
    a.series.benchmark = text(j, "benchmark", path);
    a.series.params = at(j, "params", path);
    a.series.metric = text(j, "metric", path);
    a.series.unit = text(j, "unit", path);
    if (auto d = core::parse_direction(text(j, "direction", path))) a.series.direction = *d;
    a.commit = text(j, "commit", path);
    a.last_commit = text(j, "last_commit", path);
    a.change_pct = number_or_null(j, "change", path).value_or(0);
    if (const json& ci = at(j, "ci", path); ci.is_array() && ci.size() == 2) {
        a.ci_low_pct = ci[0].get<double>();
        a.ci_high_pct = ci[1].get<double>();
    }
    a.p_value = number_or_null(j, "p_value", path);
    a.q_value = number_or_null(j, "q_value", path);
    a.baseline_value = number_or_null(j, "baseline", path);
    a.regressed_value = number_or_null(j, "regressed", path);
    const json& seen = at(j, "times_seen", path);
    if (!seen.is_number_integer()) throw BadField(path + ".times_seen: not an integer");
    a.times_seen = seen.get<int>();
    a.opened_at_us = time_us(at(j, "opened_at", path), path + ".opened_at");
    a.last_seen_at_us = time_us(at(j, "last_seen_at", path), path + ".last_seen_at");
    a.acknowledged_at_us = time_or_null(j, "acknowledged_at", path);
    if (const json& n = at(j, "note", path); n.is_string()) a.note = n.get<std::string>();
    a.resolved_at_us = time_or_null(j, "resolved_at", path);
    if (const json& r = at(j, "baseline_reset_id", path); r.is_number_integer())
        a.baseline_reset_id = r.get<std::int64_t>();
    const json& deliveries = at(j, "deliveries", path);
    if (!deliveries.is_array()) throw BadField(path + ".deliveries: not an array");
    for (std::size_t i = 0; i < deliveries.size(); ++i) {
        const std::string dpath = fmt::format("{}.deliveries[{}]", path, i);
        store::AlertDelivery d;
        d.channel = text(deliveries[i], "channel", dpath);
        d.delivered = text(deliveries[i], "state", dpath) == "delivered";
        a.deliveries.push_back(std::move(d));
    }
    return a;
}

}  // namespace

core::Result<std::vector<store::Alert>> alerts_from_json(const nlohmann::json& doc) {
    try {
        std::vector<store::Alert> out;
        if (doc.is_object() && doc.contains("alerts")) {
            const json& list = doc.at("alerts");
            if (!list.is_array()) throw BadField("$.alerts: not an array");
            for (std::size_t i = 0; i < list.size(); ++i)
                out.push_back(alert_from(list[i], fmt::format("$.alerts[{}]", i)));
        } else {
            out.push_back(alert_from(doc, "$"));
        }
        return out;
    } catch (const BadField& e) {
        return core::fail(core::ErrorKind::input, fmt::format("alerts JSON: {}", e.what()));
    } catch (const nlohmann::json::exception& e) {
        return core::fail(core::ErrorKind::input, fmt::format("alerts JSON: {}", e.what()));
    }
}

}  // namespace perftrack::reports::output
