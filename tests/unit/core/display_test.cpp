#include "core/display.hpp"

#include <cmath>
#include <limits>
#include <locale>

#include <gtest/gtest.h>

#include "core/units.hpp"

namespace perftrack::core {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();

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
    EXPECT_EQ(display_scale("ns", 0.25).unit, "ns");  // below the smallest step: ns
}

TEST(DisplayScale, SpelledOutTimeUnitsScaleToo) {
    // asv and hand-written records say "seconds": the same family as "s".
    EXPECT_EQ(display_scale("seconds", 4.739e-05).unit, "\xC2\xB5s");
    EXPECT_DOUBLE_EQ(display_scale("seconds", 4.739e-05).divisor, 1e-6);
    EXPECT_EQ(display_scale("second", 2).unit, "s");
    EXPECT_EQ(display_scale("sec", 0.002).unit, "ms");
    EXPECT_EQ(display_scale("milliseconds", 0.5).unit, "\xC2\xB5s");
    EXPECT_EQ(display_scale("microseconds", 2500).unit, "ms");
    EXPECT_EQ(display_scale("nanoseconds", 12).unit, "ns");
    EXPECT_EQ(display_scale("minutes", 2).unit, "s");
    // Parsers convert only the symbols: a series stored as "seconds" keeps its unit.
    EXPECT_FALSE(ns_per_unit("seconds"));
    EXPECT_EQ(ns_per_time_unit("seconds"), 1e9);
    EXPECT_FALSE(ns_per_time_unit("s/op"));
}

TEST(DisplayScale, BytesUseBinaryPrefixes) {
    EXPECT_EQ(display_scale("B", 1000).unit, "B");
    EXPECT_EQ(display_scale("B", 1024).unit, "KiB");
    EXPECT_EQ(display_scale("bytes", 5.0 * 1024 * 1024).unit, "MiB");
    EXPECT_EQ(display_scale("B", 3.0 * 1024 * 1024 * 1024).unit, "GiB");
    EXPECT_EQ(display_scale("B", 2.0 * 1024 * 1024 * 1024 * 1024).unit, "TiB");
    EXPECT_EQ(display_scale("KiB", 2048).unit, "MiB");
    EXPECT_DOUBLE_EQ(display_scale("KiB", 2048).divisor, 1024);
    EXPECT_EQ(display_scale("MiB", 0.5).unit, "KiB");
}

TEST(DisplayScale, RatesAndCountsGetSiPrefixesFromTenThousand) {
    EXPECT_EQ(display_scale("items/s", 9999).unit, "items/s");
    EXPECT_EQ(display_scale("items/s", 45600).unit, "k items/s");
    EXPECT_EQ(display_scale("items/s", 4.56e6).unit, "M items/s");
    EXPECT_DOUBLE_EQ(display_scale("items/s", 4.56e6).divisor, 1e6);
    EXPECT_EQ(display_scale("ops/s", 2e9).unit, "G ops/s");
    EXPECT_EQ(display_scale("B/s", 1536).unit, "KiB/s");
    EXPECT_EQ(display_scale("bytes/s", 3.0 * 1024 * 1024).unit, "MiB/s");
    EXPECT_EQ(display_scale("instructions", 1.2e10).unit, "G instructions");
    EXPECT_EQ(display_scale("", 2e6).unit, "M");
    EXPECT_EQ(display_scale("", 3e19).unit, "E");
}

TEST(DisplayScale, RatiosAndDegenerateMagnitudesKeepTheUnit) {
    EXPECT_EQ(display_scale("%", 1e6).unit, "%");
    EXPECT_EQ(display_scale("x", 1e5).unit, "x");
    EXPECT_EQ(display_scale("ns", 0).unit, "ns");
    EXPECT_EQ(display_scale("ns", k_nan).unit, "ns");
    EXPECT_EQ(display_scale("ms", k_inf).unit, "ms");
    EXPECT_EQ(display_scale("ns", -2.5e6).unit, "ms");  // by absolute size
}

TEST(SharedScale, TheFirstFiniteValueDecides) {
    EXPECT_EQ(shared_scale("ns", 990, 1020).unit, "ns");  // 990 ns next to 1020 ns
    EXPECT_EQ(shared_scale("ns", k_nan, 1020).unit, "\xC2\xB5s");
    EXPECT_EQ(shared_scale("ns", k_nan, k_nan).unit, "ns");
}

