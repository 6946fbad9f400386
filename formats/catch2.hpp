#pragma once
// Catch2 benchmarks: the XML reporter (-r xml) of v2 and v3, and the console reporter's tables.
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_catch2(std::string_view text);
core::Result<core::RunResults> parse_catch2(std::string_view text, std::string_view source,
                                            const AdapterOptions& options);
}  // namespace perftrack::formats
