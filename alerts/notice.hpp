#pragma once
// What the alert channels are told about one check: where it ran, the verdict of every series,
// the check's JSON (the generic webhook's body) and its Markdown (the pull-request comment).
// Sinks read only this, so they are testable without a database or a detector.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"
#include "core/verdict_counts.hpp"

namespace perftrack::alerts {

// The verdict statuses of `check`, as they appear in its JSON (reports/detect/verdict.hpp).
inline constexpr std::string_view k_status_regression = "regression";
inline constexpr std::string_view k_status_improvement = "improvement";
inline constexpr std::string_view k_status_unchanged = "unchanged";
inline constexpr std::string_view k_status_insufficient_data = "insufficient_data";
inline constexpr std::string_view k_status_new = "new";

// The verdict on one series of a check, as the channels are told it: numbers the check could
// not compute are absent, changes are in percent. (reports::detect::SeriesVerdict is the
// detector's own, fuller verdict; alerts/ does not see the detector.)
struct NoticeVerdict {
    core::SeriesId series;
    std::string status;  // one of the k_status_* values
    // Change of the candidate against the baseline, in percent of the baseline: +12.5 means the
    // value grew by 12.5 % (a regression for a `lower` metric, an improvement for `higher`).
    std::optional<double> change_pct;
    std::optional<double> ci_low_pct;  // 95 % confidence interval of change_pct
    std::optional<double> ci_high_pct;
    std::optional<double> p_value;
    std::optional<double> q_value;           // after Benjamini-Hochberg
    std::optional<double> baseline_median;   // in series.unit
    std::optional<double> candidate_median;  // in series.unit
    std::string since_commit;  // first commit of the step when the check can tell; else ""
};

using core::VerdictCounts;

struct CheckNotice {
    std::string project;
    std::string testbed;
    std::string branch;
    std::string commit;                       // the checked sha
    std::optional<std::string> pull_request;  // PR / MR number when checking one
    std::string report_url;                   // the HTML report or the CI job; may be empty
    std::vector<NoticeVerdict> verdicts;      // every series of the check
    // Regressing steps that change-point analysis of the baseline branch located and the check
    // itself did not flag (it may have absorbed them into its baseline): status regression,
    // since_commit set. They are alerts too, so chat and webhooks hear about them.
    std::vector<NoticeVerdict> located_steps;
    std::size_t new_alerts = 0;  // regressions announced for the first time by this check
    nlohmann::json check_json = nlohmann::json::object();  // what `check --format json` prints
    std::string markdown;  // what `check --format markdown` prints (the PR comment)
};

VerdictCounts count_verdicts(const std::vector<NoticeVerdict>& verdicts);

// "2 regressions, 1 improvement, 40 unchanged, 3 with too little data, 1 new"; zero parts are
// left out; "no series compared" when there is none.
std::string counts_phrase(const VerdictCounts& counts);

// The regressions, largest change first (by |change_pct|; ties by benchmark, then metric).
std::vector<const NoticeVerdict*> regressions_by_size(const std::vector<NoticeVerdict>& verdicts);

}  // namespace perftrack::alerts
