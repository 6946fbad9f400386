#pragma once
// Two-sample t-tests (scipy.stats.ttest_ind with equal_var=True / False). The statistic is for
// mean(x) - mean(y); the interval is for that difference.
//
// Input errors: fewer than 2 values in a sample, NaN or infinite values, a confidence outside
// (0, 1). Both samples constant: t = 0 and p = 1 when the means are equal, t = +-inf and p = 0
// when they differ (scipy returns NaN for both).

#include <span>

#include "core/error.hpp"
#include "reports/stats/common.hpp"

namespace perftrack::reports::stats {

struct TTestResult {
    double t = 0;
    double df = 0;
    double p_value = 1;
    double difference = 0;  // mean(x) - mean(y)
    double ci_low = 0;      // confidence interval of the difference (two-sided)
    double ci_high = 0;
};

// Student's t-test with pooled variance, df = n1 + n2 - 2.
core::Result<TTestResult> student_t_test(std::span<const double> x, std::span<const double> y,
                                         Alternative alternative = Alternative::two_sided,
                                         double confidence = 0.95);

// Welch's t-test (unequal variances), Welch-Satterthwaite degrees of freedom.
core::Result<TTestResult> welch_t_test(std::span<const double> x, std::span<const double> y,
                                       Alternative alternative = Alternative::two_sided,
                                       double confidence = 0.95);

}  // namespace perftrack::reports::stats
