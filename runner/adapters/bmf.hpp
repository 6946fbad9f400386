#pragma once
// Bencher Metric Format JSON: {"benchmark": {"measure": {"value": N, ...}}}.
#include "runner/adapters/adapter.hpp"

namespace perftrack::runner::adapters {
bool sniff_bmf(std::string_view text);
core::Result<core::RunResults> parse_bmf(std::string_view text, std::string_view source,
                                         const AdapterOptions& options);
}  // namespace perftrack::runner::adapters
