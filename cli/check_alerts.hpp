#pragma once
// What follows a check's verdict (for `check` and `run --check`), wired together: the GitHub
// Actions job summary, the baseline resets and (on the baseline branch) the regressing steps
// of recent history read from the store, then the alert stage (alerts/stage.hpp). The verdict
// is printed and the exit code decided before this runs; nothing here can change either.

#include <optional>
#include <string>
#include <vector>

#include "alerts/channels.hpp"
#include "alerts/lifecycle.hpp"
#include "alerts/notice.hpp"
#include "reports/detect/check.hpp"
#include "reports/detect/regressing_steps.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

// The check's verdicts as the alert channels see them: change in percent, unknown numbers
// (NaN) as absent.
std::vector<alerts::NoticeVerdict> alert_verdicts(const reports::detect::CheckResult& result);

// Regressing steps as the alert lifecycle records them: change in percent.
std::vector<alerts::ChangePointFinding> change_point_findings(
    const std::vector<reports::detect::RegressingStep>& steps);

struct AfterCheckOptions {
    bool quiet = false;
    bool verbose = false;
    std::optional<std::string> pull_request;  // from the run context, for the chat summary
};

// Runs everything after the verdict against `store` with `settings` (resolved before the check
// so a bad setting fails early). Prints notes and warnings to stderr; never throws.
void after_check(store::Store& store, const alerts::ChannelSettings& settings,
                 const reports::detect::CheckResult& result, const AfterCheckOptions& options);

}  // namespace perftrack::cli
