#include "reports/render/trend_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "reports/detect/replay.hpp"
#include "reports/detect/series_data.hpp"

namespace perftrack::reports::render {

namespace {

// Everything one series measured at one commit, over all runs of the commit.
struct Bucket {
    std::uint32_t position = 0;
    std::vector<double> samples;     // finite samples of every run
    std::vector<double> run_values;  // detect::run_value of each run
};

std::vector<TrendPoint> points_of(const store::SeriesHistory& s, const detect::Timeline& timeline) {
    std::vector<Bucket> buckets;  // in position order
    for (const auto& p : s.points) {
        const auto position = static_cast<std::uint32_t>(timeline.position_of_run[p.run]);
        auto it =
            std::lower_bound(buckets.begin(), buckets.end(), position,
                             [](const Bucket& b, std::uint32_t pos) { return b.position < pos; });
        if (it == buckets.end() || it->position != position)
            it = buckets.insert(it, Bucket{position, {}, {}});
        for (const double v : p.samples)
            if (std::isfinite(v)) it->samples.push_back(v);
        if (const auto value = detect::run_value(p.samples)) it->run_values.push_back(*value);
    }
    std::vector<TrendPoint> points;
    points.reserve(buckets.size());
    for (auto& b : buckets) {
        if (b.samples.empty()) continue;
        std::sort(b.samples.begin(), b.samples.end());
        TrendPoint t;
        t.position = b.position;
        t.median = quantile_sorted(b.samples, 0.5);
        t.min = b.samples.front();
        t.max = b.samples.back();
        t.repetitions = static_cast<std::uint32_t>(b.samples.size());
        double sum = 0;
        for (const double v : b.run_values) sum += v;
        t.value = sum / static_cast<double>(b.run_values.size());
        t.runs = static_cast<std::uint32_t>(b.run_values.size());
        points.push_back(t);
    }
    return points;
}

// For each point, the first point its baseline may use: the first at or after the newest reset
// position at or before the point's own position.
std::vector<std::size_t> window_starts(const std::vector<TrendPoint>& points,
                                       const std::vector<std::size_t>& reset_positions) {
    std::vector<std::size_t> starts(points.size(), 0);
    for (std::size_t i = 0; i < points.size(); ++i) {
        auto it =
            std::upper_bound(reset_positions.begin(), reset_positions.end(), points[i].position);
        if (it == reset_positions.begin()) continue;
        const std::size_t reset = *std::prev(it);
        starts[i] =
            static_cast<std::size_t>(std::lower_bound(points.begin(), points.end(), reset,
                                                      [](const TrendPoint& p, std::size_t pos) {
                                                          return p.position < pos;
                                                      }) -
                                     points.begin());
    }
    return starts;
}

}  // namespace

Trends build_trends(const store::History& history, const BandRule& rule) {
    const auto timeline = detect::build_timeline(history);
    Trends trends;
    trends.commits.reserve(timeline.commits.size());
    for (const auto& slot : timeline.commits) {
        CommitRef c;
        c.commit = slot.commit;
        c.subject = slot.subject;
        c.commit_time_us = slot.commit_time_us;
        c.runs = static_cast<std::uint32_t>(slot.runs.size());
        for (const auto r : slot.runs) c.partial = c.partial || history.runs[r].partial;
        trends.commits.push_back(std::move(c));
    }

    std::vector<std::size_t> order(history.series.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return history.series[a].id < history.series[b].id;
    });

    std::vector<double> medians;
    trends.series.reserve(order.size());
    for (const std::size_t index : order) {
        const auto& s = history.series[index];
        SeriesReport out;
        out.id = s.id;
        out.points = points_of(s, timeline);
        medians.clear();
        for (const auto& p : out.points) medians.push_back(p.median);
        const auto resets = detect::reset_positions(s.id, history.resets, timeline);
        const auto windows = rolling_windows(window_starts(out.points, resets), rule);
        const auto bands = bands_over(medians, windows, rule);
        for (std::size_t i = 0; i < out.points.size(); ++i) out.points[i].baseline = bands[i];
        trends.series.push_back(std::move(out));
        trends.source.push_back(index);
    }
    return trends;
}

std::vector<ComparisonGroup> build_comparisons(const std::vector<SeriesReport>& series,
                                               std::optional<std::uint32_t> until) {
    std::map<std::pair<std::string, std::string>, ComparisonGroup> groups;
    std::map<std::pair<std::string, std::string>, std::set<std::string>> suites;
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        const TrendPoint* latest = nullptr;
        for (const auto& p : s.points)
            if (!until || p.position <= *until) latest = &p;
        if (latest == nullptr) continue;
        auto& g = groups[{s.id.metric, s.id.unit}];
        g.metric = s.id.metric;
        g.unit = s.id.unit;
        g.direction = s.id.direction;
        g.entries.push_back({i, latest->median, latest->position});
        suites[{s.id.metric, s.id.unit}].insert(s.id.suite);
    }
    std::vector<ComparisonGroup> out;
    for (auto& [key, g] : groups) {
        if (g.entries.size() < 2) continue;
        std::set<std::string> param_keys;
        for (const auto& e : g.entries)
            for (const auto& [k, v] : series[e.series].id.params.items()) param_keys.insert(k);
        g.dimensions.push_back("benchmark");
        if (suites[key].size() > 1) g.dimensions.push_back("suite");
        for (const auto& k : param_keys) g.dimensions.push_back(std::string(k_param_dimension) + k);
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace perftrack::reports::render
