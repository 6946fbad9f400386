#pragma once
// HTTP settings that keep the alert tests fast: short timeouts and retry waits.

#include "alerts/http_client.hpp"

namespace perftrack::alerts::test {

inline HttpSettings fast_http(int attempts = 3) {
    HttpSettings s;
    s.connect_timeout = Milliseconds(1000);
    s.total_timeout = Milliseconds(2000);
    s.retry.max_attempts = attempts;
    s.retry.initial_backoff = Milliseconds(20);
    s.retry.max_backoff = Milliseconds(80);
    s.retry.max_retry_after = Milliseconds(3000);
    s.retry.deadline = Milliseconds(10000);
    return s;
}

}  // namespace perftrack::alerts::test
