#pragma once
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_perftrack(std::string_view text);
core::Result<core::RunResults> parse_perftrack(std::string_view text, std::string_view source,
                                               const AdapterOptions& options);
}  // namespace perftrack::formats
