#pragma once
// Retention (`perftrack db prune`): which runs may go, and what a prune removed. The rules are
// the store's (store/pg/retention.cpp); the CLI only parses the request and prints the report.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace perftrack::store {

// Of the old runs of one project x testbed x branch, which to keep anyway (a thinned history).
enum class PruneThinning {
    none,     // delete every old run that nothing protects
    every_n,  // keep the 1st, (n+1)th, (2n+1)th... old run in commit order
    monthly,  // keep the newest old run of each calendar month (UTC) of its commit time
};

struct PruneRequest {
    // Runs that started before this moment (epoch microseconds) are candidates.
    std::int64_t cutoff_us = 0;
    // Branches whose newest runs are a baseline (a pull request's check compares with them):
    // on these the newest `window_runs` runs of each testbed, and of each series, are kept.
    std::vector<std::string> baseline_branches;
    std::size_t window_runs = 0;
    PruneThinning thinning = PruneThinning::none;
    std::size_t every_n = 0;  // for PruneThinning::every_n; at least 2
    bool dry_run = false;     // report what would go; delete nothing
};

// What one project x testbed x branch lost.
struct PruneGroup {
    std::string project;
    std::string testbed;
    std::string branch;
    std::int64_t runs = 0;
    std::int64_t series_values = 0;  // sample arrays (benchmark x metric x run)
    std::int64_t samples = 0;        // repetitions in them
};

struct PruneReport {
    std::vector<PruneGroup> groups;  // by project, testbed, branch
    std::int64_t runs = 0;
    std::int64_t series_values = 0;
    std::int64_t samples = 0;
    // Old runs kept: a baseline window, an active alert, a change point or a baseline reset
    // needs them (the thinning's keepers are not counted here).
    std::int64_t protected_runs = 0;
    bool dry_run = false;
};

}  // namespace perftrack::store
