#pragma once
// The detector's picture of "normal" for one series: what a run should measure if nothing
// changed. Values are on the detection scale (log of the metric when it is positive, oriented
// so that a larger value is always worse; see online_detector.hpp).
//
// The model is a robust bulk plus every outlier kept as its own small component:
//  * bulk: from 10 values on, the values within 3.5 normalised MADs of the median (the
//    modified z-score rule of Iglewicz & Hoaglin 1993); below 10 values, where a MAD is too
//    unstable, every value except a lone wild run found by Dixon's Q test at 99 % (the gap of
//    the most extreme value to its neighbour over the range; Dean & Dixon 1951). The bulk is
//    summarised by its mean and standard deviation; a new run is judged with its Student t
//    predictive distribution.
//    So one wild run moves neither the centre nor the scale, however short the baseline.
//  * outliers are not thrown away: each becomes a narrow normal kernel with weight 1/n. A run
//    that lands where earlier outliers landed is then not surprising. This one rule covers
//    rare slow runs (one kernel, negligible weight), a second machine type in the CI pool
//    (a cluster of kernels with the weight of its share of runs), and spikes.
//  * outliers that recur close together (at least two runs, linked when neighbours differ by
//    less than 3.5 standard deviations of a difference of two runs) form a mode: a second
//    machine type, with its own centre and weight (components()). A lone outlier is a
//    property of one run and is no mode.
// When every baseline value is identical the metric is deterministic (instruction counts,
// bytes) and the check compares exactly instead (exact() == true).

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace perftrack::reports::detect {

class BaselineModel {
  public:
    // `values`: the baseline in commit order; the last `level_count` of them measured the current
    // level (the others were borrowed from before a step and shifted, so they describe the shape of
    // the noise but not the level). nullopt when there are fewer than 2 bulk values and the values
    // are not all identical.
    static std::optional<BaselineModel> fit(std::span<const double> values,
                                            std::size_t level_count);

    bool exact() const { return m_exact; }
    double centre() const { return m_mu; }  // bulk mean
    double scale() const { return m_sd; }   // bulk standard deviation (> 0 unless exact)
    double degrees_of_freedom() const { return m_df; }
    std::size_t size() const { return m_n; }
    std::size_t level_count() const { return m_level; }
    const std::vector<double>& outliers() const { return m_outliers; }

    // Where runs land when nothing changed: the bulk first, then every recurring mode, each with
    // its centre, its share of the non-lone runs (the weights sum to 1) and its run count.
    struct Component {
        double centre = 0;
        double weight = 1;
        std::size_t runs = 0;
    };
    const std::vector<Component>& components() const { return m_components; }
    // Outliers that belong to no mode: one-off wild runs.
    std::size_t lone_outliers() const { return m_lone; }

    // How unusual one new run y is in direction `sign` (+1: larger): the bulk's one-sided
    // predictive tail, plus for each outlier kernel its two-sided tail around itself (y is
    // explained by an outlier only when it lands near it). In [0, 1].
    double tail(double y, int sign) const;
    // The same as a standard normal deviate (large = surprising in direction `sign`).
    double z(double y, int sign) const;
    double log_density(double y) const;
    // Correlation of the z of two new runs through the shared estimate of the level.
    double level_correlation() const { return 1.0 / (m_level_effective + 1.0); }
    // How many independent values the bulk's centre is worth (the level's commits, fewer when
    // they are autocorrelated): its standard error is scale() / sqrt(level_effective()).
    double level_effective() const { return m_level_effective; }
    // Lag-1 autocorrelation of consecutive values (0 for independent runs; values must be
    // given in commit order). Runs of commits d apart correlate by about phi^d.
    double autocorrelation() const { return m_autocorrelation; }

  private:
    void find_modes();

    bool m_exact = false;
    double m_mu = 0, m_sd = 0, m_df = 0, m_predictive_sd = 0, m_kernel_sd = 0;
    std::size_t m_n = 0, m_in = 0, m_level = 0;
    std::vector<double> m_outliers;
    std::vector<Component> m_components;
    std::size_t m_lone = 0;
    double m_log_t_norm = 0;  // log of the Student t density's constant
    double m_autocorrelation = 0;
    double m_level_effective = 1;
};

// Shift `delta` that best aligns `level_values` (the few runs since a step) with `reference`
// (the model of the runs before it): the maximum-likelihood shift among "each new run sits on
// the bulk" and "each new run sits on one of the old outliers", then averaged over the new runs
// that sit on the bulk. With a second machine type among the old runs this finds the shift even
// when the new runs happen to be on the other machine.
double align_shift(const BaselineModel& reference, std::span<const double> level_values);

}  // namespace perftrack::reports::detect
