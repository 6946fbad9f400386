#include "reports/detect/baseline_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "reports/stats/descriptive.hpp"
#include "reports/stats/distributions.hpp"

namespace perftrack::reports::detect {

namespace {

// Modified z-score cut-off for outliers (Iglewicz & Hoaglin, "How to Detect and Handle
// Outliers", 1993): 3.5 normalised MADs from the median.
constexpr double k_outlier_mads = 3.5;
// Below this many values a MAD is too unstable to call anything an outlier (with four values a
// tight middle pair makes an ordinary value look like one): the leave-one-out test decides.
constexpr std::size_t k_min_values_for_outliers = 10;
// Dixon's Q test (Dean & Dixon 1951) of the most extreme value of a short baseline: the gap to
// its neighbour over the range. Critical values at 99 % (Rorabacher 1991, Anal. Chem. 63:139,
// two-sided: whichever end is more extreme), for n = 3..9 values: a normal baseline loses an
// ordinary value 1 time in 100, while one wild run among runs that agree is caught from 4 runs
// on (with 5: a gap of 4.6 times the others' range). Indexed by n - 3.
constexpr std::array<double, 7> k_dixon_q99 = {0.994, 0.926, 0.821, 0.740, 0.680, 0.634, 0.598};
constexpr std::size_t k_min_values_for_lone_test = 3;
// Outliers closer to each other than this many standard deviations of the difference of two
// runs (sqrt(2) bulk deviations) belong to one mode; the same 3.5 as the outlier rule.
constexpr double k_mode_link_sds = 3.5;
// A mode needs this many runs: one run far out is a spike, two that agree are a machine type.
constexpr std::size_t k_min_mode_runs = 2;
// A bulk whose values are all equal but has outliers still needs a scale: a tiny one relative
// to the level, so any other value is surprising and only the minimum change decides.
constexpr double k_min_relative_scale = 1e-9;
constexpr double k_min_absolute_scale = 1e-12;
// Clamp tails before converting to z so that neither end becomes infinite.
constexpr double k_min_tail = 1e-300;
constexpr double k_max_tail = 1.0 - 1e-16;
// The newest values checked for a widening of the noise, and how much of their spread counts
// (below 1 so that ordinary fluctuations of an 8-value spread rarely widen the model).
constexpr std::size_t k_recent_values = 8;
constexpr double k_recent_sd_weight = 0.8;
// Autocorrelation beyond this is not told apart from a slow step.
constexpr double k_max_autocorrelation = 0.9;
// New runs within this many bulk deviations count as "on the bulk" when refining a shift.
constexpr double k_bulk_assignment_sds = 3.0;

double median_of(std::vector<double> v) {
    const std::size_t n = v.size();
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (n % 2 == 1) return *mid;
    return 0.5 * (*std::max_element(v.begin(), mid) + *mid);
}

// Index of the one lone wild run of a short baseline (3 to 9 values), or nullopt.
std::optional<std::size_t> lone_wild_run(std::span<const double> v) {
    const std::size_t n = v.size();
    if (n < k_min_values_for_lone_test || n - k_min_values_for_lone_test >= k_dixon_q99.size())
        return std::nullopt;
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    const double range = v[order[n - 1]] - v[order[0]];
    if (!(range > 0.0)) return std::nullopt;
    const double low_gap = v[order[1]] - v[order[0]];
    const double high_gap = v[order[n - 1]] - v[order[n - 2]];
    const bool high = high_gap >= low_gap;
    const double q = (high ? high_gap : low_gap) / range;
    if (q <= k_dixon_q99[n - k_min_values_for_lone_test]) return std::nullopt;
    return high ? order[n - 1] : order[0];
}

}  // namespace

std::optional<BaselineModel> BaselineModel::fit(std::span<const double> values,
                                                std::size_t level_count) {
    if (values.empty()) return std::nullopt;
    BaselineModel m;
    m.m_n = values.size();
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    if (*lo == *hi) {
        m.m_exact = true;
        m.m_mu = *lo;
        m.m_in = m.m_n;
        m.m_level = std::max<std::size_t>(1, std::min(level_count, m.m_n));
        m.m_components.push_back({m.m_mu, 1.0, m.m_n});
        return m;
    }
    std::vector<double> v(values.begin(), values.end());
    const double med = median_of(v);
    std::vector<double> dev(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) dev[i] = std::fabs(v[i] - med);
    const double mad = median_of(dev) * stats::k_mad_normal_scale;
    std::vector<double> bulk;
    const auto lone = v.size() < k_min_values_for_outliers ? lone_wild_run(v) : std::nullopt;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double x = v[i];
        const bool inlier =
            v.size() < k_min_values_for_outliers
                ? lone != i
                : (mad > 0.0 ? std::fabs(x - med) <= k_outlier_mads * mad : x == med);
        (inlier ? bulk : m.m_outliers).push_back(x);
    }
    if (bulk.size() < 2 && (mad > 0.0 || v.size() < k_min_values_for_outliers)) return std::nullopt;
    m.m_in = bulk.size();
    double sum = 0.0;
    for (double x : bulk) sum += x;
    m.m_mu = sum / static_cast<double>(bulk.size());
    double ss = 0.0;
    for (double x : bulk) ss += (x - m.m_mu) * (x - m.m_mu);
    m.m_sd = bulk.size() >= 2 ? std::sqrt(ss / static_cast<double>(bulk.size() - 1)) : 0.0;
    m.m_sd = std::max(m.m_sd, k_min_absolute_scale + k_min_relative_scale * std::fabs(m.m_mu));
    m.m_df = std::max(1.0, static_cast<double>(bulk.size()) - 1.0);
    // Noise that just got worse (a noisier machine, a busy neighbour) shows first in the newest
    // values: when their spread clearly exceeds the whole baseline's, judge with theirs.
    if (v.size() >= 2 * k_recent_values) {
        std::vector<double> recent;
        for (std::size_t i = v.size() - k_recent_values; i < v.size(); ++i)
            if (std::find(m.m_outliers.begin(), m.m_outliers.end(), v[i]) == m.m_outliers.end())
                recent.push_back(v[i]);
        if (recent.size() >= k_recent_values - 1) {
            const double sd_recent = *stats::stddev(recent);
            m.m_sd = std::max(m.m_sd, k_recent_sd_weight * sd_recent);
        }
    }
    m.find_modes();
    m.m_level = std::max<std::size_t>(1, std::min(level_count, m.m_in));
    // Lag-1 autocorrelation of consecutive bulk values (runs on a machine whose state wanders
    // from commit to commit), shrunk by one standard error so independent runs get none.
    double num = 0.0, den = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const bool in_i =
            std::find(m.m_outliers.begin(), m.m_outliers.end(), v[i]) == m.m_outliers.end();
        if (!in_i) continue;
        den += (v[i] - m.m_mu) * (v[i] - m.m_mu);
        if (i + 1 < v.size() &&
            std::find(m.m_outliers.begin(), m.m_outliers.end(), v[i + 1]) == m.m_outliers.end())
            num += (v[i] - m.m_mu) * (v[i + 1] - m.m_mu);
    }
    if (den > 0.0 && v.size() >= k_min_values_for_outliers) {
        const double raw = num / den;
        m.m_autocorrelation = std::clamp(raw - 1.0 / std::sqrt(static_cast<double>(v.size())), 0.0,
                                         k_max_autocorrelation);
    }
    // Autocorrelated values pin the level down less well: n (1 - phi) / (1 + phi) effective ones.
    m.m_level_effective =
        std::max(1.0, static_cast<double>(m.m_level) * (1.0 - m.m_autocorrelation) /
                          (1.0 + m.m_autocorrelation));
    m.m_predictive_sd = m.m_sd * std::sqrt(1.0 + 1.0 / m.m_level_effective);
    // An outlier is one run: a new run near it differs by two runs' noise.
    m.m_kernel_sd = m.m_sd * std::numbers::sqrt2;
    m.m_log_t_norm = std::lgamma((m.m_df + 1.0) / 2.0) - std::lgamma(m.m_df / 2.0) -
                     0.5 * std::log(m.m_df * std::numbers::pi);
    return m;
}

