#include "reports/detect/changepoints.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "reports/stats/descriptive.hpp"
#include "reports/stats/distributions.hpp"

namespace perftrack::reports::detect {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();
// Fewer commits than this cannot hold two segments worth testing.
constexpr std::size_t k_min_points = 6;

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Noise scale of one commit's value from the first differences (a step moves one difference,
// a spike two): the larger of MAD(diff) / sqrt(2), which ignores spikes, and the standard
// deviation of the central 90 % of the differences / sqrt(2), which sees that runs landing on
// two machine types make the noise wider than its central peak. The second is scaled so that
// both agree on normal noise (the sd of a normal truncated to its central 90 % is 0.7893 sd).
double difference_scale(std::span<const double> x) {
    std::vector<double> d;
    for (std::size_t i = 1; i < x.size(); ++i) d.push_back(x[i] - x[i - 1]);
    const double by_mad = *stats::mad(d, stats::k_mad_normal_scale) / std::sqrt(2.0);
    std::sort(d.begin(), d.end());
    const std::size_t cut = d.size() / 20;
    std::span<const double> central(d.data() + cut, d.size() - 2 * cut);
    if (central.size() < 2) return by_mad;
    const double by_sd = *stats::stddev(central) / 0.7893 / std::sqrt(2.0);
    return std::max(by_mad, by_sd);
}

void replace_spikes(std::vector<double>& x, double sigma, double deviations) {
    const std::size_t n = x.size();
    const std::vector<double> orig = x;
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> left, right;
        for (std::size_t k = 1; k <= 2; ++k) {
            if (i >= k) left.push_back(orig[i - k]);
            if (i + k < n) right.push_back(orig[i + k]);
        }
        if (left.empty() || right.empty()) continue;
        const double l = median_of(left), r = median_of(right);
        const double limit = deviations * sigma;
        if (std::fabs(orig[i] - l) > limit && std::fabs(orig[i] - r) > limit &&
            std::fabs(l - r) < limit / 3.0) {
            std::vector<double> around = left;
            around.insert(around.end(), right.begin(), right.end());
            x[i] = median_of(around);
        }
    }
}

// Runs that land on one of two machine types (a CI pool mixing two kinds of host) add a fixed
// offset to some commits, so the values jump between two levels and the noise looks as wide as
// the gap: steps smaller than the gap drown in it. When the values clearly separate into two
// such modes, the upper mode's offset is taken out and the steps are looked for again, so a
// step shows against the noise of one machine. The split alternates (like EM) between a running
// level of the demixed values and the assignment of each commit to the mode it is nearer to,
// starting from a running low quantile, which sits in the lower mode whichever mode is the
// larger; the running windows do not reach across steps found first that are larger than the
// gap (so the level does not lag behind them).
constexpr double k_mode_start_quantile = 0.2;
// The level runs over 31 commits: long enough that a stretch of commits that all landed on the
// rarer machine cannot hold its median (16 in a row: 0.3^16 when three runs in ten land there),
// while steps larger than the gap bound it (see remove_machine_mode).
constexpr std::size_t k_mode_window_half = 15;
// A step at least this many gaps large cannot come from the modes.
constexpr double k_step_beyond_gap = 1.5;
// Two modes are believed when each holds at least this share of the commits...
constexpr double k_min_mode_share = 0.1;
// ...and their centres are this many within-mode standard deviations apart (two normal
// clusters split by 2-means are about 3 apart when there is only one mode).
constexpr double k_mode_separation = 8.0;
constexpr int k_mode_iterations = 5;
constexpr std::size_t k_min_points_for_modes = 20;

// A running q-quantile of x over 2 h + 1 commits that does not reach across the starts of
// segments (0 and every entry of `starts`).
std::vector<double> segment_quantile(std::span<const double> x, std::span<const std::size_t> starts,
                                     double q) {
    std::vector<double> out(x.size());
    std::size_t begin = 0;
    for (std::size_t k = 0; k <= starts.size(); ++k) {
        const std::size_t end = k < starts.size() ? starts[k] : x.size();
        for (std::size_t i = begin; i < end; ++i) {
            const std::size_t a =
                std::max(begin, i >= k_mode_window_half ? i - k_mode_window_half : 0);
            const std::size_t b = std::min(end, i + k_mode_window_half + 1);
            std::vector<double> w(x.begin() + static_cast<std::ptrdiff_t>(a),
                                  x.begin() + static_cast<std::ptrdiff_t>(b));
            std::sort(w.begin(), w.end());
            out[i] = w[static_cast<std::size_t>(q * static_cast<double>(w.size() - 1) + 0.5)];
        }
        begin = end;
    }
    return out;
}

struct Modes {
    std::vector<char> upper;  // per commit: on the upper mode
    double gap = 0;           // between the modes
};

