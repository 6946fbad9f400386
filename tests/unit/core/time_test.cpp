#include "core/time.hpp"

#include <gtest/gtest.h>

namespace perftrack::core {
namespace {

TEST(Iso8601, ParsesCommonForms) {
    EXPECT_EQ(parse_iso8601_us("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_iso8601_us("2024-05-01T12:30:00Z"), 1714566600LL * 1000000);
    EXPECT_EQ(parse_iso8601_us("2024-05-01T14:30:00+02:00"), 1714566600LL * 1000000);
    EXPECT_EQ(parse_iso8601_us("2024-05-01 14:30:00+0200"), 1714566600LL * 1000000);
    EXPECT_EQ(parse_iso8601_us("2024-05-01T12:30:00.25Z"), 1714566600LL * 1000000 + 250000);
    EXPECT_EQ(parse_iso8601_us("2024-05-01T12:30"), 1714566600LL * 1000000);
    EXPECT_EQ(parse_iso8601_us("2024-05-01"), 1714521600LL * 1000000);
}

TEST(Iso8601, RejectsNonsense) {
    for (const char* bad : {"", "yesterday", "2024-13-01", "2024-02-30", "2024-05-01T25:00:00Z",
                            "2024-05-01T12:30:00+", "2024-05-01T12:30:00Zjunk", "1714566600"})
        EXPECT_FALSE(parse_iso8601_us(bad)) << bad;
}

TEST(Iso8601, FormatsUtc) {
    EXPECT_EQ(format_iso8601_utc(1714566600LL * 1000000), "2024-05-01T12:30:00Z");
    EXPECT_EQ(format_iso8601_utc(1714566600LL * 1000000 + 250000), "2024-05-01T12:30:00.250000Z");
    EXPECT_EQ(format_iso8601_utc(-1000000), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace perftrack::core
