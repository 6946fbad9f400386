#pragma once
// Reading inputs and writing outputs so that a failure never leaves half a file behind.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace perftrack::core {

// Inputs larger than this are refused before parsing (overridable with --max-input-size).
inline constexpr std::uint64_t k_default_max_input_bytes = 256ull * 1024 * 1024;

// Reads a whole file. Errors (kind input) name the file: it does not exist, is a directory,
// cannot be read, or is larger than `max_bytes`. "-" reads standard input.
Result<std::string> read_input_file(const std::filesystem::path& path,
                                    std::uint64_t max_bytes = k_default_max_input_bytes);

// The bytes of a file after `offset`, at most the last `max_bytes` of them (a server log can be
// gigabytes; a message needs its end). Empty when the file is missing, unreadable or not longer
// than `offset`.
std::string read_file_tail(const std::filesystem::path& path, std::uintmax_t offset,
                           std::uintmax_t max_bytes);

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
// `path`, so readers see the old file or the new one, never a partial one. Creates missing
// parent directories.
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content);

// "1.5 MiB", "256 MiB": for messages about sizes.
std::string human_bytes(std::uint64_t bytes);

}  // namespace perftrack::core
