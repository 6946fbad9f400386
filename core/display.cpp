#include "core/display.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "core/units.hpp"

namespace perftrack::core {

namespace {

struct Step {
    double divisor;
    const char* unit;
};

// The largest step whose divisor is at most `magnitude` (in the family's base unit, so
// `to_base` converts); the first step when none is.
template <std::size_t N>
DisplayScale pick(const std::array<Step, N>& steps, double magnitude, double to_base,
                  std::string_view suffix = {}) {
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < N; ++i)
        if (magnitude * to_base >= steps[i].divisor) chosen = i;
    return {steps[chosen].divisor / to_base, std::string(steps[chosen].unit) + std::string(suffix)};
}

// No minutes or hours: seconds stay comparable across a table.
constexpr std::array<Step, 4> k_time_steps{
    {{1.0, "ns"}, {1e3, "\xC2\xB5s"}, {1e6, "ms"}, {1e9, "s"}}};
constexpr std::array<Step, 5> k_byte_steps{{{1.0, "B"},
                                            {1024.0, "KiB"},
                                            {1024.0 * 1024, "MiB"},
                                            {1024.0 * 1024 * 1024, "GiB"},
                                            {1024.0 * 1024 * 1024 * 1024, "TiB"}}};
constexpr std::array<Step, 7> k_si_steps{
    {{1.0, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}, {1e12, "T"}, {1e15, "P"}, {1e18, "E"}}};
// SI prefixes start at 10^4 so that "1234 items/s" stays as it is (readable and exact).
constexpr double k_si_threshold = 1e4;

bool is_ratio_unit(std::string_view unit) {
    return unit == "%" || unit == "x" || unit == "\xC3\x97" || unit == "percent" || unit == "ratio";
}

std::string join_unit(std::string_view prefix, std::string_view unit) {
    if (unit.empty()) return std::string(prefix);
    if (prefix.empty()) return std::string(unit);
    return std::string(prefix) + " " + std::string(unit);
}

// A percentage already multiplied by 100, with the change rule's precision and sign.
std::string signed_percent(double pct) {
    if (std::isnan(pct)) return std::string(k_missing);
    if (std::isinf(pct)) return pct > 0 ? "+inf%" : "-inf%";
    // Changes of deterministic metrics can be tiny (one byte in a megabyte): two digits.
    constexpr double k_smallest_one_decimal = 0.05;
    std::string text;
    if (pct != 0 && std::fabs(pct) < k_smallest_one_decimal) {
        text = format_number(pct, 2);
    } else {
        const int decimals = std::fabs(pct) >= 99.95 ? 0 : 1;
        text = fmt::format("{:.{}f}", pct, decimals);
        if (text.find_first_not_of("-0.") == std::string::npos)
            return decimals == 0 ? "0%" : "0.0%";
    }
    if (text.front() != '-') text.insert(0, "+");
    return text + "%";
}

}  // namespace

DisplayScale display_scale(std::string_view unit, double magnitude) {
    magnitude = std::fabs(magnitude);
    if (!std::isfinite(magnitude) || magnitude == 0) return {1.0, std::string(unit)};
    if (auto ns = ns_per_time_unit(unit)) return pick(k_time_steps, magnitude, *ns);
    if (auto bytes = bytes_per_unit(unit)) return pick(k_byte_steps, magnitude, *bytes);
    if (unit.size() > 2 && unit.ends_with("/s")) {
        if (auto bytes = bytes_per_unit(unit.substr(0, unit.size() - 2)))
            return pick(k_byte_steps, magnitude, *bytes, "/s");
    }
    if (is_ratio_unit(unit) || magnitude < k_si_threshold) return {1.0, std::string(unit)};
    auto si = pick(k_si_steps, magnitude, 1.0);
    return {si.divisor, join_unit(si.unit, unit)};
}

DisplayScale shared_scale(std::string_view unit, double first, double second) {
    return display_scale(unit, std::isfinite(first) ? first : second);
}

std::string format_number(double value, int significant) {
    if (std::isnan(value)) return std::string(k_missing);
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    if (value == 0) return "0";
    significant = std::max(significant, 1);
    auto decimals_for = [significant](double v) {
        const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(v))));
        return std::max(0, significant - 1 - exponent);
    };
    int decimals = decimals_for(value);
    // Rounding can carry into a new digit (9.996 -> 10.00): count the digits again after it.
    const double scale = std::pow(10.0, decimals);
    const double rounded = std::round(value * scale) / scale;
    if (rounded != 0 && std::isfinite(rounded))
        decimals = std::min(decimals, decimals_for(rounded));
    std::string text = fmt::format("{:.{}f}", value, decimals);
    // A tiny negative value that rounds to zero prints as "-0.00": drop the sign.
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
}

std::string format_scaled(double value, const DisplayScale& scale, int significant) {
    if (std::isnan(value)) return std::string(k_missing);
    const std::string number = format_number(value / scale.divisor, significant);
    if (scale.unit.empty()) return number;
    if (scale.unit == "%") return number + "%";
    return number + " " + scale.unit;
}

std::string format_value(double value, std::string_view unit, int significant) {
    return format_scaled(value, display_scale(unit, value), significant);
}

std::string format_change(double fraction) {
    return signed_percent(fraction * 100.0);
}

std::string format_change(std::optional<double> fraction) {
    return fraction ? format_change(*fraction) : std::string(k_missing);
}

std::string format_change_percent(std::optional<double> percent) {
    return percent ? signed_percent(*percent) : std::string(k_missing);
}

std::string format_interval(double low, double high) {
    if (std::isnan(low) || std::isnan(high)) return std::string(k_missing);
    return fmt::format("[{}, {}]", format_change(low), format_change(high));
}

std::string format_probability(double p) {
    if (!std::isfinite(p)) return std::string(k_missing);
    constexpr double k_smallest_shown = 1e-4;
    if (p < k_smallest_shown) return "<0.0001";
    if (p >= 0.01) return fmt::format("{:.3f}", p);
    return fmt::format("{:.4f}", p);
}

std::string format_probability(std::optional<double> p) {
    return p ? format_probability(*p) : std::string(k_missing);
}

std::string short_sha(std::string_view sha) {
    constexpr std::size_t k_short_sha_length = 12;
    return std::string(sha.substr(0, k_short_sha_length));
}

std::string params_text(const Params& params) {
    std::string out;
    if (!params.is_object()) return out;
    for (const auto& [key, value] : params.items()) {
        if (!out.empty()) out += ", ";
        out += key;
        out += '=';
        out += value.is_string()
                   ? value.get<std::string>()
                   : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return out;
}

std::string series_name(const SeriesId& series) {
    std::string name =
        series.suite.empty() ? series.benchmark : series.suite + "/" + series.benchmark;
    const std::string params = params_text(series.params);
    if (!params.empty()) name += " {" + params + "}";
    return name;
}

std::size_t text_width(std::string_view text) {
    std::size_t width = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // not a continuation byte
    return width;
}

std::string markdown_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\n':
            case '\r':
                out += ' ';
                break;
            case '\\':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '|':
            case '#':
            case '~':
                out += '\\';
                out += c;
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace perftrack::core
