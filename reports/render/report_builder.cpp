#include "reports/render/report_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/display.hpp"
#include "reports/compare/grouping.hpp"
#include "reports/detect/changepoints.hpp"
#include "reports/detect/check.hpp"
#include "reports/detect/parallel.hpp"
#include "reports/detect/replay.hpp"
#include "reports/detect/series_data.hpp"
#include "reports/render/history_cache.hpp"
#include "reports/render/trend_builder.hpp"

namespace perftrack::reports::render {

namespace {

VerdictStatus status_of(detect::Status s) {
    switch (s) {
        case detect::Status::regression:
            return VerdictStatus::regression;
        case detect::Status::improvement:
            return VerdictStatus::improvement;
        case detect::Status::unchanged:
            return VerdictStatus::unchanged;
        case detect::Status::insufficient_data:
            return VerdictStatus::insufficient_data;
        case detect::Status::new_series:
            return VerdictStatus::new_series;
    }
    return VerdictStatus::insufficient_data;
}

std::optional<double> finite(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

// The points [begin, end) of `points` whose positions lie in [first, last].
PointWindow window_of(const std::vector<TrendPoint>& points, std::size_t first, std::size_t last) {
    auto at = [&](std::size_t position) {
        return static_cast<std::size_t>(std::lower_bound(points.begin(), points.end(), position,
                                                         [](const TrendPoint& p, std::size_t pos) {
                                                             return p.position < pos;
                                                         }) -
                                        points.begin());
    };
    return {at(first), at(last + 1)};
}

// Replaces the rolling bands with the baselines the detector actually used: its replay, block
// by block exactly as check and backtest run it (detect/replay.hpp), gives for every commit the
// first and last commit of the current level it was compared with. Also adds the change points.
void add_detector_view(SeriesReport& out, const store::History& history,
                       const store::SeriesHistory& series, const detect::Timeline& timeline,
                       const detect::DetectionSettings& settings) {
    const auto points = detect::series_points(series, timeline);
    if (points.empty()) return;
    for (const auto& cp : detect::find_change_points(points))
        out.change_points.push_back(
            {static_cast<std::uint32_t>(cp.position), cp.change, finite(cp.p_value)});

    const auto resets = detect::reset_positions(series.id, history.resets, timeline);
    const auto thresholds = detect::thresholds_for(settings, series.id.metric);
    const std::size_t n = timeline.commits.size();
    std::vector<std::optional<PointWindow>> windows(out.points.size());
    std::size_t next = 0;  // index into out.points
    for (std::size_t begin = 0; begin < n; begin += detect::k_replay_block) {
        const std::size_t end = std::min(n, begin + detect::k_replay_block);
        const auto assessed =
            detect::replay_window(points, series.id.direction, settings, thresholds, resets,
                                  detect::replay_window_start(begin, settings), begin, end,
                                  /*baseline_medians=*/false);  // the window's bounds suffice
        for (const auto& pa : assessed) {
            while (next < out.points.size() && out.points[next].position < pa.position) ++next;
            if (next == out.points.size() || out.points[next].position != pa.position) continue;
            const auto& a = pa.assessment;
            if (a.baseline_first_point && a.baseline_last_point)
                windows[next] =
                    window_of(out.points, *a.baseline_first_point, *a.baseline_last_point);
        }
    }
    std::vector<double> medians;
    medians.reserve(out.points.size());
    for (const auto& p : out.points) medians.push_back(p.median);
    const auto bands = bands_over(medians, windows, BandRule{});
    for (std::size_t i = 0; i < out.points.size(); ++i) out.points[i].baseline = bands[i];
}

Verdict verdict_of(const detect::SeriesVerdict& v, bool pull_request) {
    Verdict out;
    out.status = status_of(v.status);
    out.change = finite(v.change);
    out.ci_low = finite(v.ci_low);
    out.ci_high = finite(v.ci_high);
    out.p_value = finite(v.p_value);
    out.q_value = finite(v.q_value);
    out.baseline_median = finite(v.baseline_median);
    out.candidate_median = finite(v.candidate_median);
    if (pull_request) out.runs = detect::runs_summary(v);
    out.note = v.note;
    return out;
}

}  // namespace

core::Result<ReportModel> build_report_from(const store::History& history,
                                            store::HistoryReader& reader, const ReportRequest& r) {
    ReportModel m;
    m.header.project = r.project;
    m.header.branch = r.branch;
    m.header.testbed = r.testbed;
    m.header.generated_at_us = r.generated_at_us;
    m.header.perftrack_version = r.perftrack_version;
    m.header.commit_url_template = r.commit_url_template;
    m.alerts.tracked = false;
    m.alerts.note = "No alert store was read for this report.";

    auto trends = build_trends(history);
    const auto timeline = detect::build_timeline(history);
    m.commits = std::move(trends.commits);
    m.series = std::move(trends.series);
    // Series are independent: the replays, the slow part, run on every core.
    detect::parallel_for(m.series.size(), [&](std::size_t i) {
        add_detector_view(m.series[i], history, history.series[trends.source[i]], timeline,
                          r.settings);
    });

    if (m.commits.empty()) {
        if (!r.commit.empty())
            return core::fail(core::ErrorKind::input,
                              fmt::format("commit {} has no runs on branch {} of project {} on "
                                          "testbed {}",
                                          r.commit, r.branch, r.project, r.testbed),
                              "check --project, --testbed, --branch and --commit");
        m.verdict.note = fmt::format("No runs of branch {} of project {} on testbed {} yet.",
                                     r.branch, r.project, r.testbed);
        return m;
    }

    detect::CheckRequest check;
    check.project = r.project;
    check.testbed = r.testbed;
    check.branch = r.branch;
    check.commit = r.commit.empty() ? m.commits.back().commit : r.commit;
    check.baseline_branch = r.baseline_branch;
    check.base_commit = r.base_commit;
    check.base_commit_time_us = r.base_commit_time_us;
    auto result = detect::run_check(reader, check, r.settings);
    if (!result) return tl::unexpected(result.error());

    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m.series.size(); ++i) {
        const auto& s = m.series[i];
        index.emplace(s.id.key(), i);
    }
    for (const auto& v : result->results) {
        auto it = index.find(v.series.key());
        if (it != index.end()) m.series[it->second].verdict = verdict_of(v, result->pull_request);
    }
    m.verdict.evaluated = true;
    m.verdict.candidate_commit = result->commit;
    if (result->pull_request) {
        m.verdict.baseline = fmt::format(
            "{} as of {}", result->baseline_branch,
            result->baseline_commit ? core::short_sha(*result->baseline_commit) : "the merge-base");
    } else {
        m.verdict.baseline =
            fmt::format("up to the last {} commits of {} before it, since the last change",
                        r.settings.baseline_runs, result->baseline_branch);
    }
    m.verdict.note = fmt::format(
        "A change is flagged when it is at least {:g}% and significant after correcting for the "
        "{} series checked (false discovery rate {:g}).",
        r.settings.defaults.min_change * 100, result->results.size(), r.settings.alpha);
    for (const auto& note : result->notes) m.notes.push_back(note);

