#pragma once
// Parsers for flag values: sizes, NAME=direction, NAME=unit:direction, comma lists.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/model.hpp"
#include "formats/adapter.hpp"

namespace perftrack::cli {

// Adds a flag taking a size in bytes: "1048576", "512KiB", "256MiB", "1GiB", "256M" (binary
// units up to EiB, any case; CLI11's AsSizeValue), refusing a value that does not fit in 64 bits
// as a usage error. `default_text` is the default as users write it ("256MiB").
CLI::Option* add_byte_size_option(CLI::App& command, const std::string& name, std::uint64_t& bytes,
                                  const std::string& description, const std::string& default_text);

// "allocs=higher" -> {"allocs", higher}
core::Result<std::pair<std::string, core::Direction>> parse_direction_override(
    std::string_view text);

// "latency_p95=ms:lower", "score=:higher", "rss=B" -> name and override
core::Result<std::pair<std::string, formats::MetricOverride>> parse_metric_override(
    std::string_view text);

// "a, b,c" -> {"a","b","c"}; empty -> {}
std::vector<std::string> split_list(std::string_view text);

// "90d", "12w", "36h" -> seconds (db prune --older-than, token create --expires). Months and
// years are not offered: their length varies, and a rule should say exactly what it means.
core::Result<std::int64_t> parse_duration_seconds(const std::string& flag, const std::string& text);

}  // namespace perftrack::cli
