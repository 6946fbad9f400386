#include "reports/detect/online_detector.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "reports/stats/distributions.hpp"

namespace perftrack::reports::detect {

namespace {

// Without a previous level to borrow the noise shape from, a baseline needs this many commits
// (fewer is the verdict "insufficient data": too little history to judge, not an error).
constexpr std::size_t k_min_cold_baseline = 3;
// A level needs this many commits before its noise shape is borrowed after the next step.
constexpr std::size_t k_min_shape_commits = 3;
// A step can be confirmed (flagged, and the baseline restarted) only against a baseline that
// has seen the noise: 10 commits on a fresh series (fewer cannot tell a second machine type
// in the CI pool from a step), or 5 commits of the new level after a step (with the noise
// shape borrowed from before it; fewer leave the new level ambiguous when runs land on two
// machine types).
constexpr std::size_t k_min_confirm_cold = 10;
constexpr std::size_t k_min_confirm_level = 5;
// From this many commits on, a new level's position is its own robust centre (the model then
// separates outliers and a second machine type by itself).
constexpr std::size_t k_align_by_centre = 10;
// The split test of the current level looks at no more than this many baseline lengths.
constexpr std::size_t k_split_window_baselines = 2;
// Values beyond this many bulk deviations are pulled in before looking for a split.
constexpr double k_split_winsor_sds = 3.5;
// Each side of a split needs this many commits.
constexpr std::size_t k_split_min_side = 3;
// A commit of a group counts as the start of the step when its runs are, on average, at least
// one standard deviate out in the step's direction.
constexpr double k_since_min_z = 1.0;
// Each run kept in a confirming group must be at least this far out on its own.
constexpr double k_kept_run_min_z = 1.0;
constexpr double k_interval_confidence = 0.95;

// The two-sided 95 % Student t quantile; df is a whole number of baseline values here, so a
// table computed once serves every call (the quantile is the detector's most expensive step).
double t_quantile_95(double df) {
    constexpr std::size_t k_table = 256;
    static const std::vector<double> table = [] {
        std::vector<double> t(k_table);
        for (std::size_t d = 1; d < k_table; ++d)
            t[d] = stats::students_t_quantile(0.5 + k_interval_confidence / 2.0,
                                              static_cast<double>(d));
        return t;
    }();
    const double rounded = std::round(df);
    if (rounded == df && df >= 1.0 && df < static_cast<double>(k_table))
        return table[static_cast<std::size_t>(df)];
    return stats::students_t_quantile(0.5 + k_interval_confidence / 2.0, df);
}

double median_of(std::vector<double> v) {
    const std::size_t n = v.size();
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (n % 2 == 1) return *mid;
    return 0.5 * (*std::max_element(v.begin(), mid) + *mid);
}

double mean_of(std::span<const double> v) {
    double s = 0.0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

}  // namespace

OnlineDetector::OnlineDetector(std::span<const SeriesPoint> points, core::Direction direction,
                               const DetectionSettings& settings,
                               const MetricThresholds& thresholds)
    : m_points(points), m_settings(settings), m_thresholds(thresholds) {
    m_orient = direction == core::Direction::lower ? 1.0 : -1.0;
    bool positive = true;
    for (const auto& p : points)
        for (double v : p.runs) positive = positive && v > 0.0;
    m_scale = positive ? Scale::log : Scale::linear;
    m_x.resize(points.size());
    m_point_x.resize(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        for (double v : points[i].runs)
            m_x[i].push_back(m_orient * (m_scale == Scale::log ? std::log(v) : v));
        m_point_x[i] = mean_of(m_x[i]);
    }
    m_cache.resize(points.size() + 1);
}

OnlineDetector::Baseline OnlineDetector::baseline_before(std::size_t s) const {
    Baseline b;
    const std::size_t n_max = m_settings.baseline_runs;
    b.level_end = s;
    b.level_first = std::max(m_segment, s >= n_max ? s - n_max : 0);
    if (s <= m_segment) b.level_first = s;
    const std::size_t n_cur = b.level_end - b.level_first;
    std::span<const double> level(m_point_x.data() + b.level_first, n_cur);

    if (m_previous && n_cur >= 1 && n_cur < n_max) {
        const std::size_t ref_first =
            std::max(*m_previous, m_segment >= n_max ? m_segment - n_max : 0);
        const std::size_t ref_n = m_segment - ref_first;
        if (ref_n >= k_min_shape_commits) {
            std::span<const double> ref_values(m_point_x.data() + ref_first, ref_n);
            const auto ref = BaselineModel::fit(ref_values, ref_n);
            if (ref) {
                const bool level_constant = std::all_of(level.begin(), level.end(),
                                                        [&](double v) { return v == level[0]; });
                if (ref->exact() && level_constant) {
                    b.model = BaselineModel::fit(level, n_cur);
                    return b;
                }
                // A short level is aligned run by run (it may sit on either machine type); from
                // k_align_by_centre commits on, its own robust centre is reliable and cheap.
                double delta = 0.0;
                const auto own =
                    n_cur >= k_align_by_centre ? BaselineModel::fit(level, n_cur) : std::nullopt;
                if (own && !own->exact()) {
                    delta = own->centre() - ref->centre();
                } else {
                    delta = align_shift(*ref, level);
                }
                const std::size_t borrow = std::min(n_max - n_cur, ref_n);
                std::vector<double> values;
                values.reserve(borrow + n_cur);
                for (std::size_t k = m_segment - borrow; k < m_segment; ++k)
                    values.push_back(m_point_x[k] + delta);
                values.insert(values.end(), level.begin(), level.end());
                b.model = BaselineModel::fit(values, n_cur);
                b.borrowed = borrow;
                return b;
            }
        }
    }
    if (n_cur >= k_min_cold_baseline) b.model = BaselineModel::fit(level, n_cur);
    return b;
}

const OnlineDetector::Baseline& OnlineDetector::cached_baseline(std::size_t s) {
    auto& slot = m_cache[s];
    if (!slot) slot = baseline_before(s);
    return *slot;
}

double OnlineDetector::to_change(double effect) const {
    // `effect` is a difference on the detection scale; the change is in the metric's own terms.
    return m_scale == Scale::log ? std::expm1(m_orient * effect)
                                 : std::numeric_limits<double>::quiet_NaN();
}

double OnlineDetector::to_metric(double x) const {
    return m_scale == Scale::log ? std::exp(m_orient * x) : m_orient * x;
}

void OnlineDetector::set_change(GroupTest& g, double effect, double se, double df,
                                double centre) const {
    const double q = t_quantile_95(df);
    const ChangeScale scale{m_scale == Scale::log, m_orient};
    g.change = scale.change(effect, centre);
    const double a = scale.change(effect - q * se, centre),
                 c = scale.change(effect + q * se, centre);
    g.ci_low = std::min(a, c);
    g.ci_high = std::max(a, c);
    if (std::isnan(g.change)) g.ci_low = g.ci_high = g.change;
    g.baseline_value = to_metric(centre);
    g.candidate_value = to_metric(centre + effect);
}

double OnlineDetector::Baseline::z(double y, int sign) const {
    const auto bits = std::bit_cast<std::uint64_t>(y);
    for (const auto& [memo_bits, memo_sign, memo_z] : z_memo)
        if (memo_bits == bits && memo_sign == sign) return memo_z;
    const double value = model->z(y, sign);
    z_memo.emplace_back(bits, sign, value);
    return value;
}

std::optional<GroupTest> OnlineDetector::test_group(const Baseline& b, std::span<const double> xs,
                                                    std::span<const std::size_t> point_of_run,
                                                    std::size_t first_point, int sign) const {
    const BaselineModel& m = *b.model;
    const std::size_t k = xs.size();
    if (k == 0) return std::nullopt;
    std::vector<double> z(k);
    for (std::size_t i = 0; i < k; ++i) z[i] = b.z(xs[i], sign);
    // Stouffer's z of correlated deviates: var(sum) = sum of pairwise correlations, through the
    // shared level estimate and, for runs of different commits, the runs' autocorrelation.
    const double rho = m.level_correlation();
    const double phi = m.autocorrelation();
    auto combined = [&](std::size_t skip) {
        double sum = 0.0, var = 0.0;
        for (std::size_t u = 0; u < k; ++u) {
            if (u == skip) continue;
            sum += z[u];
            for (std::size_t w = 0; w < k; ++w) {
                if (w == skip) continue;
                if (u == w) {
                    var += 1.0;
                    continue;
                }
                const auto d = point_of_run[u] > point_of_run[w]
                                   ? point_of_run[u] - point_of_run[w]
                                   : point_of_run[w] - point_of_run[u];
                var += std::min(1.0, rho + (d > 0 ? std::pow(phi, static_cast<double>(d)) : 0.0));
            }
        }
        return sum / std::sqrt(var);
    };
    GroupTest g;
    g.sign = sign;
    g.first_point = first_point;
    g.runs = k;
    g.p_group = std::min(1.0, 2.0 * stats::normal_sf(combined(k)));
    std::size_t worst = k;  // none dropped for a single run
    if (k >= 2) {
        worst = static_cast<std::size_t>(std::max_element(z.begin(), z.end()) - z.begin());
        g.p_value = std::min(1.0, 2.0 * stats::normal_sf(combined(worst)));
    } else {
        g.p_value = g.p_group;
    }
    double kept_sum = 0.0;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < k; ++i) {
        if (i == worst) continue;
        kept_sum += xs[i];
        ++kept;
    }
    const double effect = kept_sum / static_cast<double>(kept) - m.centre();
    const double se = m.scale() * std::sqrt(1.0 / static_cast<double>(kept) +
                                            1.0 / static_cast<double>(m.level_count()));
    set_change(g, effect, se, m.degrees_of_freedom(), m.centre());
    // The step begins at the first commit of the group whose runs are themselves shifted.
    g.since_point = first_point;
    for (std::size_t i = 0; i < k;) {
        std::size_t j = i;
        double point_z = 0.0;
        while (j < k && point_of_run[j] == point_of_run[i]) point_z += z[j++];
        if (point_z / static_cast<double>(j - i) >= k_since_min_z) {
            g.since_point = point_of_run[i];
            break;
        }
        i = j;
    }
    // A shift that points the other way after dropping the extreme run is no shift.
    if (sign * effect <= 0.0) g.p_value = 1.0;
    // A step persists: every run kept after dropping the extreme one must itself lean the
    // same way. Two spikes close together cannot pass for a step then.
    for (std::size_t i = 0; i < k; ++i)
        if (i != worst && z[i] < k_kept_run_min_z) g.p_value = 1.0;
    return g;
}

GroupTest OnlineDetector::describe(const Baseline& b, std::span<const double> xs,
                                   std::size_t first_point) const {
    const double m = mean_of(xs);
    const int sign = m >= b.model->centre() ? 1 : -1;
    std::vector<std::size_t> point_of_run(xs.size(), first_point);
    auto g = test_group(b, xs, point_of_run, first_point, sign);
    return *g;
}

std::optional<GroupTest> OnlineDetector::exact_test(const Baseline& b,
                                                    std::span<const double> raw_runs,
                                                    std::size_t first_point) const {
    // The baseline value in metric units: every run of the level measured exactly this.
    const double base = m_points[b.level_end - 1].runs.front();
    const double y = median_of(std::vector<double>(raw_runs.begin(), raw_runs.end()));
    GroupTest g;
    g.exact = true;
    g.first_point = g.since_point = first_point;
    g.runs = raw_runs.size();
    const double diff = y - base;
    const double tol = m_thresholds.exact_tolerance;
    const bool changed =
        base != 0.0 ? std::fabs(diff) > tol * std::fabs(base) : std::fabs(diff) > tol;
    g.change = base != 0.0 ? diff / std::fabs(base) : std::numeric_limits<double>::quiet_NaN();
    g.ci_low = g.ci_high = g.change;
    g.baseline_value = base;
    g.candidate_value = y;
    g.sign = diff == 0.0 ? 0 : ((diff > 0) == (m_orient > 0) ? 1 : -1);
    g.p_value = g.p_group = changed ? 0.0 : 1.0;
    return g;
}

bool OnlineDetector::can_confirm(const Baseline& b) const {
    const std::size_t level = b.level_end - b.level_first;
    return b.borrowed > 0 ? level >= k_min_confirm_level : level >= k_min_confirm_cold;
}

std::optional<std::size_t> OnlineDetector::level_split(std::size_t end,
                                                       const BaselineModel& model) const {
    // Two-sample t statistic at every split of the current level's last values (winsorised at
    // 3.5 bulk deviations of the baseline model, so outliers cannot make a split), the best one
    // Bonferroni-corrected for the number of splits.
    const std::size_t window = k_split_window_baselines * m_settings.baseline_runs;
    const std::size_t first = std::max(m_segment, end > window ? end - window : 0);
    if (end < first + 2 * k_split_min_side) return std::nullopt;
    const std::size_t n = end - first;
    std::vector<double> v(m_point_x.begin() + static_cast<std::ptrdiff_t>(first),
                          m_point_x.begin() + static_cast<std::ptrdiff_t>(end));
    if (!model.exact()) {
        const double half = k_split_winsor_sds * model.scale();
        for (double& x : v) x = std::clamp(x, model.centre() - half, model.centre() + half);
    }
    std::vector<double> s1(n + 1, 0.0), s2(n + 1, 0.0);
    for (std::size_t k = 0; k < n; ++k) {
        s1[k + 1] = s1[k] + v[k];
        s2[k + 1] = s2[k] + v[k] * v[k];
    }
    double best_t = 0.0;
    std::size_t best = 0;
    for (std::size_t j = k_split_min_side; j + k_split_min_side <= n; ++j) {
        const double nl = static_cast<double>(j), nr = static_cast<double>(n - j);
        const double ml = s1[j] / nl, mr = (s1[n] - s1[j]) / nr;
        const double ss = (s2[j] - nl * ml * ml) + (s2[n] - s2[j] - nr * mr * mr);
        const double sp = std::sqrt(std::max(ss, 0.0) / (static_cast<double>(n) - 2.0));
        if (!(sp > 0.0)) continue;
        const double t = (mr - ml) / (sp * std::sqrt(1.0 / nl + 1.0 / nr));
        if (std::fabs(t) > std::fabs(best_t)) {
            best_t = t;
            best = j;
        }
    }
    if (best == 0) return std::nullopt;
    const double splits = static_cast<double>(n - 2 * k_split_min_side + 1);
    const double p =
        splits * 2.0 * stats::students_t_sf(std::fabs(best_t), static_cast<double>(n) - 2.0);
    if (p > m_settings.late_alpha) return std::nullopt;
    const double nl = static_cast<double>(best), nr = static_cast<double>(n - best);
    const double effect = (s1[n] - s1[best]) / nr - s1[best] / nl;
    const double change = to_change(effect);
    if (!std::isnan(change) && std::fabs(change) < m_thresholds.min_change) return std::nullopt;
    return first + best;
}

bool OnlineDetector::passes(const GroupTest& g, double alpha) const {
    if (g.sign == 0 || g.p_group > alpha || g.p_value > alpha) return false;
    return std::isnan(g.change) || std::fabs(g.change) >= m_thresholds.min_change;
}

void OnlineDetector::fill_baseline_info(Assessment& a, const Baseline& b) const {
    a.level_commits = b.level_end - b.level_first;
    a.baseline_commits = b.model ? b.model->size() : a.level_commits;
    if (a.level_commits > 0) {
        a.baseline_first_point = b.level_first;
        a.baseline_last_point = b.level_end - 1;
        if (!m_baseline_medians) return;
        std::vector<double> raw;
        for (std::size_t i = b.level_first; i < b.level_end; ++i)
            raw.insert(raw.end(), m_points[i].runs.begin(), m_points[i].runs.end());
        a.baseline_median = median_of(std::move(raw));
    }
}

void OnlineDetector::restart(std::size_t since) {
    if (since >= m_segment + k_min_shape_commits) m_previous = m_segment;
    m_segment = since;
    std::fill(m_cache.begin(), m_cache.end(), std::nullopt);
}

void OnlineDetector::reset_at(std::size_t i) {
    m_segment = i;
    m_previous.reset();
    std::fill(m_cache.begin(), m_cache.end(), std::nullopt);
}

void OnlineDetector::resume(const ReplayPoint& at) {
    m_segment = at.segment;
    m_previous = at.previous;
    m_next = at.next;
    std::fill(m_cache.begin(), m_cache.end(), std::nullopt);
}

Assessment OnlineDetector::step(std::size_t i) {
    m_next = i + 1;
    Assessment a;
    a.point = i;
    a.candidate_runs = m_points[i].runs.size();
    a.candidate_median = median_of(m_points[i].runs);
    const Baseline& b1 = cached_baseline(i);
    fill_baseline_info(a, b1);
    if (!b1.model) {
        a.kind = i == 0 ? AssessmentKind::new_series : AssessmentKind::insufficient_data;
        return a;
    }
    a.kind = AssessmentKind::tested;
    if (b1.model->exact()) {
        a.exact = true;
        a.current = *exact_test(b1, m_points[i].runs, i);
        if (a.current.p_value == 0.0) {
            a.step = a.current;
            restart(i);
        }
        return a;
    }
    a.current = describe(b1, m_x[i], i);

    std::vector<double> xs;
    std::vector<std::size_t> point_of_run;
    for (std::size_t k = 1; k <= m_settings.confirm_commits && k <= i + 1; ++k) {
        const std::size_t s = i + 1 - k;
        // Runs of points s..i, oldest first.
        xs.insert(xs.begin(), m_x[s].begin(), m_x[s].end());
        point_of_run.insert(point_of_run.begin(), m_x[s].size(), s);
        if (xs.size() < 2) continue;  // one run confirms nothing
        const Baseline& b = cached_baseline(s);
        if (!b.model) break;  // earlier starts have even less baseline
        if (b.model->exact() || !can_confirm(b)) continue;
        for (int sign : {1, -1}) {
            auto g = test_group(b, xs, point_of_run, s, sign);
            if (!g || !passes(*g, m_settings.alpha)) continue;
            a.step = *g;
            restart(g->since_point);
            return a;
        }
    }
    if (auto split = level_split(i, *cached_baseline(i).model)) {
        a.silent_restart = true;
        restart(*split);
        return a;
    }
    a.pending = a.candidate_runs == 1 && passes(a.current, m_settings.alpha);
    return a;
}

bool OnlineDetector::matches_point(std::size_t i, std::span<const double> runs) const {
    const Baseline b = baseline_before(m_next);
    if (!b.model || b.model->exact() || runs.empty() || i >= m_x.size()) return false;
    double sum = 0.0;
    for (double v : runs) {
        if (m_scale == Scale::log && !(v > 0.0)) return false;
        sum += m_orient * (m_scale == Scale::log ? std::log(v) : v);
    }
    const double k = static_cast<double>(runs.size());
    const double kp = static_cast<double>(m_x[i].size());
    const double se = b.model->scale() * std::sqrt(1.0 / k + 1.0 / kp);
    const double t = (sum / k - m_point_x[i]) / se;
    return stats::students_t_sf(t, b.model->degrees_of_freedom()) > m_settings.alpha;
}

Assessment OnlineDetector::assess_candidate(std::span<const double> runs) const {
    Assessment a;
    a.point = m_next;
    a.candidate_runs = runs.size();
    a.candidate_median = median_of(std::vector<double>(runs.begin(), runs.end()));
    const Baseline b = baseline_before(m_next);
    fill_baseline_info(a, b);
    if (!b.model) {
        a.kind = m_next == 0 ? AssessmentKind::new_series : AssessmentKind::insufficient_data;
        return a;
    }
    std::vector<double> xs;
    for (double v : runs) {
        if (m_scale == Scale::log && !(v > 0.0)) {
            a.kind = AssessmentKind::insufficient_data;  // cannot be put on the log scale
            return a;
        }
        xs.push_back(m_orient * (m_scale == Scale::log ? std::log(v) : v));
    }
    a.kind = AssessmentKind::tested;
    if (b.model->exact()) {
        a.exact = true;
        a.current = *exact_test(b, runs, m_next);
        a.runs_used = runs.size();
        if (a.current.p_value == 0.0) a.step = a.current;
        return a;
    }
    RerunPolicy policy;
    policy.alpha = m_settings.alpha;
    policy.screen_alpha = m_settings.rerun_screen_alpha;
    policy.min_change = m_thresholds.min_change;
    policy.rule = m_settings.rerun_rule;
    policy.fixed_reruns = m_settings.fixed_reruns;
    const auto d = decide_commit_runs(*b.model, xs, policy, {m_scale == Scale::log, m_orient});
    GroupTest& g = a.current;
    g.sign = d.sign;
    g.first_point = g.since_point = m_next;
    g.runs = d.runs_used;
    g.p_value = g.p_group = d.p_value;
    set_change(g, d.effect, d.se, d.df, d.reference);
    a.rerun_stage = d.stage;
    a.runs_used = d.runs_used;
    const ChangeScale change_scale{m_scale == Scale::log, m_orient};
    a.first_change = change_scale.change(d.first_effect, d.first_reference);
    if (!std::isnan(d.rerun_effect))
        a.rerun_change = change_scale.change(d.rerun_effect, d.reference);
    a.candidate_median = median_of(
        std::vector<double>(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(d.runs_used)));
    if (d.passes) a.step = g;
    return a;
}

}  // namespace perftrack::reports::detect
