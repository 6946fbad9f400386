#include "server/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace perftrack::server {

namespace {
// Full buckets are forgotten once a minute, so many one-off client addresses cannot grow the
// map without bound (a full bucket is what a new key gets anyway).
constexpr std::chrono::seconds k_sweep_interval{60};
}  // namespace

RateLimiter::RateLimiter(double rate_per_second, double burst)
    : m_rate(rate_per_second), m_burst(std::max(1.0, burst)) {}

std::optional<int> RateLimiter::acquire(const std::string& key,
                                        std::chrono::steady_clock::time_point now) {
    if (m_rate <= 0) return std::nullopt;
    const std::lock_guard lock(m_mutex);
    const auto refill = [&](Bucket& b) {
        const double elapsed = std::chrono::duration<double>(now - b.updated).count();
        b.tokens = std::min(m_burst, b.tokens + std::max(0.0, elapsed) * m_rate);
        b.updated = now;
    };
    if (now - m_last_sweep > k_sweep_interval) {
        for (auto it = m_buckets.begin(); it != m_buckets.end();) {
            refill(it->second);
            it = it->second.tokens >= m_burst ? m_buckets.erase(it) : std::next(it);
        }
        m_last_sweep = now;
    }
    auto [it, fresh] = m_buckets.try_emplace(key, Bucket{m_burst, now});
    Bucket& b = it->second;
    if (!fresh) refill(b);
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return std::nullopt;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / m_rate)));
}

}  // namespace perftrack::server
