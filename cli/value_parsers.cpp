#include "cli/value_parsers.hpp"

#include <charconv>

#include <fmt/format.h>

namespace perftrack::cli {

using core::ErrorKind;
using core::fail;

core::Result<std::uint64_t> parse_byte_size(std::string_view text) {
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr == text.data())
        return fail(ErrorKind::usage, fmt::format("\"{}\" is not a size (e.g. 256MiB)", text));
    std::string_view suffix(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
    std::uint64_t factor = 1;
    if (suffix.empty() || suffix == "B") {
        factor = 1;
    } else if (suffix == "K" || suffix == "KiB" || suffix == "KB" || suffix == "k") {
        factor = 1ull << 10;
    } else if (suffix == "M" || suffix == "MiB" || suffix == "MB") {
        factor = 1ull << 20;
    } else if (suffix == "G" || suffix == "GiB" || suffix == "GB") {
        factor = 1ull << 30;
    } else {
        return fail(ErrorKind::usage,
                    fmt::format("\"{}\": unknown size suffix \"{}\" (use B, KiB, MiB or GiB)", text,
                                suffix));
    }
    return value * factor;
}

core::Result<std::pair<std::string, core::Direction>> parse_direction_override(
    std::string_view text) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return fail(ErrorKind::usage,
                    fmt::format("--direction \"{}\": expected NAME=higher or NAME=lower", text));
    auto dir = core::parse_direction(text.substr(eq + 1));
    if (!dir)
        return fail(ErrorKind::usage,
                    fmt::format("--direction \"{}\": direction must be higher or lower", text));
    return std::make_pair(std::string(text.substr(0, eq)), *dir);
}

core::Result<std::pair<std::string, formats::MetricOverride>> parse_metric_override(
    std::string_view text) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return fail(ErrorKind::usage,
                    fmt::format("--metric \"{}\": expected NAME=UNIT:DIRECTION", text));
    formats::MetricOverride o;
    std::string_view rest = text.substr(eq + 1);
    const auto colon = rest.find(':');
    std::string_view unit = rest.substr(0, colon);
    if (!unit.empty()) o.unit = std::string(unit);
    if (colon != std::string_view::npos) {
        std::string_view dir = rest.substr(colon + 1);
        if (!dir.empty()) {
            auto d = core::parse_direction(dir);
            if (!d)
                return fail(ErrorKind::usage,
                            fmt::format("--metric \"{}\": direction must be higher or lower", text));
            o.direction = *d;
        }
    }
    return std::make_pair(std::string(text.substr(0, eq)), o);
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find(',', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view item = text.substr(pos, end - pos);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        pos = end + 1;
    }
    return out;
}

}  // namespace perftrack::cli
