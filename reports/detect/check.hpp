#pragma once
// perftrack check: the verdict for every benchmark x metric of one commit's runs.
//
// On the baseline branch the commit is judged by the same replay as backtest (replay.hpp), so
// a step may be confirmed a commit or two after it began, and the verdict says where it began.
// On any other branch (a pull request) the commit's runs are judged against the baseline
// branch as it was at the merge-base, so newer changes on the baseline branch do not leak in;
// there are no later commits to confirm with, so a single run decides (re-runs of the commit,
// `perftrack run --confirm N`, are all used and must agree after dropping the most extreme).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "reports/detect/regressing_steps.hpp"
#include "reports/detect/settings.hpp"
#include "reports/detect/verdict.hpp"
#include "store/store.hpp"

namespace perftrack::reports::detect {

struct CheckRequest {
    std::string project;
    std::string testbed;
    std::string branch;  // the candidate's branch
    std::string commit;  // the candidate commit (its runs must be stored)
    std::string baseline_branch = "main";
    // Pull requests: the merge-base with the baseline branch, and its commit time when known
    // (from git); used when the merge-base itself has no runs on the baseline branch.
    std::optional<std::string> base_commit;
    std::optional<std::int64_t> base_commit_time_us;
    // On the baseline branch: also locate the regressing steps (regressing_steps.hpp) over the
    // newest k_change_point_window_runs runs up to the commit, cut from the runs the check has
    // read rather than read again (CheckResult::regressing_steps).
    bool change_points = false;
};

struct SeriesVerdict {
    core::SeriesId series;
    Status status = Status::insufficient_data;
    // Relative change of the metric (+0.1 = 10 % larger) and its 95 % interval; NaN when not
    // tested or when the baseline level is 0.
    double change = std::numeric_limits<double>::quiet_NaN();
    double ci_low = std::numeric_limits<double>::quiet_NaN();
    double ci_high = std::numeric_limits<double>::quiet_NaN();
    double p_value = std::numeric_limits<double>::quiet_NaN();
    double q_value = std::numeric_limits<double>::quiet_NaN();
    std::optional<std::string> since;  // a flagged step: the commit it began at
    std::size_t baseline_commits = 0;  // values in the baseline model
    std::size_t level_commits = 0;     // of them, commits since the last change
    double baseline_median = std::numeric_limits<double>::quiet_NaN();  // metric units
    std::optional<std::string> baseline_from;  // first and last commit of the current level
    std::optional<std::string> baseline_to;
    std::size_t candidate_runs = 0;  // runs of the commit stored
    double candidate_median = std::numeric_limits<double>::quiet_NaN();  // of the runs used
    // The two values `change` compares (metric units): change == candidate / baseline - 1.
    double baseline_value = std::numeric_limits<double>::quiet_NaN();
    double candidate_value = std::numeric_limits<double>::quiet_NaN();
    // A pull request: how many of the commit's runs the verdict used, how its re-runs decided
    // (rerun_decision.hpp), and the change the re-runs alone show (NaN without re-runs).
    std::size_t runs_used = 0;
    RerunStage rerun_stage = RerunStage::single_run;
    double rerun_change = std::numeric_limits<double>::quiet_NaN();
    bool pending = false;  // one shifted run on the baseline branch: the next commit decides
    bool exact = false;    // compared exactly (the baseline never varied)
    std::string note;      // a sentence for people, empty when there is nothing to add
};

struct CheckResult {
    std::string project, testbed, branch, commit, baseline_branch;
    bool pull_request = false;
    std::optional<std::string> baseline_commit;  // the newest baseline commit compared with
    double alpha = 0;
    MetricThresholds thresholds;         // the defaults (per-metric overrides may differ)
    std::vector<SeriesVerdict> results;  // in history order (suite, benchmark, params, metric)
    std::vector<std::string> notes;
    // With CheckRequest::change_points on the baseline branch: regressing_steps() over the
    // newest k_change_point_window_runs runs up to the commit, exactly what it gives over a read
    // of those runs. Empty (nullopt) when the check's window does not hold them all (a commit
    // whose runs have different commit times); the caller then reads them itself.
    std::optional<std::vector<RegressingStep>> regressing_steps;

    std::size_t count(Status status) const;
    bool has_regression() const { return count(Status::regression) > 0; }
};

// How many times `perftrack run --check` re-runs what looks regressed when --confirm is not
// given: on a pull request up to this many, one at a time, until the re-runs decide (measured
// in docs/detection.md: about 0.2 re-runs per series checked); on the baseline branch none (the
// next commits confirm a step there).
inline constexpr int k_default_pull_request_reruns = 5;

// The series whose benchmarks `perftrack run --check` should run again before the verdict is
// final. On a pull request: those whose first run looks regressed and whose re-runs have not
// decided yet (rerun_decision.hpp). On the baseline branch: those flagged as a regression or
// pending in the worse direction.
std::vector<const SeriesVerdict*> series_to_rerun(const CheckResult& result);

// A pull request's runs for people: how many the verdict used and what the re-runs did
// ("3, re-runs confirm", "2, re-run clears", "1, no re-run", "6, undecided", "1").
std::string runs_summary(const SeriesVerdict& verdict);

// The newest commit with runs on project x testbed x branch: the last commit of the branch's
// timeline, the commit `report` gives its verdict for when no --commit is given (and `check`
// checks when it has no commit from a flag, CI or git). Nothing when the branch has no runs.
// Reads the run list only, not the samples.
std::optional<std::string> newest_commit(store::HistoryReader& reader, const std::string& project,
                                         const std::string& testbed, const std::string& branch);

// Loads what the check needs through `reader` and judges the commit. Errors (input): the commit
// has no runs on the branch for this project and testbed. StoreError propagates.
core::Result<CheckResult> run_check(store::HistoryReader& reader, const CheckRequest& request,
                                    const DetectionSettings& settings);

}  // namespace perftrack::reports::detect
