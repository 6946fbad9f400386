#include "reports/detect/rerun_decision.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "reports/stats/distributions.hpp"

namespace perftrack::reports::detect {

namespace {

// Wald's second error: the chance of clearing a step as large as the first run showed. 10 %
// clears a one-off after one or two re-runs (a spike of a few standard deviations leaves the
// re-runs at the baseline, where the ratio falls fast), while a real step that large is kept
// nine times in ten; smaller steps than the first run showed are what the remaining misses are.
constexpr double k_beta = 0.1;
// The fixed rule: a re-run leans the first run's way when it is at least this many standard
// deviations out (the main branch's rule for the runs of a confirming group).
constexpr double k_lean_z = 1.0;
constexpr double k_interval_confidence = 0.95;

// Variance of a component's centre estimate, in units of the run variance.
double centre_variance(const BaselineModel& m, std::size_t c) {
    if (c == 0) return 1.0 / m.level_effective();
    return 1.0 / static_cast<double>(m.components()[c].runs);
}

double log_t_pdf(double t, double df) {
    return std::lgamma((df + 1.0) / 2.0) - std::lgamma(df / 2.0) -
           0.5 * std::log(df * std::numbers::pi) - (df + 1.0) / 2.0 * std::log1p(t * t / df);
}

// P(the mean of r new runs lies at y or beyond, in direction `sign`) when nothing changed: the
// runs share one component (one machine), drawn with the component's weight.
double mixture_tail(const BaselineModel& m, double y, int sign, double r) {
    const auto& comps = m.components();
    double u = 0.0;
    for (std::size_t c = 0; c < comps.size(); ++c) {
        const double s = m.scale() * std::sqrt(1.0 / r + centre_variance(m, c));
        u += comps[c].weight *
             stats::students_t_sf(sign * (y - comps[c].centre) / s, m.degrees_of_freedom());
    }
    return std::min(1.0, u);
}

// log density of the mean of r new runs at y when nothing changed.
double log_mixture_density(const BaselineModel& m, double y, double r) {
    const auto& comps = m.components();
    std::vector<double> terms;
    for (std::size_t c = 0; c < comps.size(); ++c) {
        const double s = m.scale() * std::sqrt(1.0 / r + centre_variance(m, c));
        terms.push_back(std::log(comps[c].weight) +
                        log_t_pdf((y - comps[c].centre) / s, m.degrees_of_freedom()) - std::log(s));
    }
    const double top = *std::max_element(terms.begin(), terms.end());
    double sum = 0.0;
    for (double t : terms) sum += std::exp(t - top);
    return top + std::log(sum);
}

// The component a value in direction `sign` is measured from: the nearest one on the other
// side of it (a run between two machine modes is compared with the better one, so a regression
// is never overstated by measuring it from the faster machine), else the nearest one.
std::size_t reference_component(const BaselineModel& m, double y, int sign) {
    const auto& comps = m.components();
    std::size_t best = comps.size();
    for (std::size_t c = 0; c < comps.size(); ++c) {
        if (sign * (y - comps[c].centre) < 0.0) continue;
        if (best == comps.size() || sign * comps[c].centre > sign * comps[best].centre) best = c;
    }
    if (best != comps.size()) return best;
    best = 0;
    for (std::size_t c = 1; c < comps.size(); ++c)
        if (std::fabs(y - comps[c].centre) < std::fabs(y - comps[best].centre)) best = c;
    return best;
}

// The shift on the detection scale that changes the metric by `change` (relative, worse) at a
// level `centre`; at least one run deviation when the level is 0.
double step_of(double change, double centre, const ChangeScale& scale, double sd) {
    if (scale.log) return std::log1p(change);
    const double level = std::fabs(centre);
    return level > 0.0 ? change * level : sd;
}

std::size_t nearest_component(const BaselineModel& m, double y) {
    const auto& comps = m.components();
    std::size_t best = 0;
    for (std::size_t c = 1; c < comps.size(); ++c)
        if (std::fabs(y - comps[c].centre) < std::fabs(y - comps[best].centre)) best = c;
    return best;
}

double mean_of(std::span<const double> v) {
    double s = 0.0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

}  // namespace

std::string_view to_string(RerunStage stage) {
    switch (stage) {
        case RerunStage::single_run:
            return "not_needed";
        case RerunStage::wanted:
            return "not_made";
        case RerunStage::confirmed:
            return "confirmed";
        case RerunStage::cleared:
            return "cleared";
        case RerunStage::undecided:
            return "undecided";
    }
    return "not_needed";
}

double ChangeScale::change(double effect, double centre) const {
    if (log) return std::expm1(orient * effect);
    const double level = orient * centre;
    if (level == 0.0) return std::numeric_limits<double>::quiet_NaN();
    return orient * effect / std::fabs(level);
}

RerunDecision decide_commit_runs(const BaselineModel& model, std::span<const double> runs,
                                 const RerunPolicy& policy, const ChangeScale& scale) {
    RerunDecision d;
    const double sd = model.scale();
    const double df = model.degrees_of_freedom();
    const auto& comps = model.components();
    d.df = df;

    // A shift of at least the minimum change, in direction `sign`, measured from `centre`.
    auto big_enough = [&](double effect, double centre, int sign) {
        if (sign * effect <= 0.0) return false;
        const double change = scale.change(effect, centre);
        return std::isnan(change) || std::fabs(change) >= policy.min_change;
    };
    // The estimate from the first `used` runs.
    auto describe = [&](std::size_t used) {
        const double y = mean_of(runs.first(used));
        const std::size_t ref = reference_component(model, y, d.sign);
        d.runs_used = used;
        d.reference = comps[ref].centre;
        d.effect = y - d.reference;
        d.se = sd * std::sqrt(1.0 / static_cast<double>(used) + centre_variance(model, ref));
        if (used > 1) d.rerun_effect = mean_of(runs.subspan(1, used - 1)) - d.reference;
    };

    const double y1 = runs[0];
    const double worse = mixture_tail(model, y1, 1, 1.0);
    const double better = mixture_tail(model, y1, -1, 1.0);
    d.sign = worse <= better ? 1 : -1;
    d.p_value = std::min(1.0, 2.0 * std::min(worse, better));
    describe(1);
    d.first_effect = d.effect;
    d.first_reference = d.reference;
    d.passes = d.p_value <= policy.alpha && big_enough(d.effect, d.reference, d.sign);
    const bool screened =
        d.sign > 0 && d.p_value <= policy.screen_alpha && big_enough(d.effect, d.reference, 1);
    // Wider screening: a step of policy.hidden_step from the machine mode nearest the first run
    // (the one it most likely ran on), and whether the first run leaves room for it. With
    // several modes the nearest one matters: measured from a faster mode, a run between two
    // modes (an improvement on the slower machine) would look like a step of that size.
    const std::size_t hidden_ref = nearest_component(model, y1);
    const double hidden_shift = step_of(policy.hidden_step, comps[hidden_ref].centre, scale, sd);
    const double hidden_sd = sd * std::sqrt(1.0 + centre_variance(model, hidden_ref));
    const bool hidden = !screened && policy.hidden_step > 0.0 &&
                        y1 >= comps[hidden_ref].centre + hidden_shift - policy.hide_z * hidden_sd;
    if (!(screened || hidden) || runs.size() == 1) {
        d.stage = screened || hidden ? RerunStage::wanted : RerunStage::single_run;
        return d;
    }

    // Re-runs decide; the first run's own verdict no longer counts. They decide whether the
    // commit is worse, whichever way its first run leaned.
    d.passes = false;
    d.sign = 1;
    const double upper = std::log(1.0 / policy.alpha);
    const double lower = std::log(k_beta / (1.0 - policy.alpha));
    for (std::size_t j = 1; j < runs.size(); ++j) {
        const double r = static_cast<double>(j);
        const double ybar = mean_of(runs.subspan(1, j));
        const bool last = j + 1 == runs.size();
        if (policy.rule == RerunRule::fixed) {
            const std::size_t ref = reference_component(model, y1, 1);
            if ((runs[j] - comps[ref].centre) / sd < k_lean_z) {
                describe(j + 1);
                d.stage = RerunStage::cleared;
                d.p_value = 1.0;
                return d;
            }
            if (j < policy.fixed_reruns) {
                if (last) {
                    describe(j + 1);
                    d.stage = RerunStage::undecided;
                    d.p_value = 1.0;
                    return d;
                }
                continue;
            }
            describe(j + 1);
            d.p_value = std::min(1.0, 2.0 * mixture_tail(model, ybar, 1, r));
            d.stage = d.p_value <= policy.alpha ? RerunStage::confirmed : RerunStage::cleared;
            d.passes = d.stage == RerunStage::confirmed && big_enough(d.effect, d.reference, 1);
            return d;
        }
        // Step: the re-runs sit where the first run sat, or, for a first run that only left room
        // for a step, where a step of hidden_step would put them. Either centre is fixed before
        // the re-runs, so Ville's bound still holds.
        const double step_centre = hidden ? comps[hidden_ref].centre + hidden_shift : y1;
        const double s1 = sd * std::sqrt(1.0 + 1.0 / r);
        const double log_step = log_t_pdf((ybar - step_centre) / s1, df) - std::log(s1);
        d.log_ratio = log_step - log_mixture_density(model, ybar, r);
        d.p_value = std::min(1.0, std::exp(-d.log_ratio));
        if (d.log_ratio >= upper) {
            describe(j + 1);
            d.stage = RerunStage::confirmed;
            d.passes = big_enough(d.effect, d.reference, 1);
            return d;
        }
        if (d.log_ratio <= lower || last) {
            describe(j + 1);
            d.stage = d.log_ratio <= lower ? RerunStage::cleared : RerunStage::undecided;
            return d;
        }
    }
    return d;  // not reached: the loop returns at its last re-run
}

}  // namespace perftrack::reports::detect
