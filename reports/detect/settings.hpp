#pragma once
// What the detector is told: the thresholds a user tunes (flags now, perftrack.toml later) and
// the fixed design constants of the online check, each with the reason for its value.

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "reports/detect/rerun_decision.hpp"

namespace perftrack::reports::detect {

// Thresholds that may differ per metric (config overrides; see thresholds_for).
struct MetricThresholds {
    // Smallest relative change worth a flag (0.02 = 2 %), on top of significance.
    double min_change = 0.02;
    // For metrics whose baseline never varies (instruction counts, allocations, binary size):
    // the relative change tolerated before a flag (0 = any change flags).
    double exact_tolerance = 0.0;
};

// Optional per-metric values; unset fields keep the defaults.
struct MetricOverride {
    std::optional<double> min_change;
    std::optional<double> exact_tolerance;
};

struct DetectionSettings {
    // False discovery rate across every series of one check (Benjamini-Hochberg). Also the
    // per-series level at which the detector believes a step and restarts its baseline.
    double alpha = 0.01;
    // Baseline: at most this many of the newest runs (commits) since the last change.
    std::size_t baseline_runs = 30;
    MetricThresholds defaults;
    std::map<std::string, MetricOverride> per_metric;  // key: metric name

    // On the baseline branch a step must be confirmed by runs of up to this many consecutive
    // commits (the candidate and the one or two before it). A one-commit spike looks exactly
    // like a step at its commit; requiring a second shifted run, and that the shift survives
    // dropping the most extreme run, is what separates them (cost: a flag one commit late).
    std::size_t confirm_commits = 3;
    // A step too small to be confirmed within confirm_commits shows up later as a split of the
    // current level into two parts. The baseline then restarts at the split silently: too late
    // for a useful CI flag, but a baseline that mixes two levels would raise false flags later.
    // `report` shows such steps as change points. Level of that test (Bonferroni over the
    // candidate splits; strict, since nobody looks at it).
    double late_alpha = 0.001;

    // Pull requests (rerun_decision.hpp): a first run that looks worse at this two-sided level,
    // by at least the minimum change, is worth re-running. Looser than alpha, so that steps a
    // single run shows only weakly still get re-runs to decide them, at a small cost: about
    // screen_alpha / 2 of unchanged series get a re-run or two, which almost always clear them.
    double rerun_screen_alpha = 0.1;
    // The rule that decides with the re-runs: sequential in the product; `fixed` (with
    // fixed_reruns) only for the measured comparison (bench/detect_pr_replay).
    RerunRule rerun_rule = RerunRule::sequential;
    std::size_t fixed_reruns = 2;
    // Wider screening (RerunPolicy::hidden_step, hide_z; 0 turns it off): a first run at least
    // 5 % worse than the machine mode nearest it is re-run even when the series is too noisy
    // for that to pass the screen, and its re-runs are weighed against a 5 % step (the lower
    // edge of the steps users care about). Measured in docs/detection.md: one re-run in
    // twenty more per check on the dev set, for steps that were missed without it.
    double rerun_hidden_step = 0.05;
    double rerun_hide_z = 0;
};

MetricThresholds thresholds_for(const DetectionSettings& settings, const std::string& metric);

// Checks ranges; returns a message naming the bad value, or empty.
std::string settings_problem(const DetectionSettings& settings);

}  // namespace perftrack::reports::detect
