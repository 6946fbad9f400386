#include "alerts/stage.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/redact.hpp"

namespace perftrack::alerts {

namespace {

std::string ids_phrase(const std::vector<store::Alert>& alerts) {
    std::string out;
    for (const auto& a : alerts) out += (out.empty() ? "#" : ", #") + std::to_string(a.id);
    return out;
}

// A change-point alert as a line of the notice.
NoticeVerdict located_step(const store::Alert& a) {
    NoticeVerdict v;
    v.series = a.series;
    v.status = std::string(k_status_regression);
    v.change_pct = a.change_pct;
    v.p_value = a.p_value;
    v.baseline_median = a.baseline_value;
    v.candidate_median = a.regressed_value;
    v.since_commit = a.commit;
    return v;
}

// Appends the alerts of `more` whose id `into` does not hold yet.
void append_new(std::vector<store::Alert>& into, std::vector<store::Alert> more) {
    for (auto& a : more) {
        bool known = false;
        for (const auto& b : into) known |= b.id == a.id;
        if (!known) into.push_back(std::move(a));
    }
}

}  // namespace

AlertStageReport run_alert_stage(store::AlertStore& store, const ChannelSettings& settings,
                                 AlertStageInput input) {
    AlertStageReport report;
    const auto secrets = settings.secrets();
    const auto redact = [&](std::string text) {
        return core::redact_secrets(std::move(text), secrets);
    };
    try {
        report.changes = apply_check(store, input.scope, input.notice.verdicts);
        auto located = apply_change_points(store, input.scope, input.change_points);
        for (auto& a : located.opened) {
            input.notice.located_steps.push_back(located_step(a));
            report.changes.opened.push_back(std::move(a));
        }
        // A change point that locates an alert this check just opened is not "still open".
        std::vector<store::Alert> located_updates;
        for (auto& a : located.updated) {
            bool opened_now = false;
            for (const auto& o : report.changes.opened) opened_now |= o.id == a.id;
            if (!opened_now) located_updates.push_back(std::move(a));
        }
        append_new(report.changes.updated, std::move(located_updates));
        auto closed =
            close_superseded_alerts(store, input.scope.project, input.scope.testbed, input.resets);
        for (auto& a : closed) report.changes.resolved.push_back(std::move(a));
    } catch (const std::exception& e) {
        report.warnings.push_back(redact(
            fmt::format("alerts were not recorded: {}; the verdict above stands", e.what())));
        return report;
    }
    const auto& ch = report.changes;
    if (!ch.opened.empty() || !ch.updated.empty() || !ch.resolved.empty()) {
        std::vector<std::string> parts;
        if (!ch.opened.empty())
            parts.push_back(fmt::format("{} opened ({})", ch.opened.size(), ids_phrase(ch.opened)));
        if (!ch.updated.empty())
            parts.push_back(
                fmt::format("{} still open ({})", ch.updated.size(), ids_phrase(ch.updated)));
        if (!ch.resolved.empty())
            parts.push_back(
                fmt::format("{} resolved ({})", ch.resolved.size(), ids_phrase(ch.resolved)));
        std::string line = "alerts: " + parts[0];
        for (std::size_t i = 1; i < parts.size(); ++i) line += ", " + parts[i];
        report.summary = line + "; see 'perftrack alerts list'";
    }
    for (const auto& note : settings.notes) report.details.push_back(redact(note));
    if (!settings.any()) return report;

    try {
        HttpClient client(settings.http, secrets);
        std::vector<std::string> retries;
        client.set_retry_observer([&](const std::string& m) { retries.push_back(m); });
        const auto sinks = make_sinks(settings, client);
        report.channels = dispatch(sinks, store, input.scope, ch, std::move(input.notice));
        for (const auto& m : retries) report.details.push_back(redact(m));
        for (const auto& c : report.channels) {
            const auto& r = c.result;
            if (!c.sent) continue;
            if (r.ok) {
                report.details.push_back(
                    redact(fmt::format("{}: {} ({} request{})", r.channel, r.detail, r.attempts,
                                       r.attempts == 1 ? "" : "s")));
            } else {
                report.warnings.push_back(redact(fmt::format(
                    "alert delivery failed: {}{}", r.error,
                    c.announced > 0 ? "; recorded, the next check sends it again" : "")));
            }
        }
    } catch (const std::exception& e) {
        report.warnings.push_back(redact(fmt::format("alert delivery stopped: {}", e.what())));
    }
    return report;
}

std::string append_step_summary(const std::string& markdown, const EnvLookup& env) {
    const auto path = env("GITHUB_STEP_SUMMARY");
    if (!path) return "";
    std::ofstream out(*path, std::ios::app | std::ios::binary);
    if (out) out << markdown << (markdown.empty() || markdown.back() == '\n' ? "" : "\n");
    out.flush();
    if (!out)
        return fmt::format("could not append the summary to $GITHUB_STEP_SUMMARY ({}): {}", *path,
                           std::strerror(errno));
    return "";
}

}  // namespace perftrack::alerts
