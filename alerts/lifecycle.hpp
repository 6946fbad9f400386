#pragma once
// The alert lifecycle: what a check's verdicts do to the stored alerts.
// - A regression creates the series' alert, or updates the active one (announced once).
// - A series with an active alert that is back at its old level resolves it ("recovered").
// - A baseline reset that declares the change intended resolves the alerts it supersedes.
// The rules are pure functions; apply_check and close_superseded_alerts carry them out through
// the AlertStore interface (PostgreSQL in the product, an in-memory store in unit tests).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerts/notice.hpp"
#include "store/store.hpp"

namespace perftrack::alerts {

// Where a check ran: alerts are kept per project x testbed x branch.
struct CheckScope {
    std::string project;
    std::string testbed;
    std::string branch;
    std::string commit;  // the checked commit
};

struct AlertChanges {
    std::vector<store::Alert> opened;    // created by this check: to be announced
    std::vector<store::Alert> updated;   // active before, still regressed: announced already
    std::vector<store::Alert> resolved;  // back at the old level, or superseded by a reset
};

// True when `current_value` (the series' level now, in the alert's unit) is closer to the level
// before the regression than to the regressed level. Halfway is the point where "still slow,
// a bit noisy" and "fixed, a bit noisy" are equally likely, so noise smaller than half the step
// cannot resolve an alert by chance. False when the alert lacks either level.
bool returned_to_old_level(const store::Alert& alert, double current_value);

// The observation recorded for one regression verdict of a check.
store::AlertObservation observation_from_verdict(const CheckScope& scope, const NoticeVerdict& v);

// Applies one check's verdicts to the alerts of its scope: each regression is recorded
// (created or updated); each other verdict whose candidate median is back at the old level of
// the series' active alert resolves it as recovered. Verdicts without numbers (too little data,
// new series) change nothing. Throws StoreError.
AlertChanges apply_check(store::AlertStore& store, const CheckScope& scope,
                         const std::vector<NoticeVerdict>& verdicts);

// A step that change-point analysis located in the history of a branch: the newest change
// point of one series, with the levels on either side.
struct ChangePointFinding {
    core::SeriesId series;
    std::string commit;               // the first commit at the new level
    std::int64_t commit_time_us = 0;  // that commit's time
    double change_pct = 0;            // + means the value grew
    std::optional<double> p_value;
    std::optional<double> level_before;  // in series.unit
    std::optional<double> level_after;   // in series.unit
};

// Records an alert (source change_point) for each finding that is a regression, unless an
// alert of the series in `scope` already covers it: one that is active (its commit moves to the
// located one; not announced again) or one, even resolved, that began at or after the step
// (a check saw it first, or an earlier analysis recorded it). So re-running the analysis over
// the same history never opens the same alert twice. `scope.commit` is the newest commit of the
// analysed history. Throws StoreError.
AlertChanges apply_change_points(store::AlertStore& store, const CheckScope& scope,
                                 const std::vector<ChangePointFinding>& findings);

// Whether `reset` declares the change of `alert` intended: same series (the glob matches the
// benchmark name, the metric matches or the reset names none) and the alert was already open
// when the reset was recorded. (Commits cannot decide it: a check confirms a step a commit or
// two after the commit a user names in the reset, and a regression that appears after the
// reset is a new change that deserves its own alert.) Globs are shell-style (fnmatch: '*', '?',
// '[...]'; '*' also matches '/').
bool reset_supersedes(const store::BaselineReset& reset, const store::Alert& alert);

// Resolves (as baseline_reset, naming the reset) every active alert of the project, on
// `testbed` or on all testbeds when empty, that one of `resets` supersedes. Returns them.
std::vector<store::Alert> close_superseded_alerts(store::AlertStore& store,
                                                  const std::string& project,
                                                  const std::optional<std::string>& testbed,
                                                  const std::vector<store::BaselineReset>& resets);

}  // namespace perftrack::alerts
