#include "cli/alert_options.hpp"

#include "cli/output.hpp"

namespace perftrack::cli {

void add_alert_options(CLI::App& command, AlertOptions& o) {
    auto& c = o.channels;
    command.add_option("--webhook-url", c.webhook_url,
                       "POST the JSON verdict of new regressions here (else "
                       "$PERFTRACK_WEBHOOK_URL; signed with $PERFTRACK_WEBHOOK_SECRET)");
    command.add_option("--slack-webhook-url", c.slack_webhook_url,
                       "Slack-compatible incoming webhook for new regressions (else "
                       "$PERFTRACK_SLACK_WEBHOOK_URL)");
    command.add_flag("--github", c.github,
                     "Commit status and a sticky PR comment on GitHub (on by default in GitHub "
                     "Actions when GITHUB_TOKEN is set)");
    command.add_option("--report-url", c.report_url,
                       "Link to the report in alerts (else $PERFTRACK_REPORT_URL, else the CI "
                       "job's page)");
    command.add_flag("--no-notify", c.no_notify,
                     "Record alerts but send nothing (whatever the environment configures)");
}

core::Result<alerts::ChannelSettings> resolve_alert_settings(
    const AlertOptions& options, const std::optional<std::string>& ci_job_url) {
    auto flags = options.channels;
    flags.ci_job_url = ci_job_url;
    return alerts::resolve_channels(flags, alerts::process_environment());
}

void print_alert_stage(const alerts::AlertStageReport& report, bool quiet, bool verbose) {
    for (const auto& w : report.warnings) print_warning(w);
    if (quiet) return;
    if (!report.summary.empty()) print_note(report.summary);
    if (!verbose) return;
    for (const auto& d : report.details) print_note(d);
}

}  // namespace perftrack::cli