    std::optional<std::uint32_t> until;
    if (const auto position = timeline.position_of(check.commit))
        until = static_cast<std::uint32_t>(*position);
    m.comparisons = build_comparisons(m.series, until);

    if (r.variants) {
        const auto where =
            fmt::format("project {}, testbed {}, branch {}", r.project, r.testbed, r.branch);
        auto at = compare::measurements_at_commit(history, result->commit, where);
        if (!at) return tl::unexpected(at.error());
        const auto runs = static_cast<std::size_t>(
            std::count_if(history.runs.begin(), history.runs.end(),
                          [&](const store::RunInfo& run) { return run.commit == at->commit; }));
        const auto failures = reader.load_failures(
            {r.project, r.testbed, r.branch, std::nullopt, std::nullopt}, at->commit);
        auto variants = build_variants(at->measurements, failures, *r.variants, at->commit, runs);
        if (!variants) return tl::unexpected(variants.error());
        m.variants = std::move(*variants);
    }
    return m;
}

AlertsSection alerts_section(const std::vector<store::Alert>& alerts, const ReportModel& m,
                             const ReportRequest& r) {
    AlertsSection out;
    out.tracked = true;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m.series.size(); ++i) {
        const auto& s = m.series[i];
        index.emplace(s.id.key(), i);
    }
    std::unordered_map<std::string_view, const CommitRef*> commits;
    for (const auto& c : m.commits) commits.emplace(c.commit, &c);

    const std::int64_t resolved_since = r.generated_at_us - r.resolved_alerts_window_us;
    std::vector<AlertItem> active, resolved;
    for (const auto& a : alerts) {
        if (!a.active() && (!a.resolved_at_us || *a.resolved_at_us < resolved_since)) continue;
        AlertItem item;
        item.id = a.id;
        item.state = a.status == store::AlertStatus::open           ? AlertState::open
                     : a.status == store::AlertStatus::acknowledged ? AlertState::acknowledged
                                                                    : AlertState::resolved;
        item.source = std::string(store::to_string(a.source));
        item.series = a.series;
        if (auto it = index.find(a.series.key()); it != index.end()) item.series_index = it->second;
        item.commit = a.commit;
        if (auto it = commits.find(a.commit); it != commits.end())
            item.commit_subject = it->second->subject;
        item.change = finite(a.change_pct / 100.0);
        item.opened_at_us = a.opened_at_us;
        item.resolved_at_us = a.resolved_at_us;
        (a.active() ? active : resolved).push_back(std::move(item));
    }
    auto newest_first = [](std::vector<AlertItem>& items, auto when) {
        std::stable_sort(items.begin(), items.end(), [&](const AlertItem& x, const AlertItem& y) {
            return std::pair(when(x), x.id) > std::pair(when(y), y.id);
        });
    };
    newest_first(active, [](const AlertItem& a) { return a.opened_at_us; });
    newest_first(resolved, [](const AlertItem& a) { return a.resolved_at_us.value_or(0); });
    out.items = std::move(active);
    for (auto& item : resolved) out.items.push_back(std::move(item));
    out.note = fmt::format(
        "Open and acknowledged alerts of branch {} on testbed {}, and those resolved in the "
        "{} days before this report.",
        r.branch, r.testbed, r.resolved_alerts_window_us / (24LL * 3600 * 1'000'000));
    return out;
}

core::Result<ReportModel> build_report(store::HistoryReader& reader, store::AlertStore* alerts,
                                       const ReportRequest& r) {
    const store::HistoryQuery key{r.project, r.testbed, r.branch, std::nullopt, std::nullopt};
    const auto history = reader.load_history(key);
    CachedHistoryReader cached(history, key, reader);
    auto model = build_report_from(history, cached, r);
    if (model && alerts != nullptr) {
        store::AlertQuery query;
        query.project = r.project;
        query.testbed = r.testbed;
        query.branch = r.branch;
        model->alerts = alerts_section(alerts->list_alerts(query), *model, r);
    }
    return model;
}

}  // namespace perftrack::reports::render
