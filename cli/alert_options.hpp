#pragma once
// The alert flags of `check` and `run --check`, and printing the alert stage's report
// (alerts/stage.hpp) to stderr.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "alerts/channels.hpp"
#include "alerts/stage.hpp"
#include "core/error.hpp"

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

// Prints the report's warnings (always), its summary (unless quiet) and details (when verbose)
// to stderr.
void print_alert_stage(const alerts::AlertStageReport& report, bool quiet, bool verbose);

}  // namespace perftrack::cli
