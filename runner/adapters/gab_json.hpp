#pragma once
// github-action-benchmark's custom JSON (customBiggerIsBetter / customSmallerIsBetter).
#include "runner/adapters/adapter.hpp"

namespace perftrack::runner::adapters {
bool sniff_gab_json(std::string_view text);
core::Result<core::RunResults> parse_gab_json(std::string_view text, std::string_view source,
                                              const AdapterOptions& options);
}  // namespace perftrack::runner::adapters
