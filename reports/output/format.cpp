#include "reports/output/format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace perftrack::reports::output {

std::string display_name(const store::SeriesInfo& series) {
    std::string name =
        series.suite.empty() ? series.benchmark : series.suite + "/" + series.benchmark;
    if (series.params.is_object() && !series.params.empty()) {
        name += " {";
        bool first = true;
        for (const auto& [key, value] : series.params.items()) {
            if (!first) name += ", ";
            first = false;
            name += key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
        }
        name += "}";
    }
    return name;
}

std::string format_value(double value, std::string_view unit) {
    if (std::isnan(value)) return "-";
    std::string s = fmt::format("{:.4g}", value);
    if (!unit.empty()) s += fmt::format(" {}", unit);
    return s;
}

std::string format_percent(double change) {
    if (std::isnan(change)) return "-";
    if (std::isinf(change)) return change > 0 ? "+inf%" : "-inf%";
    const double pct = 100.0 * change;
    // Changes of deterministic metrics can be tiny (one byte in a megabyte): keep two digits.
    if (pct != 0.0 && std::fabs(pct) < 0.05) return fmt::format("{:+.2g}%", pct);
    return fmt::format("{:+.1f}%", pct);
}

std::string format_interval(double low, double high) {
    if (std::isnan(low) || std::isnan(high)) return "-";
    return fmt::format("[{}, {}]", format_percent(low), format_percent(high));
}

std::string format_probability(double p) {
    if (std::isnan(p)) return "-";
    if (p == 0.0) return "0";
    if (p >= 0.001) return fmt::format("{:.4f}", p).substr(0, 6);
    return fmt::format("{:.1e}", p);
}

std::string short_commit(std::string_view sha) {
    return std::string(sha.substr(0, 12));
}

std::string markdown_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
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

}  // namespace perftrack::reports::output