void BaselineModel::find_modes() {
    // Single linkage of the sorted outliers; clusters of at least k_min_mode_runs are modes.
    std::vector<double> sorted = m_outliers;
    std::sort(sorted.begin(), sorted.end());
    const double link = k_mode_link_sds * std::numbers::sqrt2 * m_sd;
    std::vector<Component> modes;
    std::size_t total = m_in;
    m_lone = 0;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i + 1;
        double sum = sorted[i];
        while (j < sorted.size() && sorted[j] - sorted[j - 1] <= link) sum += sorted[j++];
        const std::size_t count = j - i;
        if (count >= k_min_mode_runs) {
            modes.push_back({sum / static_cast<double>(count), 0.0, count});
            total += count;
        } else {
            m_lone += count;
        }
        i = j;
    }
    m_components.clear();
    m_components.push_back({m_mu, static_cast<double>(m_in) / static_cast<double>(total), m_in});
    for (auto& c : modes) {
        c.weight = static_cast<double>(c.runs) / static_cast<double>(total);
        m_components.push_back(c);
    }
}

double BaselineModel::tail(double y, int sign) const {
    const auto s = static_cast<double>(sign);
    if (m_exact) {
        const double d = s * (y - m_mu);
        return d > 0 ? 0.0 : (d == 0 ? 0.5 : 1.0);
    }
    const double n = static_cast<double>(m_n);
    double u = static_cast<double>(m_in) / n *
               stats::students_t_sf(s * (y - m_mu) / m_predictive_sd, m_df);
    // An outlier explains a run only near it: a run 20 % slower is not made ordinary by an
    // earlier run that was 150 % slower. So each kernel counts with its two-sided tail around
    // itself (a highest-density view), not with all its mass above or below y.
    for (double o : m_outliers) u += 2.0 * stats::normal_sf(std::fabs(y - o) / m_kernel_sd) / n;
    return std::min(1.0, u);
}

