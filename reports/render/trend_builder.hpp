#pragma once
// From the store's History to the trend part of the report model: the runs on the x axis and,
// per series, the median and spread of each run's repetitions with the rolling baseline band.
// Verdicts, change points, alerts and comparisons are added by the report builder.

#include <optional>
#include <string_view>
#include <vector>

#include "reports/render/baseline_band.hpp"
#include "reports/render/report_model.hpp"
#include "store/store.hpp"

namespace perftrack::reports::render {

struct Trends {
    std::vector<RunRef> runs;          // history.runs, same order and indices
    std::vector<SeriesReport> series;  // sorted by suite, benchmark, params, metric, unit
};

// Non-finite samples are left out of a run's statistics; a run of a series with no finite
// sample has no point. Baseline resets apply to the series whose benchmark matches the reset's
// glob (fnmatch) and metric (all when empty); the band of a run then uses only runs whose
// commit time is at or after the newest reset at or before the run's own commit time.
Trends build_trends(const store::History& history, const BandRule& rule = {});

// Whether `reset` applies to a series (glob over the benchmark name, optional metric).
bool reset_applies(const store::BaselineReset& reset, const std::string& benchmark,
                   const std::string& metric);

// Dimension names of ComparisonGroup: "benchmark", "suite", or this prefix and a params key.
inline constexpr std::string_view k_param_dimension = "param:";

// The latest point of each series at or before `until_run` (all runs when nullopt), grouped by
// metric and unit, for the groups with at least two series. Groups are ordered by metric and
// unit; entries by series index.
std::vector<ComparisonGroup> build_comparisons(const std::vector<SeriesReport>& series,
                                               std::optional<std::uint32_t> until_run);

}  // namespace perftrack::reports::render
