#include "cli/value_parsers.hpp"

#include <charconv>

#include <fmt/format.h>

namespace perftrack::cli {

using core::ErrorKind;
using core::fail;

CLI::Option* add_byte_size_option(CLI::App& command, const std::string& name, std::uint64_t& bytes,
                                  const std::string& description, const std::string& default_text) {
    // CLI11 2.1.2 reads the number with strtoull and no range check, so "-1" and
    // "99999999999999999999" would both become 2^64 - 1: the number must be digits that fit.
    const CLI::Validator digits_that_fit(
        [](std::string& input) -> std::string {
            std::size_t end = 0;
            while (end < input.size() && input[end] == ' ') ++end;
            const std::size_t start = end;
            while (end < input.size() && input[end] >= '0' && input[end] <= '9') ++end;
            std::uint64_t value = 0;
            const auto [ptr, ec] = std::from_chars(input.data() + start, input.data() + end, value);
            if (end == start || ec != std::errc())
                return fmt::format("\"{}\" is not a size in bytes below 16EiB (e.g. 256MiB)",
                                   input);
            return {};
        },
        "SIZE");
    // kb_is_1000 = false: K, KB and KiB all mean 1024 bytes, as perftrack always read them;
    // AsSizeValue refuses a product that overflows.
    return command.add_option(name, bytes, description)
        ->check(digits_that_fit)
        ->transform(CLI::AsSizeValue(false))
        ->type_name("SIZE")
        ->default_str(default_text);
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
                return fail(
                    ErrorKind::usage,
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

core::Result<std::int64_t> parse_duration_seconds(const std::string& flag,
                                                  const std::string& text) {
    const auto bad = [&] {
        return core::fail(core::ErrorKind::usage,
                          fmt::format("{} \"{}\": expected a positive whole number of "
                                      "hours, days or weeks, such as 36h, 90d or 12w",
                                      flag, text));
    };
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 6 || digits + 1 != text.size()) return bad();
    const std::int64_t n = std::stoll(text.substr(0, digits));
    std::int64_t unit = 0;
    switch (text.back()) {
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        case 'w':
            unit = 7 * 86400;
            break;
        default:
            return bad();
    }
    if (n <= 0) return bad();
    return n * unit;
}

}  // namespace perftrack::cli
