#include "cli/baseline_target.hpp"

#include <filesystem>

#include "core/time.hpp"
#include "runner/context/git_info.hpp"

namespace perftrack::cli {

std::optional<std::string> ci_target_branch(const runner::EnvLookup& env) {
    for (const char* name :
         {"PERFTRACK_BASELINE_BRANCH", "GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
          "CHANGE_TARGET", "BUILDKITE_PULL_REQUEST_BASE_BRANCH"})
        if (auto v = env(name)) return v;
    return std::nullopt;
}

std::optional<std::string> ci_merge_base(const runner::EnvLookup& env) {
    return env("CI_MERGE_REQUEST_DIFF_BASE_SHA");
}

std::optional<MergeBase> git_merge_base_of(const std::string& commit,
                                           const std::string& baseline_branch) {
    const auto dir = std::filesystem::current_path();
    for (const std::string& ref : {"origin/" + baseline_branch, baseline_branch}) {
        if (auto base = runner::git_merge_base(dir, commit, ref)) {
            MergeBase mb{*base, std::nullopt};
            const auto ctx = runner::context_from_git(dir, *base);
            if (ctx.commit_time) mb.commit_time_us = core::parse_iso8601_us(*ctx.commit_time);
            return mb;
        }
    }
    return std::nullopt;
}

}  // namespace perftrack::cli
