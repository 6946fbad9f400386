#pragma once
// From the store's History to the trend part of the report model: the branch's commits on the
// x axis (the detector's timeline: every run of one commit is one position) and, per series,
// the median and spread of each commit's repetitions with a baseline band. Verdicts, change
// points, detector baselines, alerts and comparisons are added by the report builder.

#include <optional>
#include <string_view>
#include <vector>

#include "reports/render/baseline_band.hpp"
#include "reports/render/report_model.hpp"
#include "store/store.hpp"

namespace perftrack::reports::render {

struct Trends {
    std::vector<CommitRef> commits;    // detect::build_timeline(history), in order
    std::vector<SeriesReport> series;  // sorted by suite, benchmark, params, metric, unit
    std::vector<std::size_t> source;   // series[i] is history.series[source[i]]
};

// Non-finite samples are left out; a commit of a series with no finite sample has no point.
// Bands follow rolling_windows(): the up to rule.window earlier commits of the series, none
// before the newest baseline reset that applies at the commit (detect::reset_positions).
Trends build_trends(const store::History& history, const BandRule& rule = {});

// Dimension names of ComparisonGroup: "benchmark", "suite", or this prefix and a params key.
inline constexpr std::string_view k_param_dimension = "param:";

// The latest point of each series at or before `until` (a position; all when nullopt), grouped
// by metric and unit, for the groups with at least two series. Groups are ordered by metric
// and unit; entries by series index.
std::vector<ComparisonGroup> build_comparisons(const std::vector<SeriesReport>& series,
                                               std::optional<std::uint32_t> until);

}  // namespace perftrack::reports::render
