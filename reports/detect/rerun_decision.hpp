#pragma once
// Deciding a pull request's commit on its own runs: the first run, then re-runs made one at a
// time until the evidence decides (`perftrack run --check` re-runs what looks regressed).
//
// A one-commit spike and a step look identical in one run. What tells them apart is that a
// spike is a property of one run while a step persists in every run of the commit. So:
//  1. The first run is judged against the baseline alone. With no re-runs that is the verdict
//     (regression when its p-value passes alpha and the change is at least the minimum). When
//     it looks worse at the looser screening level (and by at least the minimum change), it is
//     worth re-running: the re-runs decide, and the first run, chosen because it looked bad,
//     is no evidence of its own.
//  2. After each re-run a sequential probability ratio test (Wald 1945) weighs two hypotheses
//     about the re-runs alone:
//       step:  they sit where the first run sat (their level ~ N(first run, sigma^2)),
//       spike: they sit at the baseline (its centre, or one of its recurring modes: re-runs
//              share the first run's machine, so the mode is shared, not drawn per run),
//     through the likelihood ratio of the re-runs' mean under the two (Student t with the
//     baseline's degrees of freedom, each centre with its estimation error). Both are mixtures
//     over the unknown true level, so under "spike" the ratio is a martingale and Ville's
//     inequality bounds P(ratio ever >= 1/alpha) by alpha however many looks are taken: the
//     re-runs may stop as soon as the ratio leaves (beta/(1-alpha), 1/alpha), Wald's bounds.
//     Above: confirmed (a regression when the change of all runs used is at least the minimum
//     change); below: cleared (the first run was a one-off); between: undecided, re-run again.
//  3. The p-value a confirmed series enters the multiple-testing correction with is 1/ratio,
//     the always-valid p-value of the test (Johari et al. 2017); for one run, the first run's.
// `check` replays this over the stored runs in the order they were made and stops where the
// runner stopped, so a later `check` gives the verdict the run gave; runs after the decision
// are listed but not used.
//
// Values are on the detection scale (see online_detector.hpp: oriented so larger is worse).

#include <cstddef>
#include <limits>
#include <span>
#include <string_view>

#include "reports/detect/baseline_model.hpp"

namespace perftrack::reports::detect {

// From a difference on the detection scale to the relative change of the metric in its own
// direction (+0.10 = the value is 10 % larger); NaN when none exists (a zero level).
struct ChangeScale {
    bool log = true;    // the detection scale is the log of the metric
    double orient = 1;  // +1 lower-is-better, -1 higher-is-better
    double change(double effect, double centre) const;
};

enum class RerunStage {
    single_run,  // decided on the first run: it does not look regressed, or there are no re-runs
    wanted,      // the first run looks regressed and no re-run exists yet: re-run to decide
    confirmed,   // the re-runs stay where the first run was: a step
    cleared,     // the re-runs are back at the baseline: the first run was a one-off
    undecided,   // the re-runs so far neither confirm nor clear: another re-run decides
};

// "not_needed", "not_made", "confirmed", "cleared", "undecided" (the JSON contract): single_run
// means the first run did not look regressed (no re-run needed), wanted that it did but no
// re-run was made (--confirm 0: the first run decided).
std::string_view to_string(RerunStage stage);

// How re-runs are judged. `sequential` is the rule described above; `fixed` is the classic
// alternative kept for the measured comparison in docs/detection.md: exactly `fixed_reruns`
// re-runs, stopped early when one of them does not lean the way the first run did (at least one
// standard deviation out), then the re-runs' mean tested at alpha.
enum class RerunRule { sequential, fixed };

struct RerunPolicy {
    double alpha = 0.01;
    // The first run is worth re-running when it looks worse at this two-sided level (and by at
    // least the minimum change); see settings.hpp for the value's reason.
    double screen_alpha = 0.1;
    double min_change = 0.02;
    RerunRule rule = RerunRule::sequential;
    std::size_t fixed_reruns = 2;
    // Wider screening (0 turns it off): a first run that did not pass the screen is still
    // re-run when it lies less than hide_z predictive deviations below where a step of this
    // relative size would put it (a noisy series, where such a step can hide in one run). Its
    // re-runs are then weighed against a step of that size rather than against the first run.
    double hidden_step = 0;
    double hide_z = 0;
};

struct RerunDecision {
    int sign = 0;         // +1 worse than the baseline, -1 better, 0 no difference
    bool passes = false;  // a regression / improvement before the multiple-testing correction
    double p_value = 1;   // two-sided for one run; 1/likelihood ratio after re-runs
    RerunStage stage = RerunStage::single_run;
    std::size_t runs_used = 0;
    // Mean of the runs used minus the reference centre (the baseline component nearest to them
    // on the better side), with the standard error and degrees of freedom of that difference.
    double effect = 0, se = 0, df = 1;
    double reference = 0;
    double first_effect = 0;  // the first run alone, from first_reference
    double first_reference = 0;
    // The re-runs alone (NaN without re-runs).
    double rerun_effect = std::numeric_limits<double>::quiet_NaN();
    double log_ratio = 0;  // log likelihood ratio step : spike after the last re-run used
};

// Decides on `runs` (the commit's runs on the detection scale, in the order they were made;
// at least one) against `model` (not exact).
RerunDecision decide_commit_runs(const BaselineModel& model, std::span<const double> runs,
                                 const RerunPolicy& policy, const ChangeScale& scale);

// Whether the runner should run the series again: its first run looks regressed and the
// re-runs so far have not decided.
inline bool wants_rerun(RerunStage stage) {
    return stage == RerunStage::wanted || stage == RerunStage::undecided;
}

}  // namespace perftrack::reports::detect
