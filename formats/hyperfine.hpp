#pragma once
// hyperfine JSON (--export-json FILE).
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_hyperfine(std::string_view text);
core::Result<core::RunResults> parse_hyperfine(std::string_view text, std::string_view source,
                                               const AdapterOptions& options);
}  // namespace perftrack::formats
