#pragma once
// From a stored history to what the detector works on: the branch's commits in order (one
// position per commit, however many runs it has), and per series one robust value per run.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace perftrack::reports::detect {

// One commit of the branch with every run of it (re-runs, confirmations, shards stored as
// separate runs). Several runs of a commit stay one position: the baseline counts commits,
// so a commit re-run five times does not outweigh its neighbours.
struct CommitSlot {
    std::string commit;
    std::int64_t commit_time_us = 0;
    std::string subject;
    std::vector<std::uint32_t> runs;  // indices into History::runs, in run order
};

struct Timeline {
    std::vector<CommitSlot> commits;           // in order of each commit's first run
    std::vector<std::size_t> position_of_run;  // History::runs index -> position
    // Position of a commit (by sha), or nullopt.
    std::optional<std::size_t> position_of(std::string_view commit) const;
};

Timeline build_timeline(const store::History& history);

// Runs [first, end) of `history` as a history of their own, as load_history returns it for
// exactly those runs: run indices renumbered from 0, series without a point there left out
// (series order kept), resets kept. Moves the samples out of `history`.
store::History slice_runs(store::History&& history, std::size_t first, std::size_t end);

// The value of one run of one series: the trimmed mean of its repetitions, cutting
// max(1, floor(20 %)) from each end when there are at least 3 (a 20 % trimmed mean keeps most
// of the mean's efficiency on normal data and ignores the occasional 2-3x slow repetition;
// with 3 or 4 repetitions it is the median or the mean of the middle two). Non-finite samples
// are ignored; nullopt when none is left.
std::optional<double> run_value(std::span<const double> samples);

struct SeriesPoint {
    std::size_t position = 0;  // in the Timeline
    std::vector<double> runs;  // run_value of each run of that commit (at least one)
};

// The points of one series in position order; runs without a usable value are left out.
std::vector<SeriesPoint> series_points(const store::SeriesHistory& series,
                                       const Timeline& timeline);

// The same with an explicit position for every run of the history the series comes from;
// runs whose position is k_no_position are left out.
inline constexpr std::size_t k_no_position = static_cast<std::size_t>(-1);
std::vector<SeriesPoint> series_points(const store::SeriesHistory& series,
                                       std::span<const std::size_t> position_of_run);

}  // namespace perftrack::reports::detect