TEST(FormatNumber, SignificantDigitsWithoutExponent) {
    EXPECT_EQ(format_number(1.23456), "1.23");
    EXPECT_EQ(format_number(12.3456), "12.3");
    EXPECT_EQ(format_number(123.456), "123");
    EXPECT_EQ(format_number(12345.6), "12346");  // digits before the point are kept
    EXPECT_EQ(format_number(0.00123456), "0.00123");
    EXPECT_EQ(format_number(1.2e-7), "0.000000120");
    EXPECT_EQ(format_number(1.5e20), "150000000000000000000");
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

TEST(FormatNumber, MissingInfiniteAndNegativeZero) {
    EXPECT_EQ(format_number(k_nan), "n/a");
    EXPECT_EQ(format_number(k_inf), "inf");
    EXPECT_EQ(format_number(-k_inf), "-inf");
    EXPECT_EQ(format_number(-0.0), "0");
    EXPECT_EQ(format_number(-0.0001, 1), "-0.0001");
}

TEST(FormatValue, ScalesByItsOwnMagnitude) {
    EXPECT_EQ(format_value(4.739e-05, "seconds"), "47.4 \xC2\xB5s");  // Django's asv history
    EXPECT_EQ(format_value(0.221, "seconds"), "221 ms");
    EXPECT_EQ(format_value(1234567, "ns"), "1.23 ms");
    EXPECT_EQ(format_value(999, "ns"), "999 ns");
    EXPECT_EQ(format_value(0.25, "ns"), "0.250 ns");
    EXPECT_EQ(format_value(2.5e9, "ns"), "2.50 s");
    EXPECT_EQ(format_value(7.5e5, "us"), "750 ms");
    EXPECT_EQ(format_value(1536, "B"), "1.50 KiB");
    EXPECT_EQ(format_value(3.0 * 1024 * 1024, "B"), "3.00 MiB");
    EXPECT_EQ(format_value(1, "KiB"), "1.00 KiB");
    EXPECT_EQ(format_value(2048, "B/s"), "2.00 KiB/s");
    EXPECT_EQ(format_value(4.56e6, "items/s"), "4.56 M items/s");
    EXPECT_EQ(format_value(1234, "items/s"), "1234 items/s");
    EXPECT_EQ(format_value(12.5, "%"), "12.5%");
    EXPECT_EQ(format_value(42, ""), "42.0");
    EXPECT_EQ(format_value(3.5, "ms"), "3.50 ms");
    EXPECT_EQ(format_value(-2.5e6, "ns"), "-2.50 ms");
    EXPECT_EQ(format_value(0, "ns"), "0 ns");
    EXPECT_EQ(format_value(k_nan, "ns"), "n/a");
    EXPECT_EQ(format_value(k_inf, "ns"), "inf ns");
    EXPECT_EQ(format_value(-k_inf, "B"), "-inf B");
}

TEST(FormatScaled, OneScaleForTwoValues) {
    const auto scale = shared_scale("ns", 47390, 52100);
    EXPECT_EQ(format_scaled(47390, scale), "47.4 \xC2\xB5s");
    EXPECT_EQ(format_scaled(1520000, scale), "1520 \xC2\xB5s");
    EXPECT_EQ(format_scaled(k_nan, scale), "n/a");
}

TEST(FormatChange, SignedPercentOneDecimalBelowAHundred) {
    EXPECT_EQ(format_change(0.123), "+12.3%");
    EXPECT_EQ(format_change(-0.04), "-4.0%");
    EXPECT_EQ(format_change(0.0), "0.0%");
    EXPECT_EQ(format_change(2.5), "+250%");
    EXPECT_EQ(format_change(-0.9996), "-100%");
    EXPECT_EQ(format_change(0.0004999), "+0.050%");  // rounds to one decimal's boundary
    EXPECT_EQ(format_change(0.0009), "+0.1%");
}

TEST(FormatChange, TinyChangesKeepTwoDigits) {
    // One byte in a megabyte.
    EXPECT_EQ(format_change(1.0 / (1024 * 1024)), "+0.000095%");
    EXPECT_EQ(format_change(-0.00001), "-0.0010%");
    EXPECT_EQ(format_change(1.23e-4), "+0.012%");
}

TEST(FormatChange, MissingAndInfinite) {
    EXPECT_EQ(format_change(k_nan), "n/a");
    EXPECT_EQ(format_change(std::optional<double>()), "n/a");
    EXPECT_EQ(format_change(std::optional<double>(0.5)), "+50.0%");
    EXPECT_EQ(format_change(k_inf), "+inf%");
    EXPECT_EQ(format_change(-k_inf), "-inf%");
}

TEST(FormatChangePercent, SameRuleForPercentages) {
    EXPECT_EQ(format_change_percent(12.3), "+12.3%");
    EXPECT_EQ(format_change_percent(-250.0), "-250%");
    EXPECT_EQ(format_change_percent(std::nullopt), "n/a");
    EXPECT_EQ(format_change_percent(k_nan), "n/a");
}

TEST(FormatInterval, BothEndsOrNothing) {
    EXPECT_EQ(format_interval(0.101, 0.149), "[+10.1%, +14.9%]");
    EXPECT_EQ(format_interval(-0.05, 0.0), "[-5.0%, 0.0%]");
    EXPECT_EQ(format_interval(k_nan, 0.1), "n/a");
    EXPECT_EQ(format_interval(0.1, k_nan), "n/a");
    EXPECT_EQ(format_interval(-k_inf, k_inf), "[-inf%, +inf%]");
}

TEST(FormatProbability, FixedDecimalsAndAFloor) {
    EXPECT_EQ(format_probability(0.034), "0.034");
    EXPECT_EQ(format_probability(0.01), "0.010");
    EXPECT_EQ(format_probability(0.0012), "0.0012");
    EXPECT_EQ(format_probability(0.0001), "0.0001");
    EXPECT_EQ(format_probability(0.00001), "<0.0001");
    EXPECT_EQ(format_probability(0.0), "<0.0001");
    EXPECT_EQ(format_probability(1.0), "1.000");
    EXPECT_EQ(format_probability(k_nan), "n/a");
    EXPECT_EQ(format_probability(k_inf), "n/a");
    EXPECT_EQ(format_probability(std::optional<double>()), "n/a");
}

TEST(ShortSha, TwelveCharacters) {
    EXPECT_EQ(short_sha("0123456789abcdef0123456789abcdef01234567"), "0123456789ab");
    EXPECT_EQ(short_sha("v1.2.3"), "v1.2.3");
    EXPECT_EQ(short_sha("release-candidate-2024"), "release-cand");
    EXPECT_EQ(short_sha(""), "");
}

TEST(ParamsText, SortedKeysAndPlainValues) {
    EXPECT_EQ(params_text({{"mode", "compile"}, {"batch_size", 32}, {"framework", "pytorch"}}),
              "batch_size=32, framework=pytorch, mode=compile");
    EXPECT_EQ(params_text(Params::object()), "");
    EXPECT_EQ(params_text({{"lr", 0.5}}), "lr=0.5");
}

TEST(SeriesName, SuiteBenchmarkAndParams) {
    SeriesId id{"", "BM_Sort/1024", Params::object(), "real_time", "ns", Direction::lower};
    EXPECT_EQ(series_name(id), "BM_Sort/1024");
    id.suite = "core";
    id.params = {{"n", 8}, {"algo", "quick"}};
    EXPECT_EQ(series_name(id), "core/BM_Sort/1024 {algo=quick, n=8}");
}

TEST(TextWidth, CountsCodePoints) {
    EXPECT_EQ(text_width("47.4 \xC2\xB5s"), 7u);
    EXPECT_EQ(text_width(""), 0u);
    EXPECT_EQ(text_width("\xE2\x9C\x93 ok"), 4u);
}

TEST(MarkdownText, HostileTextCannotMakeMarkup) {
    EXPECT_EQ(markdown_text("a`b|c\nd<img src=x>*e*_[l](u)#~\\"),
              "a\\`b\\|c d&lt;img src=x&gt;\\*e\\*\\_\\[l\\](u)\\#\\~\\\\");
    EXPECT_EQ(markdown_text("\"q\" & r\r"), "&quot;q&quot; &amp; r ");
}

// A global C++ locale with a decimal comma and digit grouping must not leak into output.
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
    const std::string pct = format_change(0.1234);
    const std::string p = format_probability(0.034);
    std::locale::global(previous);
    EXPECT_EQ(number, "12345.68");
    EXPECT_EQ(value, "1.23 ms");
    EXPECT_EQ(pct, "+12.3%");
    EXPECT_EQ(p, "0.034");
}

}  // namespace
}  // namespace perftrack::core
