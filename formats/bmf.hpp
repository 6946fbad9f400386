#pragma once
// Bencher Metric Format JSON: {"benchmark": {"measure": {"value": N, ...}}}.
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_bmf(std::string_view text);
core::Result<core::RunResults> parse_bmf(std::string_view text, std::string_view source,
                                         const AdapterOptions& options);
}  // namespace perftrack::formats
