#include "alerts/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include <curl/curl.h>

namespace perftrack::alerts {

Milliseconds backoff_delay(int next_attempt, const RetryPolicy& policy, double unit) {
    const int retry_index = std::max(0, next_attempt - 2);
    // Doubling stops at the cap; the shift is bounded so it cannot overflow.
    double delay_ms = static_cast<double>(policy.initial_backoff.count());
    for (int i = 0; i < retry_index && delay_ms < static_cast<double>(policy.max_backoff.count());
         ++i)
        delay_ms *= 2;
    delay_ms = std::min(delay_ms, static_cast<double>(policy.max_backoff.count()));
    const double u = std::clamp(unit, 0.0, 1.0);
    return Milliseconds(static_cast<std::int64_t>(delay_ms / 2 + u * delay_ms / 2));
}

std::optional<Milliseconds> parse_retry_after(std::string_view value, std::int64_t now_epoch_s) {
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
        value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
        value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        std::int64_t seconds = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
        // Clamp absurd values; the caller compares with its own limit anyway.
        seconds = std::min<std::int64_t>(seconds, 365LL * 24 * 3600);
        return Milliseconds(seconds * 1000);
    }
    // An HTTP date: IMF-fixdate, or the obsolete RFC 850 and asctime forms recipients should
    // still accept (RFC 9110 section 5.6.7). curl_getdate reads them independent of the locale
    // (strptime's %a and %b follow LC_TIME).
    const std::string text(value);
    const std::int64_t at = ::curl_getdate(text.c_str(), nullptr);
    if (at < 0) return std::nullopt;
    if (at <= now_epoch_s) return Milliseconds(0);
    return Milliseconds((at - now_epoch_s) * 1000);
}

bool retryable_response(long status, bool has_retry_after) {
    return status == 429 || (status >= 500 && status <= 599) || (status == 403 && has_retry_after);
}

}  // namespace perftrack::alerts
