#pragma once
// Storing runs without ever losing one: each run is one transaction; when the database cannot
// be reached, every run not yet stored goes to the spool ($PERFTRACK_HOME/spool) and the
// command exits 3. `perftrack push` uploads the spool later.

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "cli/common_options.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

// Returns the exit code: 0 when every run was stored (or already was), 3 when some were
// spooled, 2 when a run could be neither stored nor spooled. Prints one line per run unless
// quiet.
int store_runs_or_spool(const CommonOptions& options, const std::vector<store::RunToStore>& runs);

// What sending one spooled run somewhere (the database, a server) did.
struct SpoolSend {
    std::optional<store::IngestOutcome> outcome;  // stored (or it already was): file removed
    int exit_code = 0;  // not stored: the push ends with this code; the other files still go
    bool stop = false;  // not stored, and nothing more will be now (server unreachable): exit 3
};

// `perftrack push`: sends the runs spooled in `home` oldest first; a file is removed only after
// `send` stored it, so an interrupted push loses nothing and a repeated one duplicates nothing.
// A damaged file stays where it is for a human to look at (exit 2); the others still go.
int push_spooled_runs(
    const CommonOptions& options, const std::filesystem::path& home,
    const std::function<SpoolSend(const store::RunToStore&, const std::filesystem::path&)>& send);

// "stored run KEY (project P, testbed T, branch B, commit abc1234): 3 benchmarks, ..."
std::string describe_outcome(const store::RunToStore& run, const store::IngestOutcome& outcome);

}  // namespace perftrack::cli
