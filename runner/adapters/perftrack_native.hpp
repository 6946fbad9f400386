#pragma once
#include "runner/adapters/adapter.hpp"

namespace perftrack::runner::adapters {
bool sniff_perftrack(std::string_view text);
core::Result<core::RunResults> parse_perftrack(std::string_view text, std::string_view source,
                                               const AdapterOptions& options);
}  // namespace perftrack::runner::adapters
