#pragma once
// When and how long to wait before trying a delivery again: exponential backoff with jitter
// for network errors and overloaded servers, and the server's own Retry-After when it gives one.
// Pure functions: the HTTP client (http_client.cpp) does the waiting.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace perftrack::alerts {

using Milliseconds = std::chrono::milliseconds;

// A webhook that is down for more than a few seconds is rarely back within a CI job: a handful of
// attempts spread over ~10 s catches brief outages without holding the job up for long.
inline constexpr int k_default_max_attempts = 4;
inline constexpr Milliseconds k_default_initial_backoff{500};
inline constexpr Milliseconds k_default_max_backoff{8000};
// A Retry-After longer than this is not waited for: the delivery fails (and is recorded for a
// later retry) instead of stalling CI for minutes.
inline constexpr Milliseconds k_default_max_retry_after{30000};
// Everything one delivery may take, attempts and waits together.
inline constexpr Milliseconds k_default_delivery_deadline{60000};

struct RetryPolicy {
    int max_attempts = k_default_max_attempts;  // >= 1; 1 means no retry
    Milliseconds initial_backoff = k_default_initial_backoff;
    Milliseconds max_backoff = k_default_max_backoff;
    Milliseconds max_retry_after = k_default_max_retry_after;
    Milliseconds deadline = k_default_delivery_deadline;
};

// The wait before attempt `next_attempt` (2 for the first retry, 3 for the second, ...):
// initial_backoff * 2^(next_attempt - 2), capped at max_backoff, then "equal jitter": a uniform
// draw in [d/2, d] (`unit` is that draw's position in [0, 1)). Half the delay is kept so retries
// never collapse to zero; the random half spreads many CI jobs hitting one webhook at once
// (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
Milliseconds backoff_delay(int next_attempt, const RetryPolicy& policy, double unit);

// Parses a Retry-After header value: delta-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", RFC 9110 section 10.2.3), relative to `now_epoch_s`.
// A date in the past gives zero. Returns nullopt for anything else.
std::optional<Milliseconds> parse_retry_after(std::string_view value, std::int64_t now_epoch_s);

// Responses worth another attempt: 429 (rate limited) and 5xx (the server's trouble, often
// brief), and 403 when it carries Retry-After (GitHub's secondary rate limit answers so). Other
// 4xx mean the request itself is wrong and would fail again.
bool retryable_response(long status, bool has_retry_after);

}  // namespace perftrack::alerts
