#pragma once
// Flat JSON records: a JSON array of objects, or JSON lines (one object per line), as ML
// benchmark scripts write them.
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_records(std::string_view text);
core::Result<core::RunResults> parse_records(std::string_view text, std::string_view source,
                                             const AdapterOptions& options);
}  // namespace perftrack::formats
