#pragma once
// The steps of a branch's history that are still regressions: change-point analysis over each
// series, kept only where the newest step makes the series worse and survives a false discovery
// rate control across every series analysed. After a check on the baseline branch they locate
// regressions the online check confirmed late (or absorbed into its baseline); alerts/ records
// them (the CLI maps them to alerts::ChangePointFinding).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/series_id.hpp"
#include "store/store.hpp"

namespace perftrack::reports::detect {

// The newest change point of one series, with the median levels on either side.
struct RegressingStep {
    core::SeriesId series;
    std::string commit;                  // the first commit at the new level
    std::int64_t commit_time_us = 0;     // that commit's time
    double change = 0;                   // a fraction: +0.2 means the value grew by 20 %
    std::optional<double> p_value;       // absent for an exact step (a deterministic metric)
    std::optional<double> level_before;  // in series.unit
    std::optional<double> level_after;   // in series.unit
};

// How many of the baseline branch's newest runs change-point analysis looks at after a check
// on that branch: enough for segments of a few commits on both sides of a step the online
// check may have seen late.
inline constexpr std::size_t k_change_point_window_runs = 60;

// The newest change point of each series of `history` that is a regression (and so still the
// series' current level), with the median levels on either side: those of at least
// `min_change` (a fraction) whose Benjamini-Hochberg q-value across all series of `history` is
// at most `alpha` (the check's thresholds), each step's p-value first multiplied by the number
// of positions the segmentation chose it from. Empty when no series has one.
std::vector<RegressingStep> regressing_steps(const store::History& history, double alpha,
                                             double min_change);

}  // namespace perftrack::reports::detect
