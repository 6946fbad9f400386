#include "reports/stats/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "reports/stats/common.hpp"

namespace perftrack::reports::stats {

namespace {

constexpr std::size_t k_min_resamples = 100;

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

// numpy.percentile's default ("linear") on sorted values.
double percentile_sorted(const std::vector<double>& s, double q) {
    const double pos = q * static_cast<double>(s.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, s.size() - 1);
    const double frac = pos - static_cast<double>(lo);
    return s[lo] + (s[hi] - s[lo]) * frac;
}

core::Result<void> check_options(const BootstrapOptions& o) {
    if (o.resamples < k_min_resamples)
        return core::fail(core::ErrorKind::input,
                          "bootstrap: needs at least " + std::to_string(k_min_resamples) +
                              " resamples, got " + std::to_string(o.resamples));
    if (!(o.confidence > 0.0 && o.confidence < 1.0))
        return core::fail(core::ErrorKind::input, "bootstrap: confidence must be in (0, 1), got " +
                                                      std::to_string(o.confidence));
    return {};
}

BootstrapInterval finish(double estimate, std::vector<double>& stats, double confidence) {
    std::sort(stats.begin(), stats.end());
    BootstrapInterval r;
    r.estimate = estimate;
    r.ci_low = percentile_sorted(stats, (1.0 - confidence) / 2.0);
    r.ci_high = percentile_sorted(stats, (1.0 + confidence) / 2.0);
    return r;
}

}  // namespace

Xoshiro256::Xoshiro256(std::uint64_t seed) {
    for (auto& s : m_s) s = splitmix64(seed);
}

std::uint64_t Xoshiro256::next() {
    // xoshiro256** 1.0 (Blackman & Vigna 2018).
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

std::uint64_t Xoshiro256::below(std::uint64_t bound) {
    // Lemire, "Fast Random Integer Generation in an Interval" (2019): multiply-shift with
    // rejection of the biased low region.
    __extension__ typedef unsigned __int128 u128;
    u128 m = static_cast<u128>(next()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = static_cast<u128>(next()) * bound;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

core::Result<BootstrapInterval> bootstrap_ci(std::span<const double> x,
                                             const SampleStatistic& statistic,
                                             const BootstrapOptions& options) {
    if (auto ok = check_options(options); !ok) return tl::unexpected(ok.error());
    if (auto ok = require_values(x, "bootstrap sample"); !ok) return tl::unexpected(ok.error());
    Xoshiro256 rng(options.seed);
    std::vector<double> resample(x.size()), stats(options.resamples);
    for (auto& s : stats) {
        for (auto& v : resample) v = x[rng.below(x.size())];
        s = statistic(resample);
    }
    return finish(statistic(x), stats, options.confidence);
}

core::Result<BootstrapInterval> paired_bootstrap_ci(std::span<const double> a,
                                                    std::span<const double> b,
                                                    const PairedStatistic& statistic,
                                                    const BootstrapOptions& options) {
    if (auto ok = check_options(options); !ok) return tl::unexpected(ok.error());
    if (a.size() != b.size())
        return core::fail(core::ErrorKind::input, "paired bootstrap: samples differ in length (" +
                                                      std::to_string(a.size()) + " and " +
                                                      std::to_string(b.size()) + ")");
    if (auto ok = require_values(a, "paired bootstrap a"); !ok) return tl::unexpected(ok.error());
    if (auto ok = require_values(b, "paired bootstrap b"); !ok) return tl::unexpected(ok.error());
    Xoshiro256 rng(options.seed);
    std::vector<double> ra(a.size()), rb(b.size()), stats(options.resamples);
    for (auto& s : stats) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            const auto j = rng.below(a.size());
            ra[i] = a[j];
            rb[i] = b[j];
        }
        s = statistic(ra, rb);
    }
    return finish(statistic(a, b), stats, options.confidence);
}

double relative_change_of_means(std::span<const double> a, std::span<const double> b) {
    double sa = 0.0, sb = 0.0;
    for (double v : a) sa += v;
    for (double v : b) sb += v;
    return (sb / static_cast<double>(b.size())) / (sa / static_cast<double>(a.size())) - 1.0;
}

}  // namespace perftrack::reports::stats
