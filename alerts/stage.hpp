#pragma once
// The alert stage of `check` (and `run --check`): after the verdict is printed, record the
// regressions as alerts, resolve those that recovered or that a baseline reset superseded, and
// tell the configured channels. Nothing here can change the verdict or the exit code: every
// failure becomes a warning of the report, which the caller prints.

#include <optional>
#include <string>
#include <vector>

#include "alerts/channels.hpp"
#include "alerts/dispatch.hpp"
#include "alerts/lifecycle.hpp"
#include "alerts/notice.hpp"
#include "store/store.hpp"

namespace perftrack::alerts {

struct AlertStageInput {
    CheckScope scope;
    CheckNotice notice;                        // verdicts, check JSON, Markdown
    std::vector<store::BaselineReset> resets;  // of the scope's project and testbed
    // Regressing steps change-point analysis located on the scope's branch (baseline branch
    // checks only); applied after the check's verdicts.
    std::vector<ChangePointFinding> change_points;
};

struct AlertStageReport {
    AlertChanges changes;
    std::vector<ChannelReport> channels;
    std::string summary;                // "alerts: 1 opened (#12), ..."; empty when none changed
    std::vector<std::string> details;   // per channel and retry, for --verbose; redacted
    std::vector<std::string> warnings;  // one line each, redacted
};

// Runs the stage against `store`. Never throws.
AlertStageReport run_alert_stage(store::AlertStore& store, const ChannelSettings& settings,
                                 AlertStageInput input);

// Appends `markdown` to the file named by $GITHUB_STEP_SUMMARY (the job summary page of GitHub
// Actions) when that variable is set. Returns a warning when it could not; empty otherwise.
std::string append_step_summary(const std::string& markdown, const EnvLookup& env);

}  // namespace perftrack::alerts
