#pragma once
// Token-bucket rate limiting per key (a token's hash, or a client address for requests without
// a token): `rate` requests per second sustained, bursts of `burst`. Thread-safe.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace perftrack::server {

class RateLimiter {
  public:
    // rate <= 0 turns limiting off.
    RateLimiter(double rate_per_second, double burst);

    // Takes one request from the key's bucket. nullopt: allowed; else the whole seconds to wait
    // (Retry-After, at least 1).
    std::optional<int> acquire(const std::string& key, std::chrono::steady_clock::time_point now =
                                                           std::chrono::steady_clock::now());

  private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point updated;
    };
    double m_rate;
    double m_burst;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
    std::chrono::steady_clock::time_point m_last_sweep{};
};

}  // namespace perftrack::server
