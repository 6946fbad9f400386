#pragma once
// Timestamps travel as ISO 8601 text and are compared as microseconds since the Unix epoch.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace perftrack::core {

// Parses "2024-05-01T12:30:00Z", "2024-05-01T12:30:00.123+02:00", "2024-05-01 12:30:00+0200"
// and a bare date "2024-05-01" (midnight UTC). A time without an offset is read as UTC.
// Returns microseconds since the epoch, or nullopt when the text is not such a timestamp.
std::optional<std::int64_t> parse_iso8601_us(std::string_view text);

// "2024-05-01T12:30:00Z" (fractions only when non-zero: "...:00.250Z").
std::string format_iso8601_utc(std::int64_t epoch_us);

// The current time in microseconds since the epoch (the one place that reads the clock for
// timestamps that get stored; renderers receive the time instead of reading it).
std::int64_t now_epoch_us();

}  // namespace perftrack::core
