#include "reports/detect/backtest.hpp"

#include <algorithm>

#include "reports/detect/parallel.hpp"
#include "reports/detect/replay.hpp"
#include "reports/detect/series_data.hpp"

namespace perftrack::reports::detect {

BacktestResult run_backtest(const store::History& history, const DetectionSettings& settings) {
    BacktestResult result;
    const Timeline timeline = build_timeline(history);
    const std::size_t total = timeline.commits.size();
    result.commits = total;

    struct Prepared {
        std::vector<SeriesPoint> points;
        std::vector<std::size_t> resets;
        MetricThresholds thresholds;
    };
    std::vector<Prepared> prepared(history.series.size());
    parallel_for(history.series.size(), [&](std::size_t s) {
        const auto& series = history.series[s];
        prepared[s].points = series_points(series, timeline);
        prepared[s].resets = reset_positions(series.id, history.resets, timeline);
        prepared[s].thresholds = thresholds_for(settings, series.id.metric);
    });
    for (const auto& series : history.series) result.series.push_back({series.id, {}});

    // One block at a time: every series' verdicts for the block's commits, then the correction
    // across series at each commit.
    for (std::size_t block = 0; block < total; block += k_replay_block) {
        const std::size_t end = std::min(total, block + k_replay_block);
        std::vector<std::vector<std::pair<std::size_t, Assessment>>> at(end - block);
        for (std::size_t s = 0; s < prepared.size(); ++s) {
            auto replayed = replay_window(prepared[s].points, history.series[s].id.direction,
                                          settings, prepared[s].thresholds, prepared[s].resets,
                                          replay_window_start(block, settings), block, end);
            for (auto& pa : replayed)
                at[pa.position - block].emplace_back(s, std::move(pa.assessment));
        }
        for (std::size_t offset = 0; offset < at.size(); ++offset) {
            const auto& here = at[offset];
            std::vector<const Assessment*> ptrs;
            ptrs.reserve(here.size());
            for (const auto& [s, a] : here) ptrs.push_back(&a);
            const auto decisions = decide(ptrs, settings.alpha);
            for (std::size_t k = 0; k < here.size(); ++k) {
                const Assessment& a = here[k].second;
                if (a.kind == AssessmentKind::tested) ++result.checks;
                const Status st = decisions[k].status;
                if (st != Status::regression && st != Status::improvement) continue;
                BacktestFlag f;
                f.position = block + offset;
                f.commit = timeline.commits[f.position].commit;
                f.since = timeline.commits[a.step->since_point].commit;
                f.status = st;
                f.change = a.step->change;
                f.ci_low = a.step->ci_low;
                f.ci_high = a.step->ci_high;
                f.p_value = decisions[k].p_value;
                f.q_value = decisions[k].q_value;
                f.exact = a.step->exact;
                result.series[here[k].first].flags.push_back(std::move(f));
            }
        }
    }
    return result;
}

}  // namespace perftrack::reports::detect
