#include "reports/render/units_format.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

#include "core/units.hpp"

namespace perftrack::reports::render {

namespace {

struct Step {
    double divisor;
    const char* unit;
};

// Picks the largest step whose divisor is at most `magnitude`; the first step otherwise.
template <std::size_t N>
DisplayScale pick(const std::array<Step, N>& steps, double magnitude, double to_base,
                  const std::string& suffix = {}) {
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < N; ++i)
        if (magnitude * to_base >= steps[i].divisor) chosen = i;
    return {steps[chosen].divisor / to_base, std::string(steps[chosen].unit) + suffix};
}

constexpr std::array<Step, 4> k_time_steps{
    {{1.0, "ns"}, {1e3, "\xC2\xB5s"}, {1e6, "ms"}, {1e9, "s"}}};
constexpr std::array<Step, 5> k_byte_steps{{{1.0, "B"},
                                            {1024.0, "KiB"},
                                            {1024.0 * 1024, "MiB"},
                                            {1024.0 * 1024 * 1024, "GiB"},
                                            {1024.0 * 1024 * 1024 * 1024, "TiB"}}};
// SI prefixes start at 10^4 so that "1234 items/s" stays as it is (readable and exact).
constexpr std::array<Step, 5> k_si_steps{
    {{1.0, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}, {1e12, "T"}}};
constexpr double k_si_threshold = 1e4;

bool is_ratio_unit(std::string_view unit) {
    return unit == "%" || unit == "x" || unit == "\xC3\x97" || unit == "percent" || unit == "ratio";
}

std::string join_unit(std::string_view prefix, std::string_view unit) {
    if (unit.empty()) return std::string(prefix);
    if (prefix.empty()) return std::string(unit);
    return std::string(prefix) + " " + std::string(unit);
}

}  // namespace

DisplayScale display_scale(std::string_view unit, double magnitude) {
    magnitude = std::fabs(magnitude);
    if (!std::isfinite(magnitude) || magnitude == 0) return {1.0, std::string(unit)};
    if (auto ns = core::ns_per_unit(unit)) return pick(k_time_steps, magnitude, *ns);
    if (auto bytes = core::bytes_per_unit(unit)) return pick(k_byte_steps, magnitude, *bytes);
    if (unit.size() > 2 && unit.substr(unit.size() - 2) == "/s") {
        const auto base = unit.substr(0, unit.size() - 2);
        if (auto bytes = core::bytes_per_unit(base))
            return pick(k_byte_steps, magnitude, *bytes, "/s");
    }
    if (is_ratio_unit(unit) || magnitude < k_si_threshold) return {1.0, std::string(unit)};
    auto si = pick(k_si_steps, magnitude, 1.0);
    return {si.divisor, join_unit(si.unit, unit)};
}

std::string format_number(double value, int significant) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    if (value == 0) return "0";
    if (significant < 1) significant = 1;
    auto decimals_for = [significant](double v) {
        const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(v))));
        return std::max(0, significant - 1 - exponent);
    };
    int decimals = decimals_for(value);
    // Rounding can carry into a new digit (9.996 -> 10.00): count the digits again after it.
    const double scale = std::pow(10.0, decimals);
    const double rounded = std::round(value * scale) / scale;
    if (rounded != 0) decimals = std::min(decimals, decimals_for(rounded));
    std::string text = fmt::format("{:.{}f}", value, decimals);
    // A tiny negative value that rounds to zero prints as "-0.00": drop the sign.
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
}

std::string format_scaled(double value, const DisplayScale& scale, int significant) {
    const std::string number = format_number(value / scale.divisor, significant);
    if (scale.unit.empty()) return number;
    if (scale.unit == "%") return number + "%";
    return number + " " + scale.unit;
}

std::string format_value(double value, std::string_view unit, int significant) {
    return format_scaled(value, display_scale(unit, std::fabs(value)), significant);
}

std::string format_change_pct(double fraction) {
    if (!std::isfinite(fraction)) return "n/a";
    const double pct = fraction * 100.0;
    const int decimals = std::fabs(pct) >= 99.95 ? 0 : 1;
    std::string text = fmt::format("{:.{}f}", pct, decimals);
    if (text.find_first_not_of("-0.") == std::string::npos) return decimals == 0 ? "0%" : "0.0%";
    if (text.front() != '-') text.insert(0, "+");
    return text + "%";
}

std::string format_probability(double p) {
    if (!std::isfinite(p)) return "n/a";
    constexpr double k_smallest_shown = 1e-4;
    if (p < k_smallest_shown) return "<0.0001";
    if (p >= 0.01) return fmt::format("{:.3f}", p);
    return fmt::format("{:.4f}", p);
}

}  // namespace perftrack::reports::render