double BaselineModel::z(double y, int sign) const {
    const double u = std::clamp(tail(y, sign), k_min_tail, k_max_tail);
    return -stats::normal_quantile(u);
}

double BaselineModel::log_density(double y) const {
    if (m_exact) return y == m_mu ? 0.0 : -std::numeric_limits<double>::infinity();
    const double n = static_cast<double>(m_n);
    const double t = (y - m_mu) / m_predictive_sd;
    double d = static_cast<double>(m_in) / n *
               std::exp(m_log_t_norm - (m_df + 1.0) / 2.0 * std::log1p(t * t / m_df)) /
               m_predictive_sd;
    for (double o : m_outliers) d += stats::normal_pdf((y - o) / m_kernel_sd) / (n * m_kernel_sd);
    return std::log(std::max(d, std::numeric_limits<double>::min()));
}

double align_shift(const BaselineModel& reference, std::span<const double> level_values) {
    if (level_values.empty()) return 0.0;
    if (reference.exact()) {
        double sum = 0.0;
        for (double y : level_values) sum += y;
        return sum / static_cast<double>(level_values.size()) - reference.centre();
    }
    auto score = [&](double delta) {
        double s = 0.0;
        for (double y : level_values) s += reference.log_density(y - delta);
        return s;
    };
    double best = level_values[0] - reference.centre();
    double best_score = -std::numeric_limits<double>::infinity();
    for (double y : level_values) {
        const double on_bulk = y - reference.centre();
        if (const double sc = score(on_bulk); sc > best_score) {
            best_score = sc;
            best = on_bulk;
        }
        for (double o : reference.outliers()) {
            const double on_outlier = y - o;
            if (const double sc = score(on_outlier); sc > best_score) {
                best_score = sc;
                best = on_outlier;
            }
        }
    }
    double sum = 0.0;
    std::size_t count = 0;
    for (double y : level_values) {
        const double r = y - best - reference.centre();
        if (std::fabs(r) <= k_bulk_assignment_sds * reference.scale()) {
            sum += r;
            ++count;
        }
    }
    return count > 0 ? best + sum / static_cast<double>(count) : best;
}

}  // namespace perftrack::reports::detect
