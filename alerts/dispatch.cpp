#include "alerts/dispatch.hpp"

#include <set>

namespace perftrack::alerts {

std::vector<ChannelReport> dispatch(const std::vector<std::unique_ptr<AlertSink>>& sinks,
                                    store::AlertStore& store, const CheckScope& scope,
                                    const AlertChanges& changes, CheckNotice notice) {
    notice.new_alerts = changes.opened.size();
    std::vector<ChannelReport> reports;
    for (const auto& sink : sinks) {
        const std::string channel(sink->channel());
        // The alerts this delivery announces: the new ones, and those whose earlier delivery to
        // this channel failed.
        std::vector<std::int64_t> announce;
        std::set<std::int64_t> seen;
        for (const auto& a : changes.opened)
            if (seen.insert(a.id).second) announce.push_back(a.id);
        store::AlertQuery pending;
        pending.project = scope.project;
        pending.testbed = scope.testbed;
        pending.branch = scope.branch;
        pending.active_only = true;
        pending.pending_channel = channel;
        for (const auto& a : store.list_alerts(pending))
            if (seen.insert(a.id).second) announce.push_back(a.id);

        ChannelReport report;
        report.result.channel = channel;
        if (announce.empty() && !sink->reports_every_check()) {
            report.result.ok = true;
            report.result.detail = "nothing new to announce";
            reports.push_back(std::move(report));
            continue;
        }
        report.sent = true;
        report.announced = announce.size();
        report.result = sink->deliver(notice);
        for (const auto id : announce)
            store.record_delivery(id, channel, report.result.ok, report.result.attempts,
                                  report.result.error);
        reports.push_back(std::move(report));
    }
    return reports;
}

}  // namespace perftrack::alerts
