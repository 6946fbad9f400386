#pragma once
// BenchmarkDotNet JSON (the JsonExporter's *-report-full.json / *-report.json).
#include "runner/adapters/adapter.hpp"

namespace perftrack::runner::adapters {
bool sniff_benchmarkdotnet(std::string_view text);
core::Result<core::RunResults> parse_benchmarkdotnet(std::string_view text, std::string_view source,
                                                     const AdapterOptions& options);
}  // namespace perftrack::runner::adapters
