#include "core/time.hpp"

#include <vector>

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

TEST(Iso8601, GregorianLeapYears) {
    EXPECT_TRUE(parse_iso8601_us("2024-02-29"));
    EXPECT_TRUE(parse_iso8601_us("2000-02-29"));
    EXPECT_FALSE(parse_iso8601_us("2023-02-29"));
    EXPECT_FALSE(parse_iso8601_us("1900-02-29"));
    EXPECT_EQ(parse_iso8601_us("2000-03-01T00:00:00Z"), 951868800LL * 1000000);
}

TEST(Iso8601, FractionsAndOffsets) {
    EXPECT_EQ(parse_iso8601_us("2024-05-01T12:30:00.123456789Z"),
              1714566600LL * 1000000 + 123456);  // beyond microseconds is dropped
    EXPECT_EQ(parse_iso8601_us("2024-05-01T12:30:00,5Z"), 1714566600LL * 1000000 + 500000);
    EXPECT_EQ(parse_iso8601_us("2024-05-01T07:00:00-05:30"), 1714566600LL * 1000000);
    EXPECT_EQ(parse_iso8601_us("2024-05-01T14:30:00+02"), 1714566600LL * 1000000);
    EXPECT_FALSE(parse_iso8601_us("2024-05-01T12:30:00."));
    EXPECT_FALSE(parse_iso8601_us("2024-05-01T12:30:00+24:00"));
}

TEST(Iso8601, FormatThenParseIsTheIdentity) {
    const std::vector<std::int64_t> cases = {0,
                                             1,
                                             -1,
                                             951782400LL * 1000000 + 999999,
                                             -30610224000LL * 1000000 /* 1000-01-01 */,
                                             253402300799LL * 1000000 /* 9999-12-31 */,
                                             1714566600LL * 1000000 + 250000};
    for (const std::int64_t us : cases) {
        const std::string text = format_iso8601_utc(us);
        EXPECT_EQ(parse_iso8601_us(text), us) << text;
    }
    EXPECT_EQ(format_iso8601_utc(-30610224000LL * 1000000), "1000-01-01T00:00:00Z");
    EXPECT_EQ(format_iso8601_utc(-30610224000LL * 1000000 - 86400LL * 1000000),
              "0999-12-31T00:00:00Z");
}

TEST(Iso8601, FormatsUtc) {
    EXPECT_EQ(format_iso8601_utc(1714566600LL * 1000000), "2024-05-01T12:30:00Z");
    EXPECT_EQ(format_iso8601_utc(1714566600LL * 1000000 + 250000), "2024-05-01T12:30:00.250000Z");
    EXPECT_EQ(format_iso8601_utc(-1000000), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace perftrack::core