// Two machine modes of `x`, with the level running within the segments that begin at `starts`;
// nullopt when the values do not separate into two (see the constants above).
std::optional<Modes> split_modes(std::span<const double> x, std::span<const std::size_t> starts) {
    const std::size_t n = x.size();
    if (n < k_min_points_for_modes) return std::nullopt;
    auto level = segment_quantile(x, starts, k_mode_start_quantile);
    std::vector<double> r(n);
    for (std::size_t i = 0; i < n; ++i) r[i] = x[i] - level[i];
    // Initial split: 2-means on the residuals (the best cut of the sorted values).
    std::vector<double> sorted = r;
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> prefix(n + 1, 0.0), prefix2(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        prefix[i + 1] = prefix[i] + sorted[i];
        prefix2[i + 1] = prefix2[i] + sorted[i] * sorted[i];
    }
    double best_ss = k_inf, cut = 0.0;
    for (std::size_t k = 1; k < n; ++k) {
        const double nl = static_cast<double>(k), nr = static_cast<double>(n - k);
        const double ss = prefix2[k] - prefix[k] * prefix[k] / nl + (prefix2[n] - prefix2[k]) -
                          (prefix[n] - prefix[k]) * (prefix[n] - prefix[k]) / nr;
        if (ss < best_ss) {
            best_ss = ss;
            cut = 0.5 * (sorted[k - 1] + sorted[k]);
        }
    }
    Modes m;
    m.upper.resize(n);
    for (std::size_t i = 0; i < n; ++i) m.upper[i] = r[i] > cut ? 1 : 0;
    double within = 0.0;
    std::size_t ups = 0;
    auto estimate = [&] {
        double su = 0.0, sl = 0.0;
        ups = 0;
        for (std::size_t i = 0; i < n; ++i) {
            (m.upper[i] ? su : sl) += r[i];
            ups += m.upper[i] ? 1 : 0;
        }
        if (ups == 0 || ups == n) return false;
        const double mu = su / static_cast<double>(ups), ml = sl / static_cast<double>(n - ups);
        m.gap = mu - ml;
        double ss = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            const double d = r[i] - (m.upper[i] ? mu : ml);
            ss += d * d;
        }
        within = std::sqrt(ss / static_cast<double>(n - 2));
        return true;
    };
    // Values with one mode split about 3 within-deviations apart; far from the separation asked
    // for in the end, they are not worth iterating.
    if (!estimate() || !(m.gap > k_mode_separation / 2.0 * within)) return std::nullopt;
    for (int it = 0; it < k_mode_iterations; ++it) {
        std::vector<double> y(n);
        for (std::size_t i = 0; i < n; ++i) y[i] = x[i] - (m.upper[i] ? m.gap : 0.0);
        level = segment_quantile(y, starts, 0.5);
        for (std::size_t i = 0; i < n; ++i) {
            r[i] = x[i] - level[i];
            m.upper[i] = r[i] > m.gap / 2.0 ? 1 : 0;
        }
        if (!estimate()) return std::nullopt;
    }
    const double share = static_cast<double>(std::min(ups, n - ups)) / static_cast<double>(n);
    if (share < k_min_mode_share || !(m.gap > k_mode_separation * within)) return std::nullopt;
    // A machine type is drawn job by job, so its commits are scattered through the history; a
    // level that held for a stretch of commits (a step and its reversal) is no mode. Random
    // draws switch about 2 p (1 - p) (n - 1) times; ask for at least half of that.
    std::size_t switches = 0;
    for (std::size_t i = 1; i < n; ++i) switches += m.upper[i] != m.upper[i - 1] ? 1 : 0;
    const double p_up = static_cast<double>(ups) / static_cast<double>(n);
    if (static_cast<double>(switches) < p_up * (1.0 - p_up) * static_cast<double>(n - 1))
        return std::nullopt;
    return m;
}

// Removes a second machine mode from `x` in place; false (and x unchanged) when there is none.
// `steps` are change points found before (first commit of each new level, and its relative
// size): those clearly larger than the gap between the modes bound the running level, so it
// does not lag behind a large step; smaller ones may be the modes themselves (a stretch of
// commits that all landed on one machine moves the mean of the mixed values) and do not.
bool remove_machine_mode(std::vector<double>& x,
                         std::span<const std::pair<std::size_t, double>> steps) {
    // The gap first, with the level bounded by every step found (no lag at large steps) or, when
    // that fails (a bound inside a stretch on one machine), by none.
    std::vector<std::size_t> all;
    for (const auto& step : steps) all.push_back(step.first);
    auto modes = split_modes(x, all);
    if (!modes) modes = split_modes(x, {});
    if (!modes) return false;
    std::vector<std::size_t> bounds;
    for (const auto& [start, delta] : steps)
        if (std::fabs(delta) > k_step_beyond_gap * modes->gap) bounds.push_back(start);
    if (bounds != all) modes = split_modes(x, bounds);
    if (!modes) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (modes->upper[i]) x[i] -= modes->gap;
    return true;
}

