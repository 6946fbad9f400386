#pragma once
// BenchmarkDotNet JSON (the JsonExporter's *-report-full.json / *-report.json).
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_benchmarkdotnet(std::string_view text);
core::Result<core::RunResults> parse_benchmarkdotnet(std::string_view text, std::string_view source,
                                                     const AdapterOptions& options);
}  // namespace perftrack::formats
