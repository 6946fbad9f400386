#include "reports/render/units_format.hpp"

#include <cmath>
#include <limits>
#include <locale>

#include <gtest/gtest.h>

namespace perftrack::reports::render {
namespace {

TEST(DisplayScale, TimeUnitsPickTheLargestUnitBelowTheMagnitude) {
    EXPECT_EQ(display_scale("ns", 950).unit, "ns");
    EXPECT_EQ(display_scale("ns", 1000).unit, "\xC2\xB5s");
    EXPECT_DOUBLE_EQ(display_scale("ns", 1000).divisor, 1000);
    EXPECT_EQ(display_scale("ns", 2.5e6).unit, "ms");
    EXPECT_EQ(display_scale("ns", 3e9).unit, "s");
    EXPECT_EQ(display_scale("ns", 7e12).unit, "s");  // no minutes: seconds stay comparable
    // Values already in ms: 0.5 ms shows as µs, the divisor converts from the series' unit.
    const auto s = display_scale("ms", 0.5);
    EXPECT_EQ(s.unit, "\xC2\xB5s");
    EXPECT_DOUBLE_EQ(s.divisor, 1e-3);
    EXPECT_EQ(display_scale("us", 1500).unit, "ms");
    EXPECT_EQ(display_scale("ps", 10).unit, "ns");
}

TEST(DisplayScale, BytesUseBinaryPrefixes) {
    EXPECT_EQ(display_scale("B", 1000).unit, "B");
    EXPECT_EQ(display_scale("B", 1024).unit, "KiB");
    EXPECT_EQ(display_scale("bytes", 5.0 * 1024 * 1024).unit, "MiB");
    EXPECT_EQ(display_scale("B", 3.0 * 1024 * 1024 * 1024).unit, "GiB");
    EXPECT_EQ(display_scale("KiB", 2048).unit, "MiB");
    EXPECT_DOUBLE_EQ(display_scale("KiB", 2048).divisor, 1024);
}

TEST(DisplayScale, RatesAndCountsGetSiPrefixesFromTenThousand) {
    EXPECT_EQ(display_scale("items/s", 9999).unit, "items/s");
    EXPECT_EQ(display_scale("items/s", 45600).unit, "k items/s");
    EXPECT_EQ(display_scale("items/s", 4.56e6).unit, "M items/s");
    EXPECT_DOUBLE_EQ(display_scale("items/s", 4.56e6).divisor, 1e6);
    EXPECT_EQ(display_scale("ops/s", 2e9).unit, "G ops/s");
    EXPECT_EQ(display_scale("bytes/s", 3.0 * 1024 * 1024).unit, "MiB/s");
    EXPECT_EQ(display_scale("instructions", 1.2e10).unit, "G instructions");
    EXPECT_EQ(display_scale("", 2e6).unit, "M");
}

TEST(DisplayScale, RatiosAndDegenerateMagnitudesKeepTheUnit) {
    EXPECT_EQ(display_scale("%", 1e6).unit, "%");
    EXPECT_EQ(display_scale("x", 1e5).unit, "x");
    EXPECT_EQ(display_scale("ns", 0).unit, "ns");
    EXPECT_EQ(display_scale("ns", std::numeric_limits<double>::quiet_NaN()).unit, "ns");
    EXPECT_EQ(display_scale("ms", std::numeric_limits<double>::infinity()).unit, "ms");
}

TEST(FormatNumber, SignificantDigitsWithoutExponent) {
    EXPECT_EQ(format_number(1.23456), "1.23");
    EXPECT_EQ(format_number(12.3456), "12.3");
    EXPECT_EQ(format_number(123.456), "123");
    EXPECT_EQ(format_number(12345.6), "12346");  // digits before the point are kept
    EXPECT_EQ(format_number(0.00123456), "0.00123");
    EXPECT_EQ(format_number(1.2, 3), "1.20");
    EXPECT_EQ(format_number(-4.5678), "-4.57");
    EXPECT_EQ(format_number(0), "0");
    EXPECT_EQ(format_number(1.23456, 5), "1.2346");
    EXPECT_EQ(format_number(7.0, 0), "7");  // at least one digit
}

TEST(FormatNumber, RoundingThatCarriesIntoANewDigit) {
    EXPECT_EQ(format_number(9.996), "10.0");
    EXPECT_EQ(format_number(99.96), "100");
    EXPECT_EQ(format_number(0.09996), "0.100");
}

TEST(FormatNumber, NonFiniteAndNegativeZero) {
    EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "nan");
    EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "inf");
    EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-inf");
    EXPECT_EQ(format_number(-0.0), "0");
}

TEST(FormatValue, ScalesByItsOwnMagnitude) {
    EXPECT_EQ(format_value(1234567, "ns"), "1.23 ms");
    EXPECT_EQ(format_value(999, "ns"), "999 ns");
    EXPECT_EQ(format_value(1536, "B"), "1.50 KiB");
    EXPECT_EQ(format_value(4.56e6, "items/s"), "4.56 M items/s");
    EXPECT_EQ(format_value(12.5, "%"), "12.5%");
    EXPECT_EQ(format_value(42, ""), "42.0");
    EXPECT_EQ(format_value(3.5, "ms"), "3.50 ms");
}

TEST(FormatChangePct, SignedWithOneDecimalBelowAHundredPercent) {
    EXPECT_EQ(format_change_pct(0.123), "+12.3%");
    EXPECT_EQ(format_change_pct(-0.04), "-4.0%");
    EXPECT_EQ(format_change_pct(0), "0.0%");
    EXPECT_EQ(format_change_pct(-0.00001), "0.0%");
    EXPECT_EQ(format_change_pct(2.5), "+250%");
    EXPECT_EQ(format_change_pct(std::numeric_limits<double>::quiet_NaN()), "n/a");
}

TEST(FormatProbability, FixedDecimalsAndAFloor) {
    EXPECT_EQ(format_probability(0.034), "0.034");
    EXPECT_EQ(format_probability(0.0012), "0.0012");
    EXPECT_EQ(format_probability(0.00001), "<0.0001");
    EXPECT_EQ(format_probability(1.0), "1.000");
    EXPECT_EQ(format_probability(std::numeric_limits<double>::infinity()), "n/a");
}

// A global C++ locale with a decimal comma and digit grouping must not leak into reports.
struct CommaDecimal : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
};

TEST(FormatNumber, IgnoresTheGlobalLocale) {
    const std::locale previous =
        std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
    const std::string number = format_number(12345.678, 7);
    const std::string value = format_value(1234567, "ns");
    const std::string pct = format_change_pct(0.1234);
    std::locale::global(previous);
    EXPECT_EQ(number, "12345.68");
    EXPECT_EQ(value, "1.23 ms");
    EXPECT_EQ(pct, "+12.3%");
}

}  // namespace
}  // namespace perftrack::reports::render
