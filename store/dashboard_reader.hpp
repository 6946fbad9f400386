#pragma once
// What the dashboard of `perftrack serve` reads besides histories and alerts: the projects, the
// (testbed, branch) pairs of a project with their newest commit, and a cheap version of a
// project's data that tells the server when a cached report is stale. A separate interface (the
// server asks for it with dynamic_cast) so that store.hpp, which every store implements, keeps
// its shape.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace perftrack::store {

struct ProjectSummary {
    std::string name;
    bool is_public = false;
    std::int64_t runs = 0;
};

// One testbed x branch of a project that has runs.
struct BranchHead {
    std::string testbed;
    std::string branch;
    std::string commit;  // the newest commit in the branch's commit order (as load_history)
    std::int64_t commit_time_us = 0;
    std::int64_t runs = 0;
};

class DashboardReader {
  public:
    virtual ~DashboardReader() = default;
    // Every project, by name.
    virtual std::vector<ProjectSummary> list_projects() = 0;
    // The project's testbed x branch pairs with runs, by testbed then branch; empty when the
    // project does not exist.
    virtual std::vector<BranchHead> branch_heads(const std::string& project) = 0;
    // Changes whenever a run, a run part or a baseline reset of the project is added or
    // removed (prune); nullopt when the project does not exist. Alerts are not part of it.
    virtual std::optional<std::string> data_version(const std::string& project) = 0;
};

}  // namespace perftrack::store
