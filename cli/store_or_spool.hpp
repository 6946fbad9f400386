#pragma once
// Storing runs without ever losing one: each run is one transaction; when the database cannot
// be reached, every run not yet stored goes to the spool ($PERFTRACK_HOME/spool) and the
// command exits 3. `perftrack push` uploads the spool later.

#include <vector>

#include "cli/common_options.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

// Returns the exit code: 0 when every run was stored (or already was), 3 when some were
// spooled, 2 when a run could be neither stored nor spooled. Prints one line per run unless
// quiet.
int store_runs_or_spool(const CommonOptions& options, const std::vector<store::RunToStore>& runs);

// "stored run KEY (project P, testbed T, branch B, commit abc1234): 3 benchmarks, ..."
std::string describe_outcome(const store::RunToStore& run, const store::IngestOutcome& outcome);

}  // namespace perftrack::cli