// Optimal partitioning with PELT pruning: returns the first index of every segment but the
// first.
std::vector<std::size_t> pelt(std::span<const double> x, double penalty, std::size_t min_seg) {
    const std::size_t n = x.size();
    std::vector<double> s1(n + 1, 0.0), s2(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        s1[i + 1] = s1[i] + x[i];
        s2[i + 1] = s2[i] + x[i] * x[i];
    }
    auto cost = [&](std::size_t a, std::size_t b) {  // [a, b)
        const double m = static_cast<double>(b - a);
        const double s = s1[b] - s1[a];
        return (s2[b] - s2[a]) - s * s / m;
    };
    std::vector<double> f(n + 1, k_inf);
    std::vector<std::size_t> last(n + 1, 0);
    f[0] = -penalty;
    std::vector<std::size_t> candidates{0};
    for (std::size_t t = min_seg; t <= n; ++t) {
        double best = k_inf;
        std::size_t arg = 0;
        for (std::size_t c : candidates) {
            if (t - c < min_seg) continue;
            const double v = f[c] + cost(c, t) + penalty;
            if (v < best) {
                best = v;
                arg = c;
            }
        }
        f[t] = best;
        last[t] = arg;
        // PELT: a candidate that cannot beat the best even before paying the penalty never
        // will later (the L2 cost is additive).
        std::vector<std::size_t> kept;
        for (std::size_t c : candidates)
            if (t - c < min_seg || f[c] + cost(c, t) <= best) kept.push_back(c);
        // Candidates stay in increasing order: the new one is larger than every kept one.
        if (t + 1 >= 2 * min_seg && (kept.empty() || kept.back() < t + 1 - min_seg))
            kept.push_back(t + 1 - min_seg);
        candidates = std::move(kept);
    }
    std::vector<std::size_t> cps;
    for (std::size_t t = n; t > 0 && last[t] > 0; t = last[t]) cps.push_back(last[t]);
    std::reverse(cps.begin(), cps.end());
    return cps;
}

struct StepTest {
    double delta = 0;  // level difference right - left, trend removed
    double p_value = 1;
};

// y = a + b t + delta [t >= c] on [begin, end), c the change; OLS, t-test of delta.
StepTest step_with_trend(std::span<const double> x, std::size_t begin, std::size_t c,
                         std::size_t end) {
    const std::size_t n = end - begin;
    // Normal equations for columns (1, t, d), solved by Gaussian elimination (3x3).
    double a[3][4] = {};
    for (std::size_t i = begin; i < end; ++i) {
        const double t = static_cast<double>(i - begin);
        const double d = i >= c ? 1.0 : 0.0;
        const double row[3] = {1.0, t, d};
        for (int r = 0; r < 3; ++r) {
            for (int k = 0; k < 3; ++k) a[r][k] += row[r] * row[k];
            a[r][3] += row[r] * x[i];
        }
    }
    // Invert via Gauss-Jordan on [A | I] to get var(delta) = sigma^2 (A^-1)_22.
    double m[3][6];
    for (int r = 0; r < 3; ++r) {
        for (int k = 0; k < 3; ++k) m[r][k] = a[r][k];
        for (int k = 0; k < 3; ++k) m[r][3 + k] = r == k ? 1.0 : 0.0;
    }
    for (int col = 0; col < 3; ++col) {
        int piv = col;
        for (int r = col + 1; r < 3; ++r)
            if (std::fabs(m[r][col]) > std::fabs(m[piv][col])) piv = r;
        if (std::fabs(m[piv][col]) < 1e-300) return {};
        std::swap(m[piv], m[col]);
        const double inv = 1.0 / m[col][col];
        for (int k = 0; k < 6; ++k) m[col][k] *= inv;
        for (int r = 0; r < 3; ++r) {
            if (r == col) continue;
            const double f = m[r][col];
            for (int k = 0; k < 6; ++k) m[r][k] -= f * m[col][k];
        }
    }
    double beta[3];
    for (int r = 0; r < 3; ++r) beta[r] = m[r][3] * a[0][3] + m[r][4] * a[1][3] + m[r][5] * a[2][3];
    double rss = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
        const double t = static_cast<double>(i - begin);
        const double d = i >= c ? 1.0 : 0.0;
        const double e = x[i] - (beta[0] + beta[1] * t + beta[2] * d);
        rss += e * e;
    }
    StepTest out;
    out.delta = beta[2];
    if (n <= 3) return out;
    const double df = static_cast<double>(n - 3);
    const double se = std::sqrt(std::max(rss / df, 0.0) * m[2][5]);
    if (!(se > 0.0)) {
        out.p_value = beta[2] == 0.0 ? 1.0 : 0.0;
        return out;
    }
    out.p_value = std::min(1.0, 2.0 * stats::students_t_sf(std::fabs(beta[2] / se), df));
    return out;
}

