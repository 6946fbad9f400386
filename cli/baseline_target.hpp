#pragma once
// Which baseline a pull request's check compares with: the baseline branch (flag, else the CI
// provider's target branch, else "main") and the merge-base commit (flag, else the CI
// provider's variable, else `git merge-base`).

#include <cstdint>
#include <optional>
#include <string>

#include "runner/context/ci_environment.hpp"

namespace perftrack::cli {

// GITHUB_BASE_REF, CI_MERGE_REQUEST_TARGET_BRANCH_NAME, CHANGE_TARGET (Jenkins),
// BUILDKITE_PULL_REQUEST_BASE_BRANCH; nullopt outside a pull request.
std::optional<std::string> ci_target_branch(const runner::EnvLookup& env);

// CI_MERGE_REQUEST_DIFF_BASE_SHA (GitLab computes the merge-base itself); nullopt elsewhere.
std::optional<std::string> ci_merge_base(const runner::EnvLookup& env);

struct MergeBase {
    std::string commit;
    std::optional<std::int64_t> commit_time_us;
};

// `git merge-base <commit> <baseline>` in the current directory, trying origin/<baseline>
// first; nullopt outside a repository or when git does not know the commits.
std::optional<MergeBase> git_merge_base_of(const std::string& commit,
                                           const std::string& baseline_branch);

}  // namespace perftrack::cli
