// The COPY text and float8[] codec of store/pg: exact round trips of every double, and hostile
// text (tabs, backslashes, newlines, NUL, invalid UTF-8, huge arrays) parsed as PostgreSQL
// writes it.
#include "store/pg/copy_text.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace perftrack::store::pg {
namespace {

// "{1.5,2,3e-07}": the shortest round-trip form of each value, as PostgreSQL prints float8[]
// (ingest itself sends samples by binary COPY now, so only these tests write the literal).
std::string float_array_literal(const std::vector<double>& values) {
    fmt::memory_buffer buf;
    buf.push_back('{');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) buf.push_back(',');
        fmt::format_to(std::back_inserter(buf), "{}", values[i]);
    }
    buf.push_back('}');
    return fmt::to_string(buf);
}

std::uint64_t bits(double v) {
    std::uint64_t b = 0;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

void expect_same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        ASSERT_EQ(bits(a[i]), bits(b[i])) << i << ": " << a[i];
}

TEST(FloatArray, EveryFiniteDoubleRoundTripsBitForBit) {
    std::vector<double> values = {0.0,
                                  -0.0,
                                  1.0,
                                  -1.5,
                                  0.1,
                                  1e-300,
                                  std::numeric_limits<double>::min(),
                                  std::numeric_limits<double>::denorm_min(),
                                  std::numeric_limits<double>::max(),
                                  std::numeric_limits<double>::lowest(),
                                  std::numeric_limits<double>::epsilon(),
                                  123456789.123456789,
                                  3e-07};
    std::mt19937_64 rng(20240501);
    while (values.size() < 100000) {
        // Random bit patterns cover every exponent; skip the non-finite ones.
        const std::uint64_t b = rng();
        double v = 0;
        std::memcpy(&v, &b, sizeof v);
        if (std::isfinite(v)) values.push_back(v);
    }
    const std::string literal = float_array_literal(values);
    std::vector<double> back;
    ASSERT_TRUE(parse_float_array(literal, back));
    expect_same_bits(values, back);
}

TEST(FloatArray, ShortestFormAndEmpty) {
    EXPECT_EQ(float_array_literal({1.5, 2, 3e-07}), "{1.5,2,3e-07}");
    EXPECT_EQ(float_array_literal({}), "{}");
    std::vector<double> out{1.0};
    ASSERT_TRUE(parse_float_array("{}", out));
    EXPECT_TRUE(out.empty());
}

TEST(FloatArray, ParsesPostgresSpecialValues) {
    std::vector<double> out;
    ASSERT_TRUE(parse_float_array("{NaN,Infinity,-Infinity,-0,1e308}", out));
    ASSERT_EQ(out.size(), 5u);
    EXPECT_TRUE(std::isnan(out[0]));
    EXPECT_EQ(out[1], std::numeric_limits<double>::infinity());
    EXPECT_EQ(out[2], -std::numeric_limits<double>::infinity());
    EXPECT_EQ(bits(out[3]), bits(-0.0));
    EXPECT_EQ(out[4], 1e308);
}

TEST(FloatArray, RefusesMalformedText) {
    std::vector<double> out;
    for (const char* bad : {"", "{", "}", "1,2", "{1,2", "1,2}", "{1,,2}", "{,}", "{a}", "{1 ,2}",
                            "{{1}}", "{1e999}", "{0x10}", "{1}\n", "{NULL}", "{1,2}x"})
        EXPECT_FALSE(parse_float_array(bad, out)) << bad;
    std::string with_nul = "{1,2}";
    with_nul.insert(2, 1, '\0');
    EXPECT_FALSE(parse_float_array(with_nul, out));
}

TEST(FloatArray, HugeArrays) {
    std::vector<double> values(2'000'000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i) / 7.0;
    std::vector<double> back;
    ASSERT_TRUE(parse_float_array(float_array_literal(values), back));
    expect_same_bits(values, back);
}

TEST(CopyLine, SplitsAtTabsAndUndoesEscapes) {
    std::vector<std::string> f;
    split_copy_line("a\tb\\tc\t\\\\d\\n\te", f);
    EXPECT_EQ(f, (std::vector<std::string>{"a", "b\tc", "\\d\n", "e"}));
    split_copy_line("\\r\\b\\f\\v", f);
    EXPECT_EQ(f, (std::vector<std::string>{"\r\b\f\v"}));
    split_copy_line("", f);
    EXPECT_EQ(f, (std::vector<std::string>{""}));
    split_copy_line("\t", f);
    EXPECT_EQ(f, (std::vector<std::string>{"", ""}));
}

TEST(CopyLine, NullIsEmptyAndOtherEscapesKeepTheCharacter) {
    std::vector<std::string> f;
    split_copy_line("\\N\tx\\N", f);
    EXPECT_EQ(f, (std::vector<std::string>{"", "x"}));
    // COPY writes only the escapes above; any other escaped character stands for itself.
    split_copy_line("\\a\\'\\\"", f);
    EXPECT_EQ(f, (std::vector<std::string>{"a'\""}));
    // A backslash at the very end has nothing to escape and is kept.
    split_copy_line("x\\", f);
    EXPECT_EQ(f, (std::vector<std::string>{"x\\"}));
}

TEST(CopyLine, BytesPassThroughUntouched) {
    // Invalid UTF-8, a NUL and high bytes are not COPY's business: they come back as they were.
    std::string line = "\xff\xfe\tna\xC3\x28me";
    line += '\0';
    line += "\x80";
    std::vector<std::string> f;
    split_copy_line(line, f);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0], "\xff\xfe");
    EXPECT_EQ(f[1], std::string("na\xC3\x28me") + '\0' + "\x80");
}

TEST(CopyLine, ManyFields) {
    std::string line;
    for (int i = 0; i < 100000; ++i) line += (i > 0 ? "\t" : "") + std::to_string(i) + "\\\\";
    std::vector<std::string> f;
    split_copy_line(line, f);
    ASSERT_EQ(f.size(), 100000u);
    EXPECT_EQ(f[99999], "99999\\");
}

}  // namespace
}  // namespace perftrack::store::pg