struct Segmentation {
    std::vector<std::size_t> starts;  // first index of every segment but the first
    std::vector<StepTest> tests;      // the step test of each
};

// Steps 2-4 of the method on one value per commit with noise scale sigma.
template <typename Relative>
Segmentation segment(const std::vector<double>& x, double sigma,
                     const ChangePointSettings& settings, Relative relative) {
    const std::size_t n = x.size();
    std::vector<double> cleaned = x;
    replace_spikes(cleaned, sigma, settings.spike_deviations);
    const double penalty =
        settings.penalty_factor * sigma * sigma * std::log(static_cast<double>(n));
    Segmentation s;
    s.starts = pelt(cleaned, penalty, settings.min_segment);
    // Prune: drop the weakest change point that fails until all pass.
    while (!s.starts.empty()) {
        s.tests.clear();
        std::size_t worst = s.starts.size();
        double worst_p = -1.0;
        for (std::size_t k = 0; k < s.starts.size(); ++k) {
            const std::size_t begin = k == 0 ? 0 : s.starts[k - 1];
            const std::size_t end = k + 1 < s.starts.size() ? s.starts[k + 1] : n;
            StepTest t = step_with_trend(cleaned, begin, s.starts[k], end);
            s.tests.push_back(t);
            const double change = relative(begin, s.starts[k], t.delta);
            const bool small = !std::isnan(change) && std::fabs(change) < settings.min_change;
            const double p = small ? 2.0 : t.p_value;  // too small fails like a large p
            if ((p > settings.alpha) && p > worst_p) {
                worst_p = p;
                worst = k;
            }
        }
        if (worst == s.starts.size()) break;
        s.starts.erase(s.starts.begin() + static_cast<std::ptrdiff_t>(worst));
    }
    return s;
}

}  // namespace

std::vector<ChangePoint> find_change_points(std::span<const SeriesPoint> points,
                                            const ChangePointSettings& settings) {
    std::vector<ChangePoint> out;
    const std::size_t n = points.size();
    if (n < k_min_points) return out;
    bool positive = true;
    for (const auto& p : points)
        for (double v : p.runs) positive = positive && v > 0.0;
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0.0;
        for (double v : points[i].runs) s += positive ? std::log(v) : v;
        x[i] = s / static_cast<double>(points[i].runs.size());
    }
    auto relative = [&](std::size_t left_first, std::size_t c, double delta) {
        if (positive) return std::expm1(delta);
        double s = 0.0;
        for (std::size_t i = left_first; i < c; ++i) s += x[i];
        const double level = s / static_cast<double>(c - left_first);
        return level != 0.0 ? delta / std::fabs(level) : std::numeric_limits<double>::quiet_NaN();
    };

    const double sigma = difference_scale(x);
    if (sigma == 0.0) {
        // Deterministic metric: every persistent change of value is a change point.
        std::vector<std::size_t> cps;
        for (std::size_t i = 1; i < n; ++i)
            if (x[i] != x[i - 1]) cps.push_back(i);
        for (std::size_t k = 0; k < cps.size(); ++k) {
            const std::size_t c = cps[k];
            const double d = x[c] - x[c - 1];
            const std::size_t first = k == 0 ? 0 : cps[k - 1];
            const double change = relative(first, c, d);
            if (!std::isnan(change) && std::fabs(change) <= settings.exact_tolerance) continue;
            out.push_back({points[c].position, c, change, 0.0});
        }
        return out;
    }
    auto found = segment(x, sigma, settings, relative);
    std::vector<double> demixed = x;
    std::vector<std::pair<std::size_t, double>> steps;
    for (std::size_t k = 0; k < found.starts.size(); ++k)
        steps.emplace_back(found.starts[k], found.tests[k].delta);
    if (remove_machine_mode(demixed, steps)) {
        const double demixed_sigma = difference_scale(demixed);
        if (demixed_sigma > 0.0) found = segment(demixed, demixed_sigma, settings, relative);
    }
    for (std::size_t k = 0; k < found.starts.size(); ++k) {
        const std::size_t begin = k == 0 ? 0 : found.starts[k - 1];
        const std::size_t c = found.starts[k];
        out.push_back({points[c].position, c, relative(begin, c, found.tests[k].delta),
                       found.tests[k].p_value});
    }
    return out;
}

std::vector<ChangePoint> find_change_points(const store::History& history,
                                            const store::SeriesHistory& series,
                                            const ChangePointSettings& settings) {
    const Timeline timeline = build_timeline(history);
    const auto points = series_points(series, timeline);
    return find_change_points(points, settings);
}

}  // namespace perftrack::reports::detect
