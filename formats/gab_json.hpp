#pragma once
// github-action-benchmark's custom JSON (customBiggerIsBetter / customSmallerIsBetter).
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_gab_json(std::string_view text);
core::Result<core::RunResults> parse_gab_json(std::string_view text, std::string_view source,
                                              const AdapterOptions& options);
}  // namespace perftrack::formats
