#pragma once
// The online check of one series, replayed commit by commit: at each commit, is the metric
// different from its baseline, and has a step been confirmed?
//
// Scale: the log of the metric when every value in the window is positive (a slowdown is a
// ratio, and run-to-run noise is roughly proportional to the level), else the value itself;
// multiplied by -1 for higher-is-better metrics, so that "larger" always means "worse".
//
// Per commit (docs/detection.md explains the method and how well it works):
//  1. Baseline: the last N commits since the last change (step found by this detector, or a
//     baseline reset), one value per commit (the mean of its runs). Right after a step only a
//     few commits measured the new level: the level comes from them, and the shape of the
//     noise is borrowed from the commits before the step, shifted onto the new level.
//  2. Each candidate run gets its predictive tail under the BaselineModel (between-run
//     variance is what the model describes: it is fitted to one value per run).
//  3. Groups of runs -- this commit's runs, and this commit with the one or two before it --
//     are combined (Stouffer's z, corrected for the correlation through the shared level
//     estimate and, for autocorrelated runs, between neighbouring commits). A step is
//     confirmed when a group of at least two runs is significant both as a whole and after
//     dropping its most extreme run, every kept run leans the same way on its own (one or two
//     spikes cannot do that), and the change is at least the minimum change. A single run can
//     only make the commit "pending". Confirming needs a baseline that has seen the noise: 10
//     commits on a fresh series, 5 of the new level after a step.
//  4. After a confirmed step the baseline restarts at the step's first commit. A step too
//     small to confirm within the window shows later as a significant split of the current
//     level (t-test, Bonferroni over the splits); the baseline then restarts there silently.
// Deterministic metrics (every baseline value identical) are compared exactly instead, and
// flag at once.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "core/model.hpp"
#include "reports/detect/baseline_model.hpp"
#include "reports/detect/rerun_decision.hpp"
#include "reports/detect/series_data.hpp"
#include "reports/detect/settings.hpp"

namespace perftrack::reports::detect {

enum class Scale { log, linear };

// A test of some runs against the baseline.
struct GroupTest {
    int sign = 0;                 // +1: worse than the baseline, -1: better, 0: no difference
    std::size_t first_point = 0;  // first commit of the group (index into the points)
    std::size_t since_point = 0;  // first commit of the group that is itself shifted
    std::size_t runs = 0;
    // Two-sided p-value of the runs without the most extreme one (the whole group when it
    // has one run): conservative, and what a flag is decided on.
    double p_value = 1;
    double p_group = 1;  // two-sided, every run of the group
    // Relative change of the metric in its own direction (+0.10 = the value is 10 % larger),
    // with a 95 % interval; NaN when the baseline level is 0 (no relative change exists).
    double change = 0;
    double ci_low = 0;
    double ci_high = 0;
    // The two values the change compares, in metric units: the baseline's centre (of the mode
    // the runs are measured from) and the runs' mean, both back from the detection scale, so
    // change == candidate_value / baseline_value - 1 (NaN when unknown).
    double baseline_value = std::numeric_limits<double>::quiet_NaN();
    double candidate_value = std::numeric_limits<double>::quiet_NaN();
    bool exact = false;  // compared exactly (deterministic metric)
};

enum class AssessmentKind { new_series, insufficient_data, tested };

struct Assessment {
    AssessmentKind kind = AssessmentKind::insufficient_data;
    std::size_t point = 0;  // index into the points of the candidate commit
    // The baseline the candidate was compared with.
    std::size_t baseline_commits = 0;  // values in the model (current level + borrowed)
    std::size_t level_commits = 0;     // commits since the last change
    std::optional<std::size_t> baseline_first_point;  // of the current level
    std::optional<std::size_t> baseline_last_point;
    double baseline_median = std::numeric_limits<double>::quiet_NaN();   // metric units
    double candidate_median = std::numeric_limits<double>::quiet_NaN();  // metric units
    std::size_t candidate_runs = 0;
    GroupTest current;              // this commit's runs alone
    std::optional<GroupTest> step;  // a step confirmed at this commit (may be flagged)
    bool pending = false;           // one shifted run: the next commit decides
    bool silent_restart = false;    // the level split in two: restarted without a flag
    bool exact = false;
    // A pull request's commit (assess_candidate): how its runs decided (rerun_decision.hpp),
    // how many of them the decision used, and the change the re-runs alone show.
    RerunStage rerun_stage = RerunStage::single_run;
    std::size_t runs_used = 0;
    double first_change = std::numeric_limits<double>::quiet_NaN();  // the first run alone
    // The baseline branch's own newest run (the merge-base's) was already shifted the same way,
    // unconfirmed there, and this commit's first run is no worse than it: not caused here.
    bool matches_base_shift = false;
    double rerun_change = std::numeric_limits<double>::quiet_NaN();
};

// Where a replay stands between two steps: all the state a step carries to the next (the
// baseline caches are pure functions of it and the points). Indices into the points.
struct ReplayPoint {
    std::size_t segment = 0;              // first point of the current level
    std::optional<std::size_t> previous;  // first point of the level before it
    std::size_t next = 0;                 // next point to step
};

class OnlineDetector {
  public:
    OnlineDetector(std::span<const SeriesPoint> points, core::Direction direction,
                   const DetectionSettings& settings, const MetricThresholds& thresholds);

