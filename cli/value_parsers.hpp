#pragma once
// Parsers for flag values: sizes, NAME=direction, NAME=unit:direction, comma lists.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "formats/adapter.hpp"

namespace perftrack::cli {

// "1048576", "512KiB", "256MiB", "1GiB", "256M" -> bytes.
core::Result<std::uint64_t> parse_byte_size(std::string_view text);

// "allocs=higher" -> {"allocs", higher}
core::Result<std::pair<std::string, core::Direction>> parse_direction_override(std::string_view text);

// "latency_p95=ms:lower", "score=:higher", "rss=B" -> name and override
core::Result<std::pair<std::string, formats::MetricOverride>> parse_metric_override(
    std::string_view text);

// "a, b,c" -> {"a","b","c"}; empty -> {}
std::vector<std::string> split_list(std::string_view text);

}  // namespace perftrack::cli
