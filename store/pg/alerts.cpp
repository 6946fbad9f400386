// Alerts in PostgreSQL (migration 0002): create-or-update, listing with deliveries, ack,
// resolve, delivery records. Every value is a bound parameter.
#include <unordered_map>

#include <fmt/format.h>

#include "store/pg/pg_internal.hpp"
#include "store/pg/statements.hpp"

namespace perftrack::store::pg {

namespace {

std::optional<double> opt_double(const pqxx::field& f) {
    if (f.is_null()) return std::nullopt;
    return f.as<double>();
}

std::optional<std::int64_t> opt_int(const pqxx::field& f) {
    if (f.is_null()) return std::nullopt;
    return f.as<std::int64_t>();
}

std::string bigint_array(const std::vector<std::int64_t>& ids) {
    // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on `"," + std::string`.
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    out += '}';
    return out;
}

Alert alert_from_row(const pqxx::row& row) {
    Alert a;
    a.id = row[0].as<std::int64_t>();
    a.project = row[1].as<std::string>();
    a.testbed = row[2].as<std::string>();
    a.branch = row[3].as<std::string>();
    a.series.suite = row[4].as<std::string>();
    a.series.benchmark = row[5].as<std::string>();
    a.series.params = nlohmann::json::parse(row[6].as<std::string>());
    a.series.metric = row[7].as<std::string>();
    a.series.unit = row[8].as<std::string>();
    a.series.direction =
        core::parse_direction(row[9].as<std::string>()).value_or(core::Direction::lower);
    const auto status = row[10].as<std::string>();
    const auto source = row[11].as<std::string>();
    a.status = parse_alert_status(status).value_or(AlertStatus::open);
    a.source = parse_alert_source(source).value_or(AlertSource::check);
    a.commit = row[12].as<std::string>();
    a.commit_time_us = row[13].as<std::int64_t>();
    a.last_commit = row[14].as<std::string>();
    a.change_pct = row[15].as<double>();
    a.ci_low_pct = opt_double(row[16]);
    a.ci_high_pct = opt_double(row[17]);
    a.p_value = opt_double(row[18]);
    a.q_value = opt_double(row[19]);
    a.baseline_value = opt_double(row[20]);
    a.regressed_value = opt_double(row[21]);
    a.times_seen = row[22].as<int>();
    a.opened_at_us = row[23].as<std::int64_t>();
    a.last_seen_at_us = row[24].as<std::int64_t>();
    a.acknowledged_at_us = opt_int(row[25]);
    a.note = row[26].as<std::string>();
    a.resolved_at_us = opt_int(row[27]);
    if (!row[28].is_null()) a.resolution = parse_alert_resolution(row[28].as<std::string>());
    a.baseline_reset_id = opt_int(row[29]);
    return a;
}

std::vector<Alert> select_alerts(pqxx::work& tx, const AlertQuery& q) {
    std::optional<std::int64_t> limit;
    if (q.limit) limit = static_cast<std::int64_t>(*q.limit);
    auto rows = tx.exec_prepared(sql::k_alert_list, q.project, q.testbed, q.branch, q.id,
                                 q.active_only, q.pending_channel, limit);
    std::vector<Alert> alerts;
    std::unordered_map<std::int64_t, std::size_t> index;
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) {
        alerts.push_back(alert_from_row(row));
        index.emplace(alerts.back().id, alerts.size() - 1);
        ids.push_back(alerts.back().id);
    }
    if (ids.empty()) return alerts;
    for (const auto& row : tx.exec_prepared(sql::k_alert_deliveries, bigint_array(ids))) {
        AlertDelivery d;
        d.channel = row[1].as<std::string>();
        d.delivered = row[2].as<bool>();
        d.attempts = row[3].as<int>();
        d.last_error = row[4].as<std::string>();
        d.updated_at_us = row[5].as<std::int64_t>();
        alerts[index.at(row[0].as<std::int64_t>())].deliveries.push_back(std::move(d));
    }
    return alerts;
}

Alert one_alert(pqxx::work& tx, std::int64_t id) {
    AlertQuery q;
    q.id = id;
    auto found = select_alerts(tx, q);
    if (found.empty())
        throw StoreError(fmt::format("alert {} vanished while updating it", id), "", false);
    return std::move(found.front());
}

// The answer to an acknowledge or resolve of alert `id`, read in the same transaction.
AlertUpdate update_of(pqxx::work& tx, std::int64_t id, bool changed) {
    AlertUpdate u;
    u.changed = changed;
    AlertQuery q;
    q.id = id;
    auto found = select_alerts(tx, q);
    if (!found.empty()) u.alert = std::move(found.front());
    return u;
}

}  // namespace

AlertRecorded record_alert(pqxx::connection& conn, const AlertObservation& o) {
    pqxx::work tx(conn);
    const std::string since = o.since_commit.empty() ? o.seen_commit : o.since_commit;
    // params.dump() is the benchmark's params_key as ingest wrote it (sorted keys, compact).
    auto r = tx.exec_prepared(sql::k_alert_upsert, o.project, o.testbed, o.branch, o.series.suite,
                              o.series.benchmark, o.series.params.dump(), o.series.metric,
                              o.series.unit, std::string(to_string(o.source)), since, o.seen_commit,
                              o.change_pct, o.ci_low_pct, o.ci_high_pct, o.p_value, o.q_value,
                              o.baseline_value, o.regressed_value);
    if (r.empty())
        throw StoreError(
            fmt::format("cannot record an alert for {} {} on testbed {}, branch {}: "
                        "the series or commit {} is not in the database",
                        o.series.benchmark, o.series.metric, o.testbed, o.branch, o.seen_commit),
            "", false);
    AlertRecorded out;
    out.created = r[0][1].as<bool>();
    out.alert = one_alert(tx, r[0][0].as<std::int64_t>());
    tx.commit();
    return out;
}

std::vector<Alert> list_alerts(pqxx::connection& conn, const AlertQuery& query) {
    pqxx::work tx(conn);
    auto alerts = select_alerts(tx, query);
    tx.commit();
    return alerts;
}

AlertUpdate acknowledge_alert(pqxx::connection& conn, std::int64_t id, const std::string& note) {
    pqxx::work tx(conn);
    const bool changed = !tx.exec_prepared(sql::k_alert_acknowledge, id, note).empty();
    auto u = update_of(tx, id, changed);
    tx.commit();
    return u;
}

AlertUpdate resolve_alert(pqxx::connection& conn, std::int64_t id, AlertResolution resolution,
                          std::optional<std::int64_t> baseline_reset_id) {
    pqxx::work tx(conn);
    const bool changed = !tx.exec_prepared(sql::k_alert_resolve, id,
                                           std::string(to_string(resolution)), baseline_reset_id)
                              .empty();
    auto u = update_of(tx, id, changed);
    tx.commit();
    return u;
}

void record_delivery(pqxx::connection& conn, std::int64_t alert_id, const std::string& channel,
                     bool delivered, int attempts, const std::string& error) {
    pqxx::work tx(conn);
    tx.exec_prepared(sql::k_alert_delivery_record, alert_id, channel, delivered, attempts, error);
    tx.commit();
}

}  // namespace perftrack::store::pg
