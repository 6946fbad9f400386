#include "alerts/retry_policy.hpp"

#include <gtest/gtest.h>

namespace perftrack::alerts {
namespace {

TEST(BackoffDelay, DoublesFromTheInitialWaitUpToTheCapWithEqualJitter) {
    RetryPolicy p;
    p.initial_backoff = Milliseconds(100);
    p.max_backoff = Milliseconds(1000);
    // Lower end of the jitter range: half the nominal delay; upper end: all of it.
    EXPECT_EQ(backoff_delay(2, p, 0.0).count(), 50);
    EXPECT_EQ(backoff_delay(2, p, 1.0).count(), 100);
    EXPECT_EQ(backoff_delay(3, p, 0.0).count(), 100);
    EXPECT_EQ(backoff_delay(3, p, 1.0).count(), 200);
    EXPECT_EQ(backoff_delay(4, p, 1.0).count(), 400);
    EXPECT_EQ(backoff_delay(5, p, 1.0).count(), 800);
    EXPECT_EQ(backoff_delay(6, p, 1.0).count(), 1000);  // capped
    EXPECT_EQ(backoff_delay(60, p, 0.5).count(), 750);  // no overflow far out
    EXPECT_EQ(backoff_delay(3, p, 0.5).count(), 150);
}

TEST(BackoffDelay, JitterOutsideTheUnitIntervalIsClamped) {
    RetryPolicy p;
    p.initial_backoff = Milliseconds(100);
    EXPECT_EQ(backoff_delay(2, p, -3.0).count(), 50);
    EXPECT_EQ(backoff_delay(2, p, 7.0).count(), 100);
}

TEST(RetryAfter, ParsesDeltaSecondsAndHttpDates) {
    const std::int64_t now = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
    EXPECT_EQ(parse_retry_after("120", now), Milliseconds(120000));
    EXPECT_EQ(parse_retry_after(" 0 ", now), Milliseconds(0));
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Milliseconds(30000));
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Milliseconds(0));  // past
    EXPECT_FALSE(parse_retry_after("", now));
    EXPECT_FALSE(parse_retry_after("-5", now));
    EXPECT_FALSE(parse_retry_after("1.5", now));
    EXPECT_FALSE(parse_retry_after("soon", now));
    EXPECT_FALSE(parse_retry_after("21st of October", now));
    // The obsolete date forms recipients should accept (RFC 9110 5.6.7).
    EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:28:30 GMT", now), Milliseconds(30000));
    EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:30 2015", now), Milliseconds(30000));
}

TEST(RetryableResponse, OnlyRateLimitsAndServerErrors) {
    EXPECT_TRUE(retryable_response(429, false));
    EXPECT_TRUE(retryable_response(500, false));
    EXPECT_TRUE(retryable_response(503, true));
    EXPECT_FALSE(retryable_response(400, false));
    EXPECT_FALSE(retryable_response(404, true));
    EXPECT_FALSE(retryable_response(403, false));
    EXPECT_TRUE(retryable_response(403, true));  // GitHub's secondary rate limit
}

}  // namespace
}  // namespace perftrack::alerts
