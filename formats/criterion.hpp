#pragma once
// Criterion.rs: the console output of `cargo bench` (including criterion's change lines and
// --output-format bencher lines) and target/criterion/**/estimates.json.
#include "formats/adapter.hpp"

namespace perftrack::formats {
bool sniff_criterion(std::string_view text);
core::Result<core::RunResults> parse_criterion(std::string_view text, std::string_view source,
                                               const AdapterOptions& options);
}  // namespace perftrack::formats
