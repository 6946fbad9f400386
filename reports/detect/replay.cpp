#include "reports/detect/replay.hpp"

#include <algorithm>

#include <fnmatch.h>

namespace perftrack::reports::detect {

namespace {
// At least one block of warm-up, and room for a full baseline plus the longest confirmation
// window after a step early in the warm-up.
constexpr std::size_t k_min_warmup = 64;
}  // namespace

std::size_t replay_warmup(const DetectionSettings& settings) {
    return std::max(k_min_warmup, 2 * settings.baseline_runs + settings.confirm_commits);
}

std::size_t replay_window_start(std::size_t position, const DetectionSettings& settings) {
    const std::size_t block = position / k_replay_block * k_replay_block;
    const std::size_t warmup = replay_warmup(settings);
    return block > warmup ? block - warmup : 0;
}

bool reset_applies(const store::BaselineReset& reset, const core::SeriesId& series) {
    if (reset.metric && *reset.metric != series.metric) return false;
    return ::fnmatch(reset.benchmark_glob.c_str(), series.benchmark.c_str(), 0) == 0;
}

std::vector<std::size_t> reset_positions(const core::SeriesId& series,
                                         std::span<const store::BaselineReset> resets,
                                         const Timeline& timeline) {
    std::vector<std::size_t> out;
    for (const auto& r : resets) {
        if (!reset_applies(r, series)) continue;
        if (auto p = timeline.position_of(r.commit)) {
            out.push_back(*p);
            continue;
        }
        for (std::size_t p = 0; p < timeline.commits.size(); ++p) {
            if (timeline.commits[p].commit_time_us >= r.commit_time_us) {
                out.push_back(p);
                break;
            }
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void assessment_to_positions(Assessment& a, std::span<const SeriesPoint> window) {
    auto pos = [&](std::size_t i) {
        return i < window.size() ? window[i].position : window.back().position + 1;
    };
    if (a.baseline_first_point) a.baseline_first_point = pos(*a.baseline_first_point);
    if (a.baseline_last_point) a.baseline_last_point = pos(*a.baseline_last_point);
    a.current.first_point = pos(a.current.first_point);
    a.current.since_point = pos(a.current.since_point);
    if (a.step) {
        a.step->first_point = pos(a.step->first_point);
        a.step->since_point = pos(a.step->since_point);
    }
    a.point = pos(a.point);
}

namespace {

std::span<const SeriesPoint> window_of(std::span<const SeriesPoint> points, std::size_t begin,
                                       std::size_t end) {
    auto by_position = [](const SeriesPoint& p, std::size_t pos) { return p.position < pos; };
    const auto first = std::lower_bound(points.begin(), points.end(), begin, by_position);
    const auto last = std::lower_bound(first, points.end(), end, by_position);
    return {first, last};
}

// Steps the detector over the window, applying resets; calls `before(i)` ahead of each step and
// `visit(i, assessment)` after it.
template <typename Before, typename Visit>
void run_window(OnlineDetector& detector, std::span<const SeriesPoint> window,
                std::span<const std::size_t> resets, Before&& before, Visit&& visit) {
    auto next_reset = std::upper_bound(resets.begin(), resets.end(), window.front().position);
    for (std::size_t i = 0; i < window.size(); ++i) {
        // Resets after the previous point and at or before this one start a new level here.
        bool reset = false;
        while (next_reset != resets.end() && *next_reset <= window[i].position) {
            reset = i > 0;
            ++next_reset;
        }
        if (reset) detector.reset_at(i);
        before(i);
        visit(i, detector.step(i));
    }
}

}  // namespace

std::vector<PointAssessment> replay_window(std::span<const SeriesPoint> points,
                                           core::Direction direction,
                                           const DetectionSettings& settings,
                                           const MetricThresholds& thresholds,
                                           std::span<const std::size_t> resets,
                                           std::size_t window_start, std::size_t report_begin,
                                           std::size_t report_end, bool baseline_medians) {
    const auto window = window_of(points, window_start, report_end);
    std::vector<PointAssessment> out;
    if (window.empty()) return out;
    OnlineDetector detector(window, direction, settings, thresholds);
    // The baseline median (a sort per commit) is only shown, never part of the detector's
    // state: the warm-up points, whose assessments are dropped, go without it.
    run_window(
        detector, window, resets,
        [&](std::size_t i) {
            detector.set_baseline_medians(baseline_medians && window[i].position >= report_begin);
        },
        [&](std::size_t i, Assessment a) {
            if (window[i].position < report_begin) return;
            assessment_to_positions(a, window);
            out.push_back({window[i].position, std::move(a)});
        });
    return out;
}

Assessment assess_after_window(std::span<const SeriesPoint> points, core::Direction direction,
                               const DetectionSettings& settings,
                               const MetricThresholds& thresholds,
                               std::span<const std::size_t> resets, std::size_t window_start,
                               std::size_t end, std::span<const double> candidate_runs) {
    const auto window = window_of(points, window_start, end);
    OnlineDetector detector(window, direction, settings, thresholds);
    bool base_pending =
        false;  // the newest point of the baseline branch shifted worse, unconfirmed
    if (!window.empty())
        run_window(
            detector, window, resets,
            // Only the state after the window is used: no baseline medians on the way.
            [&](std::size_t) { detector.set_baseline_medians(false); },
            [&](std::size_t, const Assessment& last) {
                base_pending = last.pending && last.current.sign > 0;
            });
    detector.set_baseline_medians(true);  // the candidate's assessment shows it
    Assessment a = detector.assess_candidate(candidate_runs);
    // A pull request branched right after the baseline branch itself got slower (one shifted
    // run there, not confirmed yet) measures the merge-base's level: the change is not its own.
    if (base_pending && a.step && a.step->sign > 0 &&
        detector.matches_point(window.size() - 1, candidate_runs.first(1))) {
        a.step.reset();
        a.matches_base_shift = true;
        a.rerun_stage = RerunStage::single_run;
    }
    if (!window.empty()) assessment_to_positions(a, window);
    return a;
}

}  // namespace perftrack::reports::detect
