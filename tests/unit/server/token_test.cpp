#include "server/token.hpp"

#include <set>

#include <gtest/gtest.h>

#include "server/rate_limiter.hpp"

namespace perftrack::server {
namespace {

TEST(Token, IsRandomHexWithPrefixAndHashesToSha256) {
    const auto a = generate_token();
    const auto b = generate_token();
    EXPECT_NE(a, b);
    EXPECT_EQ(a.size(), 4u + 64u);
    EXPECT_EQ(a.rfind("ptk_", 0), 0u);
    EXPECT_EQ(token_prefix(a), a.substr(0, 12));
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    EXPECT_EQ(token_hash_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_TRUE(same_hash(token_hash_hex(a), token_hash_hex(a)));
    EXPECT_FALSE(same_hash(token_hash_hex(a), token_hash_hex(b)));
    EXPECT_FALSE(same_hash("ab", "abc"));
}

TEST(RateLimiter, AllowsTheBurstThenAsksToWaitPerKey) {
    RateLimiter limiter(2, 3);
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.acquire("a", t0));
    const auto wait = limiter.acquire("a", t0);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 1);
    EXPECT_FALSE(limiter.acquire("b", t0));  // another key has its own bucket
    EXPECT_FALSE(limiter.acquire("a", t0 + std::chrono::milliseconds(600)));
    RateLimiter off(0, 1);
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(off.acquire("a", t0));
}

}  // namespace
}  // namespace perftrack::server
