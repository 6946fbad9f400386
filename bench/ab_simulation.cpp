// A/B mode against the regular pull-request check on simulated shared CI runners: false alarms
// and the smallest difference each catches, through the same functions the CLI calls
// (reports::ab::compare_ab for `run --ab --check`, the rerun decision of `run --check`).
//
//   build/bench/perftrack_ab_simulation [TRIALS [ROUNDS]]   (default 2000 per difference, 10)
//
// The machine model, per scenario (all on the log scale, so "5 %" is a standard deviation of
// about 5 % of the value):
//   job    every CI job lands on a machine in its own state (a busy neighbour, another host of
//          the pool, thermal state): shared by everything that job measures;
//   round  within one job the state drifts a little from one round (or run) to the next;
//   meas   each measurement's own noise, plus rare outliers (x1.5..x3) in the noisy scenario.
// A/B: one job, R rounds in ABBA order; in round k the baseline and the candidate binary run
// seconds apart, so they share the job and the round state; the candidate is (1 + d) slower.
// Regular PR check: main's 30 runs each came from their own job; the pull request's job makes
// the first run and its re-runs (at most 5, sequential), which share that job's state.
// Printed per scenario: false alarms per 1,000 comparisons at d = 0, the share caught at each d,
// the smallest d caught in at least 95 % (and 80 %) of comparisons, and the PR check's re-runs.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "reports/ab/ab_comparison.hpp"
#include "reports/detect/baseline_model.hpp"
#include "reports/detect/rerun_decision.hpp"
#include "reports/detect/settings.hpp"

using namespace perftrack;

