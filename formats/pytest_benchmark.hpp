#pragma once
// pytest-benchmark JSON (--benchmark-json=FILE, or a saved run under .benchmarks/).
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_pytest_benchmark(std::string_view text);
core::Result<core::RunResults> parse_pytest_benchmark(std::string_view text,
                                                      std::string_view source,
                                                      const AdapterOptions& options);
}  // namespace perftrack::formats
