#pragma once
// Compact number encoding for the chart data embedded in the HTML report. With 2,000 series of
// 500 runs, plain JSON numbers (median, spread and baseline band per run) come to ~40 MB; as
// quantised integers, delta-coded, zigzag-mapped, written as LEB128 varints and base64'd they
// come to a few bytes per value, and the page decodes them only for the charts it draws.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace perftrack::reports::render {

// Standard base64 (RFC 4648, with padding).
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Zigzag (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...) then unsigned LEB128, base64'd. Values must
// stay within +-2^53 so the page can decode them exactly with JavaScript numbers. The page's
// decoder is varints() in assets/report.js; the tests have one in tests/support/.
std::string encode_varints(std::span<const std::int64_t> values);

// values[0], values[1]-values[0], values[2]-values[1], ...
std::vector<std::int64_t> deltas(std::span<const std::int64_t> values);

}  // namespace perftrack::reports::render
