#include "reports/detect/changepoints.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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
    std::vector<std::size_t> cps;
    if (sigma == 0.0) {
        // Deterministic metric: every persistent change of value is a change point.
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
    std::vector<double> cleaned = x;
    replace_spikes(cleaned, sigma, settings.spike_deviations);
    const double penalty =
        settings.penalty_factor * sigma * sigma * std::log(static_cast<double>(n));
    cps = pelt(cleaned, penalty, settings.min_segment);

    // Prune: drop the weakest change point that fails until all pass.
    std::vector<StepTest> tests;
    while (!cps.empty()) {
        tests.clear();
        std::size_t worst = cps.size();
        double worst_p = -1.0;
        for (std::size_t k = 0; k < cps.size(); ++k) {
            const std::size_t begin = k == 0 ? 0 : cps[k - 1];
            const std::size_t end = k + 1 < cps.size() ? cps[k + 1] : n;
            StepTest t = step_with_trend(cleaned, begin, cps[k], end);
            tests.push_back(t);
            const double change = relative(begin, cps[k], t.delta);
            const bool small = !std::isnan(change) && std::fabs(change) < settings.min_change;
            const double p = small ? 2.0 : t.p_value;  // too small fails like a large p
            if ((p > settings.alpha) && p > worst_p) {
                worst_p = p;
                worst = k;
            }
        }
        if (worst == cps.size()) break;
        cps.erase(cps.begin() + static_cast<std::ptrdiff_t>(worst));
    }
    for (std::size_t k = 0; k < cps.size(); ++k) {
        const std::size_t begin = k == 0 ? 0 : cps[k - 1];
        out.push_back({points[cps[k]].position, cps[k], relative(begin, cps[k], tests[k].delta),
                       tests[k].p_value});
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
