#include "reports/stats/ranks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace perftrack::reports::stats {

namespace {
__extension__ typedef __int128 int128;  // GCC/Clang builtin; pedantic-clean via __extension__
}  // namespace

std::vector<double> average_ranks(std::span<const double> x) {
    const std::size_t n = x.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> ranks(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && x[order[j]] == x[order[i]]) ++j;
        // Positions i..j-1 (0-based) hold ranks i+1..j: their mean.
        const double r = 0.5 * static_cast<double>(i + 1 + j);
        for (std::size_t k = i; k < j; ++k) ranks[order[k]] = r;
        i = j;
    }
    return ranks;
}

double tie_term(std::span<const double> x) {
    std::vector<double> s(x.begin(), x.end());
    std::sort(s.begin(), s.end());
    double term = 0.0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t j = i + 1;
        while (j < s.size() && s[j] == s[i]) ++j;
        const auto t = static_cast<double>(j - i);
        term += t * t * t - t;
        i = j;
    }
    return term;
}

std::optional<std::vector<double>> mann_whitney_null_pmf(std::size_t n1, std::size_t n2) {
    // The number of arrangements with U = u is the coefficient of q^u in the Gaussian binomial
    // [n1+n2 choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), m = min, n = max (Mann &
    // Whitney 1947; Andrews, "The Theory of Partitions", 3.3). Every partial product is itself
    // a Gaussian binomial, so the integer division is exact.
    const std::size_t m = std::min(n1, n2), n = std::max(n1, n2);
    // C(n+m, m) must fit in 127 bits with room for the intermediate doubling.
    long double total = 1.0L;
    for (std::size_t i = 1; i <= m; ++i)
        total = total * static_cast<long double>(n + i) / static_cast<long double>(i);
    if (total > 1e37L) return std::nullopt;
    std::vector<int128> c(m * n + m + 1, 0);  // room for the multiplied intermediate
    c[0] = 1;
    std::size_t degree = 0;
    for (std::size_t i = 1; i <= m; ++i) {
        // Multiply by (1 - q^(n+i)).
        const std::size_t shift = n + i;
        const std::size_t new_degree = degree + shift;
        for (std::size_t k = new_degree + 1; k-- > shift;)
            if (k - shift <= degree) c[k] -= c[k - shift];
        // Divide by (1 - q^i): b[k] = a[k] + b[k - i].
        degree = new_degree - i;
        for (std::size_t k = i; k <= degree; ++k) c[k] += c[k - i];
        for (std::size_t k = degree + 1; k <= new_degree; ++k) c[k] = 0;
    }
    c.resize(m * n + 1);
    int128 sum = 0;
    for (const auto& v : c) sum += v;
    std::vector<double> pmf(c.size());
    for (std::size_t k = 0; k < c.size(); ++k)
        pmf[k] =
            static_cast<double>(static_cast<long double>(c[k]) / static_cast<long double>(sum));
    return pmf;
}

std::vector<double> signed_rank_null_pmf(std::size_t n) {
    // Subset sums of {1..n}: counts[s] = number of subsets with sum s (at most 2^n, exact in
    // 64 bits for n <= 62).
    const std::size_t max_sum = n * (n + 1) / 2;
    std::vector<std::uint64_t> counts(max_sum + 1, 0);
    counts[0] = 1;
    for (std::size_t r = 1; r <= n; ++r)
        for (std::size_t s = r * (r + 1) / 2 + 1; s-- > r;) counts[s] += counts[s - r];
    const long double total = std::ldexp(1.0L, static_cast<int>(n));
    std::vector<double> pmf(max_sum + 1);
    for (std::size_t s = 0; s <= max_sum; ++s)
        pmf[s] = static_cast<double>(static_cast<long double>(counts[s]) / total);
    return pmf;
}

}  // namespace perftrack::reports::stats
