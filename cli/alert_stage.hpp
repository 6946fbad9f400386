#pragma once
// The alert stage of `check` (and `run --check`): after the verdict is printed, record the
// regressions as alerts, resolve those that recovered or that a baseline reset superseded, and
// tell the configured channels. Nothing here can change the verdict or the exit code: every
// failure becomes a warning.

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "alerts/channels.hpp"
#include "alerts/dispatch.hpp"
#include "alerts/lifecycle.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

struct AlertOptions {
    alerts::ChannelFlags channels;
};

// Adds --webhook-url, --slack-webhook-url, --github, --report-url and --no-notify.
void add_alert_options(CLI::App& command, AlertOptions& options);

// The channels, resolved before the check runs so a bad setting fails fast (an Error of kind
// usage or config: exit 2). `ci_job_url` is the run context's job page (the default report
// link).
core::Result<alerts::ChannelSettings> resolve_alert_settings(
    const AlertOptions& options, const std::optional<std::string>& ci_job_url);

struct AlertStageInput {
    alerts::CheckScope scope;
    alerts::CheckNotice notice;       // verdicts, check JSON, Markdown
    std::vector<store::BaselineReset> resets;  // of the scope's project and testbed
    // Regressing steps change-point analysis located on the scope's branch (baseline branch
    // checks only); applied after the check's verdicts.
    std::vector<alerts::ChangePointFinding> change_points;
};

struct AlertStageReport {
    alerts::AlertChanges changes;
    std::vector<alerts::ChannelReport> channels;
    std::string summary;                // "alerts: 1 opened (#12), ..."; empty when none changed
    std::vector<std::string> details;   // per channel and retry, for --verbose; redacted
    std::vector<std::string> warnings;  // one line each, redacted
};

// Runs the stage against `store`. Never throws.
AlertStageReport run_alert_stage(store::AlertStore& store,
                                 const alerts::ChannelSettings& settings,
                                 AlertStageInput input);

// Prints the report's warnings (always), its summary (unless quiet) and details (when verbose)
// to stderr.
void print_alert_stage(const AlertStageReport& report, bool quiet, bool verbose);

// Appends `markdown` to the file named by $GITHUB_STEP_SUMMARY (the job summary page of GitHub
// Actions) when that variable is set. Returns a warning when it could not; empty otherwise.
std::string append_step_summary(const std::string& markdown, const alerts::EnvLookup& env);

}  // namespace perftrack::cli