namespace {

struct Scenario {
    const char* name;
    double job, round, meas;
    double outlier_rate;  // per measurement
};

int g_rounds = 10;  // A/B rounds (the second argument)
constexpr int k_baseline_runs = 30;
constexpr int k_max_reruns = 5;
constexpr int k_reps = 10;  // repetitions of a regular run (its value is their mean)

class Rng {
  public:
    explicit Rng(std::uint64_t seed) : m_gen(seed) {}
    double normal() {
        const double u1 = (static_cast<double>(m_gen() >> 11) + 0.5) / 9007199254740992.0;
        const double u2 = (static_cast<double>(m_gen() >> 11) + 0.5) / 9007199254740992.0;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    double uniform() { return (static_cast<double>(m_gen() >> 11) + 0.5) / 9007199254740992.0; }

  private:
    std::mt19937_64 m_gen;
};

// One measurement at log-level `state` (job + round already added).
double measure(Rng& rng, const Scenario& s, double state) {
    double v = std::exp(state + s.meas * rng.normal());
    if (s.outlier_rate > 0 && rng.uniform() < s.outlier_rate) v *= 1.5 + 1.5 * rng.uniform();
    return 100.0 * v;
}

// A/B: is the candidate flagged as a regression?
bool ab_flags(Rng& rng, const Scenario& s, double d) {
    const double job = s.job * rng.normal();
    core::Measurement a, b;
    a.series.benchmark = b.series.benchmark = "BM_x";
    a.series.metric = b.series.metric = "real_time";
    a.series.unit = b.series.unit = "ns";
    a.series.params = {{reports::ab::k_side_param, reports::ab::k_baseline}};
    b.series.params = {{reports::ab::k_side_param, reports::ab::k_candidate}};
    for (int k = 0; k < g_rounds; ++k) {
        const double state = job + s.round * rng.normal();
        a.samples.push_back(measure(rng, s, state));
        b.samples.push_back(measure(rng, s, state + std::log1p(d)));
    }
    reports::ab::AbSettings settings;  // as `run --ab --check` sets them from the check's
    const reports::detect::DetectionSettings detection;
    settings.alpha = detection.alpha;
    settings.min_change_pct = 100.0 * detection.defaults.min_change;
    settings.resamples = 200;  // the interval is not part of the verdict
    const auto report = reports::ab::compare_ab({a, b}, settings);
    return report && report->count(reports::ab::AbStatus::regression) == 1;
}

// One regular run's value on the detection scale (log of the mean of its repetitions).
double run_value(Rng& rng, const Scenario& s, double job_state) {
    const double state = job_state + s.round * rng.normal();
    double sum = 0.0;
    for (int r = 0; r < k_reps; ++r) sum += measure(rng, s, state);
    return std::log(sum / k_reps);
}

struct PrOutcome {
    bool flagged = false;
    int reruns = 0;
};

// The regular PR check with sequential re-runs.
PrOutcome pr_flags(Rng& rng, const Scenario& s, double d) {
    std::vector<double> base;
    for (int j = 0; j < k_baseline_runs; ++j)
        base.push_back(run_value(rng, s, s.job * rng.normal()));
    const auto model = reports::detect::BaselineModel::fit(base, base.size());
    const double job = s.job * rng.normal() + std::log1p(d);
    const reports::detect::DetectionSettings detection;
    reports::detect::RerunPolicy policy;
    policy.alpha = detection.alpha;
    policy.screen_alpha = detection.rerun_screen_alpha;
    policy.min_change = detection.defaults.min_change;
    std::vector<double> runs = {run_value(rng, s, job)};
    PrOutcome out;
    for (;;) {
        const auto decision = reports::detect::decide_commit_runs(*model, runs, policy, {});
        if (!reports::detect::wants_rerun(decision.stage) || out.reruns == k_max_reruns) {
            out.flagged = decision.passes && decision.sign > 0;
            return out;
        }
        runs.push_back(run_value(rng, s, job));
        ++out.reruns;
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int trials = argc > 1 ? std::atoi(argv[1]) : 2000;
    if (argc > 2) g_rounds = std::atoi(argv[2]);
    const std::vector<Scenario> scenarios = {
        {"quiet dedicated machine", 0.005, 0.002, 0.005, 0.0},
        {"shared runner", 0.05, 0.01, 0.01, 0.0},
        {"noisy shared runner", 0.10, 0.02, 0.02, 0.02},
    };
    const std::vector<double> differences = {0.0,  0.01, 0.02, 0.03, 0.04, 0.05,
                                             0.07, 0.10, 0.15, 0.20, 0.30};
    std::printf(
        "%d comparisons per difference; A/B: %d rounds; PR check: %d baseline runs, at "
        "most %d re-runs\n",
        trials, g_rounds, k_baseline_runs, k_max_reruns);
    for (const auto& s : scenarios) {
        std::printf("\n%s (job %.1f %%, round %.1f %%, measurement %.1f %%%s)\n", s.name,
                    100 * s.job, 100 * s.round, 100 * s.meas,
                    s.outlier_rate > 0 ? ", 2 % outliers" : "");
        std::printf("%8s %10s %10s %14s\n", "diff", "A/B", "PR check", "PR re-runs");
        double ab95 = -1, ab80 = -1, pr95 = -1, pr80 = -1;
        for (double d : differences) {
            // Separate streams, so the PR figures do not depend on the number of A/B rounds.
            Rng ab_rng(12345 + static_cast<std::uint64_t>(1000 * d));
            Rng pr_rng(54321 + static_cast<std::uint64_t>(1000 * d));
            int ab = 0, pr = 0, reruns = 0;
            for (int t = 0; t < trials; ++t) {
                ab += ab_flags(ab_rng, s, d) ? 1 : 0;
                const auto o = pr_flags(pr_rng, s, d);
                pr += o.flagged ? 1 : 0;
                reruns += o.reruns;
            }
            const double fa = static_cast<double>(ab) / trials,
                         fp = static_cast<double>(pr) / trials;
            if (d == 0.0) {
                std::printf("%7.1f%% %7.1f/1k %7.1f/1k %14.2f\n", 100 * d, 1000 * fa, 1000 * fp,
                            static_cast<double>(reruns) / trials);
                continue;
            }
            std::printf("%7.1f%% %9.1f%% %9.1f%% %14.2f\n", 100 * d, 100 * fa, 100 * fp,
                        static_cast<double>(reruns) / trials);
            if (ab95 < 0 && fa >= 0.95) ab95 = d;
            if (ab80 < 0 && fa >= 0.80) ab80 = d;
            if (pr95 < 0 && fp >= 0.95) pr95 = d;
            if (pr80 < 0 && fp >= 0.80) pr80 = d;
        }
        auto pct = [](double d) {
            return d < 0 ? std::string("> 30 %")
                         : std::to_string(static_cast<int>(std::lround(100 * d))) + " %";
        };
        std::printf(
            "smallest difference caught 95 %% / 80 %% of the time: A/B %s / %s, PR check "
            "%s / %s\n",
            pct(ab95).c_str(), pct(ab80).c_str(), pct(pr95).c_str(), pct(pr80).c_str());
    }
    return 0;
}
