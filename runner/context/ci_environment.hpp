#pragma once
// Run context from CI provider variables: GitHub Actions, GitLab CI, Jenkins, Buildkite,
// CircleCI, and a generic PERFTRACK_* override that wins over all of them.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/model.hpp"

namespace perftrack::runner {

// Reads variables through `getenv` (injectable for tests). Only fields the environment knows
// are set. ci_run_key identifies the CI job attempt (stable across re-runs of perftrack inside
// it), which makes the default run key idempotent.
using EnvLookup = std::function<std::optional<std::string>(const char*)>;

core::RunContext context_from_ci(const EnvLookup& env);
core::RunContext context_from_ci();  // the process environment

// Generic overrides: PERFTRACK_PROJECT, PERFTRACK_TESTBED, PERFTRACK_BRANCH, PERFTRACK_COMMIT,
// PERFTRACK_COMMIT_TIME, PERFTRACK_RUN_ID, PERFTRACK_RUN_GROUP, PERFTRACK_PR, PERFTRACK_JOB_URL.
core::RunContext context_from_perftrack_env(const EnvLookup& env);

EnvLookup process_env();

// The pull request number in a GitHub Actions event payload (GITHUB_EVENT_PATH), if any.
std::optional<std::string> pull_request_from_github_event(const std::filesystem::path& event_file);

}  // namespace perftrack::runner
