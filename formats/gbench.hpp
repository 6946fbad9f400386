#pragma once
// Google Benchmark JSON (--benchmark_format=json / --benchmark_out=F). The mapping is documented
// in docs/formats.md; gbench.cpp says why each rule is what it is.
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_gbench(std::string_view text);
core::Result<core::RunResults> parse_gbench(std::string_view text, std::string_view source,
                                            const AdapterOptions& options);
}  // namespace perftrack::formats
