#pragma once
// Everything one report shows, computed before any rendering: the renderers (render_html,
// render_json) are pure functions of this model. Built from the store's History plus the
// detection results (see report_builder.hpp); tests build it in memory.
//
// Units: values are in the series' own unit (as stored; time is usually ns). Changes are
// fractions: +0.12 means the candidate's values are 12 % larger than the baseline's, whatever
// the direction (the status says whether that is good or bad). Times are microseconds since the
// Unix epoch.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/verdict_counts.hpp"
#include "reports/render/variants_model.hpp"

namespace perftrack::reports::render {

enum class VerdictStatus { regression, improvement, unchanged, insufficient_data, new_series };

// "regression", "improvement", "unchanged", "insufficient_data", "new" (the words `check` prints).
std::string_view to_string(VerdictStatus status);

// One commit on the x axis of every chart, in the branch's commit order: the detector's
// timeline (reports/detect/series_data.hpp), where all runs of one commit (re-runs, shards)
// form one position.
struct CommitRef {
    std::string commit;   // sha
    std::string subject;  // first line of the commit message; may be empty
    std::int64_t commit_time_us = 0;
    std::uint32_t runs = 1;  // runs of this commit
    bool partial = false;    // some benchmark of some run of it failed
};

// The baseline a commit was compared against: the medians of the earlier commits of the
// series that the check used (see baseline_band.hpp).
struct BaselineBand {
    double median = 0;
    double low = 0;   // 10th percentile of those commits' medians
    double high = 0;  // 90th percentile
    std::uint32_t commits = 0;
};

// One commit of one series: the median of all its repetitions (of every run of the commit),
// their spread, and the value the detector judges.
struct TrendPoint {
    std::uint32_t position = 0;  // index into ReportModel::commits
    double median = 0;
    double min = 0;
    double max = 0;
    std::uint32_t repetitions = 0;  // finite samples over all runs of the commit
    double value = 0;  // the detector's value: mean over runs of each run's trimmed mean
    std::uint32_t runs = 1;
    std::optional<BaselineBand> baseline;  // none while the baseline is too short
};

// A step found on the branch: from `position` on, the series sits at a new level.
struct ChangePoint {
    std::uint32_t position = 0;  // index into ReportModel::commits: first commit of the new level
    double change = 0;           // fraction, new level vs old
    std::optional<double> p_value;
};

// The check of the candidate run against its baseline, for one series.
struct Verdict {
    VerdictStatus status = VerdictStatus::unchanged;
    std::optional<double> change;  // fraction
    std::optional<double> ci_low;  // confidence interval of `change`, fractions
    std::optional<double> ci_high;
    std::optional<double> p_value;
    std::optional<double> q_value;  // after Benjamini-Hochberg over the whole check
    std::optional<double> baseline_median;
    std::optional<double> candidate_median;
    // A pull request's verdict: how many runs it used and what the re-runs did ("3, re-runs
    // confirm"); empty on the baseline branch.
    std::string runs;
    std::string note;  // e.g. "threshold only: too few runs for a test"
};

struct SeriesReport {
    core::SeriesId id;
    std::vector<TrendPoint> points;  // ascending by run
    std::vector<ChangePoint> change_points;
    std::optional<Verdict> verdict;  // absent when the series was not checked
};

struct VerdictSection {
    bool evaluated = false;        // false: no check ran (nothing to compare yet)
    std::string candidate_commit;  // the commit whose run was checked
    std::string baseline;          // in words: "the last 30 commits of main before it"
    std::string note;              // why nothing was evaluated, or how
};

enum class AlertState { open, acknowledged, resolved };
std::string_view to_string(AlertState state);

struct AlertItem {
    std::int64_t id = 0;  // the store's id (perftrack alerts ack|resolve ID)
    AlertState state = AlertState::open;
    std::string source;  // "check" or "change_point" (what raised it)
    core::SeriesId series;
    std::optional<std::size_t> series_index;  // into ReportModel::series when it is there
    std::string commit;                       // the commit the regression began at
    std::string commit_subject;
    std::optional<double> change;
    std::int64_t opened_at_us = 0;
    std::optional<std::int64_t> resolved_at_us;
};

struct AlertsSection {
    bool tracked = false;          // false: the store keeps no alerts (the section says so)
    std::vector<AlertItem> items;  // open first, then recently resolved
    std::string note;
};

// The latest value of each series of one metric, to compare across params in a pivot table.
struct ComparisonEntry {
    std::size_t series = 0;  // index into ReportModel::series
    double value = 0;        // median of the series' latest commit
    std::uint32_t position = 0;
};

struct ComparisonGroup {
    std::string metric;
    std::string unit;
    core::Direction direction = core::Direction::lower;
    // What the page offers for rows and columns: "benchmark", "suite" (when more than one) and
    // "param:<key>" for every params key, in that order.
    std::vector<std::string> dimensions;
    std::vector<ComparisonEntry> entries;
};

struct ReportHeader {
    std::string project;
    std::string branch;
    std::string testbed;
    std::int64_t generated_at_us = 0;  // injected by the caller; renderers never read the clock
    std::string perftrack_version;
    // "https://github.com/ORG/REPO/commit/{sha}" or empty for no links. Only http(s) templates
    // and site-relative paths (the dashboard's) are ever turned into links.
    std::string commit_url_template;
};

struct ReportModel {
    ReportHeader header;
    std::vector<CommitRef> commits;
    std::vector<SeriesReport> series;  // sorted by suite, benchmark, params, metric
    VerdictSection verdict;
    AlertsSection alerts;
    std::vector<ComparisonGroup> comparisons;
    VariantsSection variants;        // execution variants side by side (--compare-by)
    std::vector<std::string> notes;  // shown at the end of the page ("alerts not tracked", ...)
};

using core::VerdictCounts;
VerdictCounts count_verdicts(const ReportModel& model);

// Indices of the series with a regression or improvement verdict: regressions first, each group
// by decreasing size of the change, ties by series order.
std::vector<std::size_t> flagged_series(const ReportModel& model);

// A path on the same site ("/p/x/report?commit={sha}", the dashboard's own links): starts with
// one '/' that is not followed by '/' or '\\'.
bool site_relative_url(std::string_view url);

// `template_text` with "{sha}" replaced by the percent-encoded sha, or "" when the template is
// empty or neither an http(s) URL nor a site-relative path (a "javascript:" template must never
// become a link).
std::string commit_url(std::string_view template_text, std::string_view sha);

}  // namespace perftrack::reports::render
