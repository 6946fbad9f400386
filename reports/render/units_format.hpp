#pragma once
// Numbers and units as people read them: "1.23 ms", "512 KiB", "4.56 M items/s", "+12.3%".
// Locale-independent (fmt never consults the locale unless asked), so reports are byte-identical
// on every machine.

#include <string>
#include <string_view>

namespace perftrack::reports::render {

// How to show values of one unit: value_shown = value / divisor, followed by `unit`.
struct DisplayScale {
    double divisor = 1.0;
    std::string unit;
};

// The display scale for values of `unit` whose typical size is `magnitude` (for a chart axis:
// the largest absolute value on it). Time units (ps, ns, us, ms, s, min) become ns, µs, ms or
// s; byte units B, KiB, MiB, GiB or TiB; byte rates (B/s, bytes/s) B/s ... GiB/s; other rates
// ("items/s") and counts get SI prefixes k, M, G, T from 10^4 up ("4.56 M items/s"). Units
// that are ratios ("%", "x") and non-finite or zero magnitudes keep the unit as given.
DisplayScale display_scale(std::string_view unit, double magnitude);

// `value` with `significant` significant digits (at least 1), in fixed notation, never with an
// exponent: 1.23, 12.3, 123, 12345 (digits before the point are never dropped), 0.00123.
// "nan", "inf", "-inf" for non-finite values; "0" for zero.
std::string format_number(double value, int significant = 3);

// `value` of `unit`, scaled by its own magnitude: format_value(1234567, "ns") == "1.23 ms".
std::string format_value(double value, std::string_view unit, int significant = 3);

// `value` shown in a given scale: "1.23 ms".
std::string format_scaled(double value, const DisplayScale& scale, int significant = 3);

// A relative change given as a fraction: 0.123 -> "+12.3%", -0.04 -> "-4.0%", 0 -> "0.0%".
// One decimal below 100 %, none above ("+250%"). "n/a" when not finite.
std::string format_change_pct(double fraction);

// A p- or q-value: "0.034", "0.0012", "<0.0001"; "n/a" when not finite.
std::string format_probability(double p);

}  // namespace perftrack::reports::render
