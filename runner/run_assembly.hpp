#pragma once
// From parsed results to a run ready to store (for `ingest` and `run`): the context is resolved
// field by field with the precedence flags > the result file's own context > CI / PERFTRACK_*
// variables > git, then the idempotency key is derived (explicit --run-id, else the run group or
// the CI job attempt, else random).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "store/store.hpp"

namespace perftrack::runner {

struct ResolveEnvironment {
    core::RunContext ci;            // from CI and PERFTRACK_* variables
    std::filesystem::path git_dir;  // where to ask git; empty: do not ask
    std::int64_t now_us = 0;
    std::string host_name;  // default testbed
};
// The environment of this process: CI variables, the current directory's git, the clock and
// the host name.
ResolveEnvironment current_environment();

// Resolves one result set; `flags` is the highest-precedence context. Errors (kind usage): no
// project, branch or commit anywhere, a commit time that is not ISO 8601. run_key stays empty when
// it has to be random (assigned later by finish_run, after files of the same run were grouped).
core::Result<store::RunToStore> resolve_run(core::RunResults results, const core::RunContext& flags,
                                            const ResolveEnvironment& env);

// Grouping key: files with equal keys are parts of one run and are stored together.
std::string run_group_key(const store::RunToStore& run);

// Appends `more` to `into` (same run); fails when a series occurs in both.
core::Result<void> merge_into(store::RunToStore& into, store::RunToStore more,
                              std::string_view into_source, std::string_view more_source);

// Assigns a random run key when none was derived, and the part key (shard + content digest, so
// re-ingesting the same results is a no-op while a second, different file of the same CI job
// is added to its run).
void finish_run(store::RunToStore& run);

}  // namespace perftrack::runner
