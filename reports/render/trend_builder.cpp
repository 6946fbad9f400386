#include "reports/render/trend_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <fnmatch.h>

namespace perftrack::reports::render {

namespace {

// Median, min and max of the finite samples; false when there is none.
bool summarise(const std::vector<double>& samples, std::vector<double>& scratch, TrendPoint& out) {
    scratch.clear();
    for (const double v : samples)
        if (std::isfinite(v)) scratch.push_back(v);
    if (scratch.empty()) return false;
    std::sort(scratch.begin(), scratch.end());
    out.median = quantile_sorted(scratch, 0.5);
    out.min = scratch.front();
    out.max = scratch.back();
    out.repetitions = static_cast<std::uint32_t>(scratch.size());
    return true;
}

// For each point, the first point its baseline may use (see build_trends).
std::vector<std::size_t> window_starts(const store::History& history, const store::SeriesHistory& s,
                                       const std::vector<TrendPoint>& points) {
    std::vector<std::int64_t> reset_times;
    for (const auto& r : history.resets)
        if (reset_applies(r, s.info.benchmark, s.info.metric))
            reset_times.push_back(r.commit_time_us);
    std::sort(reset_times.begin(), reset_times.end());
    std::vector<std::size_t> starts(points.size(), 0);
    if (reset_times.empty()) return starts;
    auto time_of = [&](std::size_t i) { return history.runs[points[i].run].commit_time_us; };
    for (std::size_t i = 0; i < points.size(); ++i) {
        const std::int64_t t = time_of(i);
        auto it = std::upper_bound(reset_times.begin(), reset_times.end(), t);
        if (it == reset_times.begin()) continue;  // no reset at or before this run
        const std::int64_t reset_time = *std::prev(it);
        // Runs are in commit-time order, so the points before the reset form a prefix.
        std::size_t lo = 0, hi = i;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (time_of(mid) < reset_time)
                lo = mid + 1;
            else
                hi = mid;
        }
        starts[i] = lo;
    }
    return starts;
}

}  // namespace

bool reset_applies(const store::BaselineReset& reset, const std::string& benchmark,
                   const std::string& metric) {
    if (reset.metric && *reset.metric != metric) return false;
    return ::fnmatch(reset.benchmark_glob.c_str(), benchmark.c_str(), 0) == 0;
}

Trends build_trends(const store::History& history, const BandRule& rule) {
    Trends trends;
    trends.runs.reserve(history.runs.size());
    for (const auto& r : history.runs)
        trends.runs.push_back({r.commit, r.commit_subject, r.commit_time_us, r.partial});

    std::vector<std::size_t> order(history.series.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::vector<std::string> params_keys;
    params_keys.reserve(history.series.size());
    for (const auto& s : history.series) params_keys.push_back(s.info.params.dump());
    auto key = [&](std::size_t i) {
        const auto& info = history.series[i].info;
        return std::tie(info.suite, info.benchmark, params_keys[i], info.metric, info.unit);
    };
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return key(a) < key(b); });

    std::vector<double> scratch;
    std::vector<double> medians;
    trends.series.reserve(order.size());
    for (const std::size_t index : order) {
        const auto& s = history.series[index];
        SeriesReport out;
        out.suite = s.info.suite;
        out.benchmark = s.info.benchmark;
        out.params = s.info.params;
        out.metric = s.info.metric;
        out.unit = s.info.unit;
        out.direction = s.info.direction;
        out.points.reserve(s.points.size());
        for (const auto& p : s.points) {
            TrendPoint point;
            point.run = p.run;
            if (summarise(p.samples, scratch, point)) out.points.push_back(point);
        }
        std::stable_sort(out.points.begin(), out.points.end(),
                         [](const TrendPoint& a, const TrendPoint& b) { return a.run < b.run; });
        medians.clear();
        for (const auto& p : out.points) medians.push_back(p.median);
        const auto starts = window_starts(history, s, out.points);
        auto bands = rolling_bands(medians, starts, rule);
        for (std::size_t i = 0; i < out.points.size(); ++i) out.points[i].baseline = bands[i];
        trends.series.push_back(std::move(out));
    }
    return trends;
}

std::vector<ComparisonGroup> build_comparisons(const std::vector<SeriesReport>& series,
                                               std::optional<std::uint32_t> until_run) {
    std::map<std::pair<std::string, std::string>, ComparisonGroup> groups;
    std::map<std::pair<std::string, std::string>, std::set<std::string>> suites;
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        const TrendPoint* latest = nullptr;
        for (const auto& p : s.points)
            if (!until_run || p.run <= *until_run) latest = &p;
        if (latest == nullptr) continue;
        auto& g = groups[{s.metric, s.unit}];
        g.metric = s.metric;
        g.unit = s.unit;
        g.direction = s.direction;
        g.entries.push_back({i, latest->median, latest->run});
        suites[{s.metric, s.unit}].insert(s.suite);
    }
    std::vector<ComparisonGroup> out;
    for (auto& [key, g] : groups) {
        if (g.entries.size() < 2) continue;
        std::set<std::string> param_keys;
        for (const auto& e : g.entries)
            for (const auto& [k, v] : series[e.series].params.items()) param_keys.insert(k);
        g.dimensions.push_back("benchmark");
        if (suites[key].size() > 1) g.dimensions.push_back("suite");
        for (const auto& k : param_keys) g.dimensions.push_back(std::string(k_param_dimension) + k);
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace perftrack::reports::render
