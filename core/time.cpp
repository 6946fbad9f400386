#include "core/time.hpp"

#include <chrono>

#include <fmt/format.h>

namespace perftrack::core {

namespace {

using namespace std::chrono;

// Reads exactly `n` ASCII digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

}  // namespace

// libstdc++ 12 has the C++20 calendar types (year_month_day, sys_days, hh_mm_ss) but not
// std::chrono::parse or std::format, so the fields are read here and the calendar arithmetic
// and validation are chrono's; formatting is fmt's chrono support.
std::optional<std::int64_t> parse_iso8601_us(std::string_view s) {
    int y = 0, mo = 0, d = 0, hour = 0, minute = 0, second = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d))
        return std::nullopt;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                              day{static_cast<unsigned>(d)}};
    if (!date.ok()) return std::nullopt;  // month 13, February 30, ...
    std::size_t pos = 10;
    microseconds fraction{0};
    seconds offset{0};
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
        ++pos;
        if (!digits(s, pos, 2, hour) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
            !digits(s, pos + 3, 2, minute))
            return std::nullopt;
        pos += 5;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, second)) return std::nullopt;
            pos += 3;
        }
        // 60: a leap second, as UTC clocks write it (it counts as the next second's start).
        if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            const std::size_t start = pos;
            std::int64_t scale = 100000;  // digits beyond microseconds are dropped
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                fraction += microseconds{(s[pos] - '0') * scale};
                scale /= 10;
                ++pos;
            }
            if (pos == start) return std::nullopt;
        }
        if (pos < s.size()) {
            if (s[pos] == 'Z' || s[pos] == 'z') {
                ++pos;
            } else if (s[pos] == '+' || s[pos] == '-') {
                const int sign = s[pos] == '-' ? -1 : 1;
                int oh = 0, om = 0;
                if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
                pos += 3;
                if (pos < s.size() && s[pos] == ':') ++pos;
                if (pos < s.size()) {
                    if (!digits(s, pos, 2, om)) return std::nullopt;
                    pos += 2;
                }
                if (oh > 23 || om > 59) return std::nullopt;
                offset = sign * (hours{oh} + minutes{om});
            } else {
                return std::nullopt;
            }
        }
        if (pos != s.size()) return std::nullopt;
    }
    const sys_time<microseconds> at =
        sys_days{date} + hours{hour} + minutes{minute} + seconds{second} + fraction - offset;
    return at.time_since_epoch().count();
}

std::string format_iso8601_utc(std::int64_t epoch_us) {
    // The fields come from <chrono>'s calendar types, not fmt's chrono formatting: fmt 9
    // converts the time point to system_clock's nanoseconds first, which overflows (undefined
    // behaviour, found by UBSan) for times before 1678 or after 2261.
    const sys_time<microseconds> at{microseconds{epoch_us}};
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss time{floor<seconds>(at - day)};
    const auto micros = (at - floor<seconds>(at)).count();
    std::string out =
        fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                    static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                    time.hours().count(), time.minutes().count(), time.seconds().count());
    if (micros != 0) out += fmt::format(".{:06}", micros);
    out += 'Z';
    return out;
}

std::int64_t now_epoch_us() {
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace perftrack::core
