#include "reports/detect/series_data.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "reports/stats/descriptive.hpp"

namespace perftrack::reports::detect {

namespace {
// 20 % from each end (see run_value).
constexpr double k_run_trim_fraction = 0.2;
}  // namespace

std::optional<std::size_t> Timeline::position_of(std::string_view commit) const {
    for (std::size_t i = 0; i < commits.size(); ++i)
        if (commits[i].commit == commit) return i;
    return std::nullopt;
}

Timeline build_timeline(const store::History& history) {
    Timeline t;
    t.position_of_run.resize(history.runs.size());
    std::unordered_map<std::string, std::size_t> by_commit;
    for (std::size_t i = 0; i < history.runs.size(); ++i) {
        const auto& run = history.runs[i];
        auto [it, inserted] = by_commit.emplace(run.commit, t.commits.size());
        if (inserted) {
            CommitSlot slot;
            slot.commit = run.commit;
            slot.commit_time_us = run.commit_time_us;
            slot.subject = run.commit_subject;
            t.commits.push_back(std::move(slot));
        }
        t.commits[it->second].runs.push_back(static_cast<std::uint32_t>(i));
        t.position_of_run[i] = it->second;
    }
    return t;
}

store::History slice_runs(store::History&& history, std::size_t first, std::size_t end) {
    store::History out;
    end = std::min(end, history.runs.size());
    first = std::min(first, end);
    out.runs.assign(
        std::make_move_iterator(history.runs.begin() + static_cast<std::ptrdiff_t>(first)),
        std::make_move_iterator(history.runs.begin() + static_cast<std::ptrdiff_t>(end)));
    out.resets = std::move(history.resets);
    for (auto& series : history.series) {
        store::SeriesHistory kept;
        for (auto& point : series.points) {
            if (point.run < first || point.run >= end) continue;
            kept.points.push_back(
                {static_cast<std::uint32_t>(point.run - first), std::move(point.samples)});
        }
        if (kept.points.empty()) continue;
        kept.id = std::move(series.id);
        kept.benchmark_id = series.benchmark_id;
        kept.metric_id = series.metric_id;
        out.series.push_back(std::move(kept));
    }
    return out;
}

std::optional<double> run_value(std::span<const double> samples) {
    std::vector<double> finite;
    finite.reserve(samples.size());
    for (double v : samples)
        if (std::isfinite(v)) finite.push_back(v);
    if (finite.empty()) return std::nullopt;
    const std::size_t n = finite.size();
    std::size_t cut = 0;
    if (n >= 3)
        cut = std::max<std::size_t>(
            1, static_cast<std::size_t>(k_run_trim_fraction * static_cast<double>(n)));
    return *stats::trimmed_mean_count(finite, cut);
}

std::vector<SeriesPoint> series_points(const store::SeriesHistory& series,
                                       const Timeline& timeline) {
    return series_points(series, timeline.position_of_run);
}

std::vector<SeriesPoint> series_points(const store::SeriesHistory& series,
                                       std::span<const std::size_t> position_of_run) {
    std::vector<SeriesPoint> points;
    for (const auto& p : series.points) {
        const std::size_t position = position_of_run[p.run];
        if (position == k_no_position) continue;
        const auto value = run_value(p.samples);
        if (!value) continue;
        if (points.empty() || points.back().position != position) {
            // Runs of one commit are adjacent in run order unless two commits share a commit
            // time; then keep position order by inserting where it belongs.
            auto it = std::lower_bound(
                points.begin(), points.end(), position,
                [](const SeriesPoint& a, std::size_t pos) { return a.position < pos; });
            if (it != points.end() && it->position == position) {
                it->runs.push_back(*value);
                continue;
            }
            SeriesPoint sp;
            sp.position = position;
            sp.runs.push_back(*value);
            points.insert(it, std::move(sp));
        } else {
            points.back().runs.push_back(*value);
        }
    }
    return points;
}

}  // namespace perftrack::reports::detect