    // Assesses point i (call for i = 0, 1, ... in order) and updates the baseline state.
    Assessment step(std::size_t i);
    // A baseline reset before point i: the baseline starts again at i, nothing borrowed.
    void reset_at(std::size_t i);
    // Assesses runs that are not part of the history (a pull request's commit) against the
    // state after the last stepped point, without changing it. With one run there is nothing
    // to confirm with: `step` is set when that run alone passes.
    Assessment assess_candidate(std::span<const double> runs) const;
    // Whether `runs` (metric units) are explained by point i's own runs: not worse than them at
    // the one-sided level alpha, with the run-to-run scale of the current baseline.
    bool matches_point(std::size_t i, std::span<const double> runs) const;

    Scale scale() const { return m_scale; }
    // The state between steps, and continuing from one: stepping on from resume(p) gives what
    // stepping on from the replay that reached p gives, over the same points and scale
    // (replay_state.hpp keeps it between checks).
    ReplayPoint replay_point() const { return {m_segment, m_previous, m_next}; }
    void resume(const ReplayPoint& at);
    // Whether assessments carry the baseline median (a sort per commit; backtest needs none).
    void set_baseline_medians(bool on) { m_baseline_medians = on; }

  private:
    struct Baseline {
        std::optional<BaselineModel> model;
        std::size_t level_first = 0, level_end = 0;  // points [first, end) of the current level
        std::size_t borrowed = 0;
        // model->z(y, sign), remembered: a step tests each run against the baseline of every
        // confirmation window that holds it, so the same (run, baseline) pair recurs at up to
        // confirm_commits consecutive steps. A pure function of the model, keyed by the exact
        // bits of y: the same values as computing it again. Dies with the cached baseline.
        double z(double y, int sign) const;
        mutable std::vector<std::tuple<std::uint64_t, int, double>> z_memo;
    };
    Baseline baseline_before(std::size_t s) const;
    const Baseline& cached_baseline(std::size_t s);
    std::optional<GroupTest> test_group(const Baseline& b, std::span<const double> xs,
                                        std::span<const std::size_t> point_of_run,
                                        std::size_t first_point, int sign) const;
    GroupTest describe(const Baseline& b, std::span<const double> xs,
                       std::size_t first_point) const;
    std::optional<GroupTest> exact_test(const Baseline& b, std::span<const double> raw_runs,
                                        std::size_t first_point) const;
    bool passes(const GroupTest& g, double alpha) const;
    bool can_confirm(const Baseline& b) const;
    // A significant split of the current level before point `end`: the point it starts at.
    std::optional<std::size_t> level_split(std::size_t end, const BaselineModel& model) const;
    void fill_baseline_info(Assessment& a, const Baseline& b) const;
    double to_change(double effect) const;
    double to_metric(double x) const;  // a detection-scale value in metric units
    // change, ci_low, ci_high, baseline_value and candidate_value of `g` from the difference
    // `effect` between the runs and `centre`, with standard error `se` and `df` degrees of freedom.
    void set_change(GroupTest& g, double effect, double se, double df, double centre) const;
    void restart(std::size_t since);

    std::span<const SeriesPoint> m_points;
    const DetectionSettings& m_settings;
    MetricThresholds m_thresholds;
    Scale m_scale = Scale::log;
    double m_orient = 1.0;
    std::vector<std::vector<double>> m_x;   // detection-scale value of each run, per point
    std::vector<double> m_point_x;          // mean of a point's runs
    std::size_t m_segment = 0;              // first point of the current level
    std::optional<std::size_t> m_previous;  // first point of the level before it (shape)
    std::size_t m_next = 0;                 // next point to step
    bool m_baseline_medians = true;
    std::vector<std::optional<Baseline>> m_cache;  // baseline_before(s), valid for this state
};

}  // namespace perftrack::reports::detect
