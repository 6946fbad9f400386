#pragma once
// `go test -bench` output (the Go benchmark data format).
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_gobench(std::string_view text);
core::Result<core::RunResults> parse_gobench(std::string_view text, std::string_view source,
                                             const AdapterOptions& options);
}  // namespace perftrack::formats
