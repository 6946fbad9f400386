#pragma once
// The online detector's state kept between checks, so that `check` steps the detector over the
// one commit it judges instead of replaying its whole window (50-116 commits; replay.hpp).
//
// What a check of position p computes is fixed by replay.hpp: the replay of the window starting
// at replay_window_start(p), stepped up to p. Between two steps that replay carries only a
// ReplayPoint (online_detector.hpp) and its scale; everything else is recomputed from the
// points. So a check saves, per series, the ReplayPoint before p and after p (for the next
// commit), together with a hash of everything the state was computed from: the series'
// identity, the window start, the positions and exact run values of its points up to there,
// the baseline resets that applied, and the scale. A later check uses a saved state only when
// the points it has just read hash the same; anything that changes those inputs (a late or
// re-ordered run, pruned runs, a new reset, a run that gained samples) makes it replay. The
// saved text is keyed by a fingerprint of the detection settings and of the detector's code
// (k_detector_state_version and the sources' hash, see reports/CMakeLists.txt), so other
// settings or another build replay too. The result is exactly the replay's
// (tests/unit/reports/detector_state_test.cpp compares every verdict both ways).
//
// The check also keeps the replay of the window that starts at p's block (the window of the
// next block's commits), so the first check of a block need not replay either.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/series_id.hpp"
#include "reports/detect/online_detector.hpp"
#include "reports/detect/series_data.hpp"
#include "reports/detect/settings.hpp"
#include "store/store.hpp"

namespace perftrack::reports::detect {

// Bump when what a step computes changes in a way the sources' hash would not show.
inline constexpr int k_detector_state_version = 1;

// The detection settings and the detector's version, as the text that keys saved states.
std::string detector_fingerprint(const DetectionSettings& settings);

// One series' saved state: where the replay stood before `end` (all points before it stepped).
struct SavedSeriesState {
    std::uint64_t inputs = 0;  // hash of what it was computed from (see above)
    // Timeline positions (not point indices): of the current level's first point, of the level
    // before it, and of the next point to step (the first at or after `end`).
    std::size_t segment = 0;
    std::optional<std::size_t> previous;
    Scale scale = Scale::log;
    bool operator==(const SavedSeriesState&) const = default;
};

// Per series, keyed by series_key().
using SavedStates = std::unordered_map<std::uint64_t, SavedSeriesState>;

std::uint64_t series_key(const core::SeriesId& series);

// The stored text of some states, and back; text that does not parse gives what parsed before
// it (a cache: a lost entry only costs a replay).
std::string encode_states(const SavedStates& states);
SavedStates decode_states(std::string_view text);

// One series in one replay window of a check of `position`.
struct WindowReplay {
    std::optional<Assessment> assessment;  // the point at `position` (when asked for and measured)
    std::optional<SavedSeriesState> before;  // the state before `position`, and after it
    std::optional<SavedSeriesState> after;
    bool resumed = false;  // continued from a saved state (no replay)
};

// The replay of the window [window_start, position] of one series, as replay_window gives it
// for report_begin = position, continued from `saved_before` when that entry matches the
// points (else replayed from the window's start). Without `assess`, only the states are wanted:
// nothing is computed when `saved_after` already matches. Nothing at all when the series has no
// point at `position`.
WindowReplay replay_with_state(std::span<const SeriesPoint> points, const core::SeriesId& series,
                               const DetectionSettings& settings,
                               const MetricThresholds& thresholds,
                               std::span<const std::size_t> resets, std::size_t window_start,
                               std::size_t position, bool assess,
                               const SavedSeriesState* saved_before,
                               const SavedSeriesState* saved_after);

// The check's assessment of every series of `window` (runs of the baseline branch placed on
// `timeline` by position_of_run) at `position`, nullopt for a series not measured there:
// exactly what replay_window gives from replay_window_start(position), continued from the
// states saved through `reader` for `query`'s branch where they match, which are then updated.
struct StatefulAssessments {
    std::vector<std::optional<Assessment>> assessments;  // per window.series
    std::size_t resumed = 0;                             // series that needed no replay
};
StatefulAssessments assess_with_saved_states(store::HistoryReader& reader,
                                             const store::HistoryQuery& query,
                                             const store::History& window,
                                             std::span<const std::size_t> position_of_run,
                                             const Timeline& timeline, std::size_t position,
                                             const DetectionSettings& settings);

}  // namespace perftrack::reports::detect
