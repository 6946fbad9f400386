#pragma once
// What follows a check's verdict (for `check` and `run --check`): the alert lifecycle, the
// change-point alerts of the baseline branch, delivery to the configured channels, and the
// GitHub Actions job summary. The verdict is printed and the exit code decided before this runs;
// nothing here can change either.

#include <optional>
#include <string>
#include <vector>

#include "cli/alert_stage.hpp"
#include "reports/detect/check.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

// The check's verdicts as the alert channels see them: change in percent, unknown numbers
// (NaN) as absent.
std::vector<alerts::NoticeVerdict> alert_verdicts(const reports::detect::CheckResult& result);

// The newest change point of each series of `history` that is a regression (and so still the
// series' current level), with the median levels on either side: those of at least
// `min_change` (a fraction) whose Benjamini-Hochberg q-value across all series of `history` is
// at most `alpha` (the check's thresholds), each step's p-value first multiplied by the number
// of positions the segmentation chose it from.
std::vector<alerts::ChangePointFinding> regressing_change_points(
    const store::History& history, double alpha, double min_change);

// How many of the baseline branch's newest runs change-point analysis looks at after a check
// on that branch: enough for segments of a few commits on both sides of a step the online
// check may have seen late.
inline constexpr std::size_t k_change_point_window_runs = 60;

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
