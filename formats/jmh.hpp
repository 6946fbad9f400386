#pragma once
// JMH JSON (-rf json -rff FILE).
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_jmh(std::string_view text);
core::Result<core::RunResults> parse_jmh(std::string_view text, std::string_view source,
                                         const AdapterOptions& options);
}  // namespace perftrack::formats
