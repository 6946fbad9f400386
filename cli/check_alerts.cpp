#include "cli/check_alerts.hpp"

#include <cmath>

#include <fmt/format.h>

#include "alerts/stage.hpp"
#include "cli/alert_options.hpp"
#include "cli/output.hpp"
#include "core/redact.hpp"
#include "reports/output/check_output.hpp"

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

std::vector<alerts::ChangePointFinding> change_point_findings(
    const std::vector<reports::detect::RegressingStep>& steps) {
    std::vector<alerts::ChangePointFinding> out;
    out.reserve(steps.size());
    for (const auto& step : steps) {
        alerts::ChangePointFinding f;
        f.series = step.series;
        f.commit = step.commit;
        f.commit_time_us = step.commit_time_us;
        f.change_pct = step.change * 100.0;
        f.p_value = step.p_value;
        f.level_before = step.level_before;
        f.level_after = step.level_after;
        out.push_back(std::move(f));
    }
    return out;
}

void after_check(store::Store& store, const alerts::ChannelSettings& settings,
                 const reports::detect::CheckResult& result, const AfterCheckOptions& options) {
    const std::string markdown = reports::output::render_check_markdown(result);
    if (const auto warning = alerts::append_step_summary(markdown, alerts::process_environment());
        !warning.empty())
        print_warning(warning);

    alerts::AlertStageInput input;
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
        if (result.regressing_steps) {
            // Located by the check over the runs it had read (CheckRequest::change_points).
            input.change_points = change_point_findings(*result.regressing_steps);
        } else if (!result.pull_request && result.branch == result.baseline_branch) {
            // Only the history up to the checked commit: a check replayed on an older commit
            // must not see later runs.
            std::optional<std::int64_t> until;
            for (const auto& run : store.list_runs(
                     {result.project, result.testbed, result.branch, std::nullopt, std::nullopt}))
                if (run.commit == result.commit) until = run.commit_time_us;
            if (until) {
                store::HistoryQuery window{result.project, result.testbed, result.branch, until,
                                           reports::detect::k_change_point_window_runs};
                input.change_points = change_point_findings(reports::detect::regressing_steps(
                    store.load_history(window), result.alpha, result.thresholds.min_change));
            }
        }
    } catch (const std::exception& e) {
        print_warning(core::redact_secrets(
            fmt::format("baseline resets and change points were not read: {}", e.what()),
            settings.secrets()));
    }
    const auto report = alerts::run_alert_stage(store, settings, std::move(input));
    print_alert_stage(report, options.quiet, options.verbose);
}

}  // namespace perftrack::cli
