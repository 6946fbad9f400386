#include "reports/stats/descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "reports/stats/common.hpp"

namespace perftrack::reports::stats {

namespace {

double sum_of(std::span<const double> x) {
    // Kahan summation keeps the mean of long, nearly constant samples exact to the last bit.
    double sum = 0.0, carry = 0.0;
    for (double v : x) {
        const double y = v - carry;
        const double t = sum + y;
        carry = (t - sum) - y;
        sum = t;
    }
    return sum;
}

double sorted_median(const std::vector<double>& s) {
    const std::size_t n = s.size();
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

}  // namespace

core::Result<double> mean(std::span<const double> x) {
    if (auto ok = require_values(x, "mean"); !ok) return tl::unexpected(ok.error());
    return sum_of(x) / static_cast<double>(x.size());
}

core::Result<double> variance(std::span<const double> x) {
    if (auto ok = require_values(x, "variance", 2); !ok) return tl::unexpected(ok.error());
    const double m = sum_of(x) / static_cast<double>(x.size());
    double ss = 0.0;
    for (double v : x) ss += (v - m) * (v - m);
    return ss / static_cast<double>(x.size() - 1);
}

core::Result<double> stddev(std::span<const double> x) {
    auto v = variance(x);
    if (!v) return v;
    return std::sqrt(*v);
}

core::Result<double> median(std::span<const double> x) {
    if (auto ok = require_values(x, "median"); !ok) return tl::unexpected(ok.error());
    std::vector<double> s(x.begin(), x.end());
    std::sort(s.begin(), s.end());
    return sorted_median(s);
}

core::Result<double> mad(std::span<const double> x, double scale) {
    if (auto ok = require_values(x, "mad"); !ok) return tl::unexpected(ok.error());
    std::vector<double> s(x.begin(), x.end());
    std::sort(s.begin(), s.end());
    const double med = sorted_median(s);
    for (double& v : s) v = std::fabs(v - med);
    std::sort(s.begin(), s.end());
    return sorted_median(s) * scale;
}

core::Result<double> trimmed_mean_count(std::span<const double> x, std::size_t cut) {
    if (auto ok = require_values(x, "trimmed mean"); !ok) return tl::unexpected(ok.error());
    if (2 * cut >= x.size())
        return core::fail(core::ErrorKind::input, "trimmed mean: cutting " + std::to_string(cut) +
                                                      " values from each end of " +
                                                      std::to_string(x.size()) + " leaves nothing");
    std::vector<double> s(x.begin(), x.end());
    std::sort(s.begin(), s.end());
    return sum_of(std::span<const double>(s).subspan(cut, s.size() - 2 * cut)) /
           static_cast<double>(s.size() - 2 * cut);
}

core::Result<double> trimmed_mean(std::span<const double> x, double proportion) {
    if (!(proportion >= 0.0 && proportion < 0.5))
        return core::fail(
            core::ErrorKind::input,
            "trimmed mean: proportion must be in [0, 0.5), got " + std::to_string(proportion));
    // int(proportion * n) exactly as scipy.stats.trim_mean computes it.
    const auto cut =
        static_cast<std::size_t>(std::floor(proportion * static_cast<double>(x.size())));
    return trimmed_mean_count(x, cut);
}

}  // namespace perftrack::reports::stats
