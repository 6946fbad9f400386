#pragma once
// The offline spool: when the database cannot be reached, a run is written to
// $PERFTRACK_HOME/spool/<run-key>.json (temp file + rename, so never half-written) and
// `perftrack push` uploads it later, removing each file only after its transaction committed.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace perftrack::store {

std::filesystem::path spool_dir(const std::filesystem::path& home);

// Writes the run; returns the file written.
core::Result<std::filesystem::path> spool_run(const std::filesystem::path& home,
                                              const RunToStore& run);

// Spooled files, oldest first (by name, which starts with the run's start time).
std::vector<std::filesystem::path> spooled_files(const std::filesystem::path& home);

// Reads one spooled run back exactly as it was written.
core::Result<RunToStore> read_spooled_run(const std::filesystem::path& file);

// Serialisation used by the spool (exposed for tests).
std::string spool_json(const RunToStore& run);
core::Result<RunToStore> parse_spool_json(std::string_view text, std::string_view source);

}  // namespace perftrack::store
