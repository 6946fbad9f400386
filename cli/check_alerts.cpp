#include "cli/check_alerts.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "cli/output.hpp"
#include "core/redact.hpp"
#include "reports/detect/changepoints.hpp"
#include "reports/detect/parallel.hpp"
#include "reports/detect/series_data.hpp"
#include "reports/output/check_output.hpp"
#include "reports/stats/fdr.hpp"

namespace perftrack::cli {

namespace {

std::optional<double> finite(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<double> percent(double fraction) {
    if (!std::isfinite(fraction)) return std::nullopt;
    return fraction * 100.0;
}

// The median of the mean run values of points [begin, end).
std::optional<double> level(const std::vector<reports::detect::SeriesPoint>& points,
                            std::size_t begin, std::size_t end) {
    std::vector<double> values;
    for (std::size_t i = begin; i < end && i < points.size(); ++i) {
        double sum = 0;
        for (const double r : points[i].runs) sum += r;
        values.push_back(sum / static_cast<double>(points[i].runs.size()));
    }
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

std::vector<alerts::NoticeVerdict> alert_verdicts(const reports::detect::CheckResult& result) {
    std::vector<alerts::NoticeVerdict> out;
    out.reserve(result.results.size());
    for (const auto& r : result.results) {
        alerts::NoticeVerdict v;
        v.series = r.series;
        v.status = std::string(reports::detect::to_string(r.status));
        v.change_pct = percent(r.change);
        v.ci_low_pct = percent(r.ci_low);
        v.ci_high_pct = percent(r.ci_high);
        v.p_value = finite(r.p_value);
        v.q_value = finite(r.q_value);
        v.baseline_median = finite(r.baseline_median);
        v.candidate_median = finite(r.candidate_median);
        v.since_commit = r.since.value_or("");
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<alerts::ChangePointFinding> regressing_change_points(
    const store::History& history, double alpha, double min_change) {
    std::vector<alerts::ChangePointFinding> candidates;
    // One p-value per analysed series (1 where it has no regressing step), so the correction
    // counts every series that could have raised an alert, not only those that did.
    std::vector<double> p_values(history.series.size(), 1.0);
    std::vector<std::size_t> candidate_series;
    const auto timeline = reports::detect::build_timeline(history);
    // The segmentation of each series is independent: over the machine's cores, first.
    std::vector<std::vector<reports::detect::SeriesPoint>> points_of(history.series.size());
    std::vector<std::vector<reports::detect::ChangePoint>> found(history.series.size());
    reports::detect::parallel_for(history.series.size(), [&](std::size_t s) {
        points_of[s] = reports::detect::series_points(history.series[s], timeline);
        found[s] = reports::detect::find_change_points(points_of[s]);
    });
    for (std::size_t s = 0; s < history.series.size(); ++s) {
        const auto& series = history.series[s];
        const auto& points = points_of[s];
        const auto& change_points = found[s];
        if (change_points.empty()) continue;
        const auto& last = change_points.back();
        if (!std::isfinite(last.change) || !core::is_worse(series.id.direction, last.change) ||
            std::abs(last.change) < min_change)
            continue;
        const std::size_t previous =
            change_points.size() > 1 ? change_points[change_points.size() - 2].point : 0;
        const auto& slot = timeline.commits.at(last.position);
        alerts::ChangePointFinding f;
        f.series = series.id;
        f.commit = slot.commit;
        f.commit_time_us = slot.commit_time_us;
        f.change_pct = last.change * 100.0;
        f.p_value = finite(last.p_value);
        f.level_before = level(points, previous, last.point);
        f.level_after = level(points, last.point, points.size());
        // The step's test ran at the position the segmentation chose as the best split out of
        // every position of the series, so its p-value is too small by up to that many
        // chances (Bonferroni over the positions). An exact change point (a deterministic
        // metric moved) has no p-value: certain.
        const double chances = static_cast<double>(points.size());
        p_values[s] = std::clamp(f.p_value.value_or(0.0) * chances, 0.0, 1.0);
        candidate_series.push_back(s);
        candidates.push_back(std::move(f));
    }
    if (candidates.empty()) return candidates;
    // Each change point passed its own test at a small per-series level; across hundreds of
    // series that level alone still lets a few noise steps through on every check. Alerts are
    // announced to people, so they get the check's false discovery rate control as well.
    const auto q_values = reports::stats::benjamini_hochberg(p_values);
    if (!q_values) return candidates;  // p-values are clamped to [0, 1]: cannot happen
    std::vector<alerts::ChangePointFinding> findings;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if ((*q_values)[candidate_series[i]] <= alpha) findings.push_back(std::move(candidates[i]));
    return findings;
}

void after_check(store::Store& store, const alerts::ChannelSettings& settings,
                 const reports::detect::CheckResult& result, const AfterCheckOptions& options) {
    const std::string markdown = reports::output::render_check_markdown(result);
    if (const auto warning = append_step_summary(markdown, alerts::process_environment());
        !warning.empty())
        print_warning(warning);

    AlertStageInput input;
    input.scope = {result.project, result.testbed, result.branch, result.commit};
    input.notice.project = result.project;
    input.notice.testbed = result.testbed;
    input.notice.branch = result.branch;
    input.notice.commit = result.commit;
    input.notice.pull_request = settings.github && settings.github->pull_request
                                    ? settings.github->pull_request
                                    : options.pull_request;
    input.notice.report_url = settings.report_url;
    input.notice.verdicts = alert_verdicts(result);
    input.notice.check_json = reports::output::check_json(result);
    input.notice.markdown = markdown;
    try {
        // The resets of the project and testbed (a history query that asks for no runs reads
        // only them).
        store::HistoryQuery resets_query{result.project, result.testbed, result.branch,
                                         std::nullopt, std::size_t{0}};
        input.resets = store.load_history(resets_query).resets;
        // On the baseline branch, change points over its recent history locate steps the online
        // check confirmed late (or absorbed into its baseline).
        if (!result.pull_request && result.branch == result.baseline_branch) {
            // Only the history up to the checked commit: a check replayed on an older commit
            // must not see later runs.
            std::optional<std::int64_t> until;
            for (const auto& run : store.list_runs(
                     {result.project, result.testbed, result.branch, std::nullopt, std::nullopt}))
                if (run.commit == result.commit) until = run.commit_time_us;
            if (until) {
                store::HistoryQuery window{result.project, result.testbed, result.branch, until,
                                           k_change_point_window_runs};
                input.change_points = regressing_change_points(
                    store.load_history(window), result.alpha, result.thresholds.min_change);
            }
        }
    } catch (const std::exception& e) {
        print_warning(core::redact_secrets(
            fmt::format("baseline resets and change points were not read: {}", e.what()),
            settings.secrets()));
    }
    const auto report = run_alert_stage(store, settings, std::move(input));
    print_alert_stage(report, options.quiet, options.verbose);
}

}  // namespace perftrack::cli
