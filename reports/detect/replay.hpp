#pragma once
// Replaying the online detector so that `check` (one commit) and `backtest` (every commit)
// compute exactly the same thing.
//
// The detector has state (where the current level began), so a commit's verdict depends on
// the history before it. `check` cannot replay the whole history on every call, and a replay
// that began at an arbitrary earlier commit could reach a different state. So the branch's
// commits are cut into fixed blocks of k_replay_block positions, and the verdicts of a block
// always come from one replay that starts replay_warmup() positions before the block's first
// commit. `check` replays that one window; `backtest` replays every block's window. Both see
// the same inputs and give the same verdicts, at a cost of about two replays per commit.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "reports/detect/online_detector.hpp"
#include "reports/detect/series_data.hpp"
#include "reports/detect/settings.hpp"
#include "store/store.hpp"

namespace perftrack::reports::detect {

inline constexpr std::size_t k_replay_block = 64;

// Positions replayed before a block: enough for a full baseline after a step in the warm-up.
std::size_t replay_warmup(const DetectionSettings& settings);

// The first position of the replay that decides `position`.
std::size_t replay_window_start(std::size_t position, const DetectionSettings& settings);

// Timeline positions at which baseline resets apply to a series (sorted, unique): the reset's
// commit when the branch has it, else the first commit at or after the reset commit's time.
std::vector<std::size_t> reset_positions(const core::SeriesId& series,
                                         std::span<const store::BaselineReset> resets,
                                         const Timeline& timeline);

// Does a reset (benchmark glob, optional metric) apply to this series?
bool reset_applies(const store::BaselineReset& reset, const core::SeriesId& series);

// Turns the point indices of an assessment over `window` (points of one series) into timeline
// positions; an index one past the window is the position after its last point.
void assessment_to_positions(Assessment& a, std::span<const SeriesPoint> window);

struct PointAssessment {
    std::size_t position = 0;
    Assessment assessment;
};

// Replays the points of one series whose positions lie in [window_start, report_end) and
// returns the assessments of those in [report_begin, report_end). In the returned assessments
// every point index (point, baseline_*_point, first_point, since_point) is a timeline position.
std::vector<PointAssessment> replay_window(std::span<const SeriesPoint> points,
                                           core::Direction direction,
                                           const DetectionSettings& settings,
                                           const MetricThresholds& thresholds,
                                           std::span<const std::size_t> resets,
                                           std::size_t window_start, std::size_t report_begin,
                                           std::size_t report_end, bool baseline_medians = true);

// Replays the points in [window_start, end) and assesses `candidate_runs` (metric units) as the
// next commit after them: a pull request's runs against its baseline branch.
Assessment assess_after_window(std::span<const SeriesPoint> points, core::Direction direction,
                               const DetectionSettings& settings,
                               const MetricThresholds& thresholds,
                               std::span<const std::size_t> resets, std::size_t window_start,
                               std::size_t end, std::span<const double> candidate_runs);

}  // namespace perftrack::reports::detect
