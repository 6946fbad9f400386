#pragma once
// Run context from git: the commit checked out in a directory, its time, subject, parent and
// branch. Outside a repository (or without git) every field stays empty.

#include <filesystem>
#include <optional>
#include <string>

#include "core/model.hpp"

namespace perftrack::runner {

// HEAD of the repository containing `dir`, or of `commit` when given (a sha or ref).
core::RunContext context_from_git(const std::filesystem::path& dir,
                                  const std::optional<std::string>& commit = std::nullopt);

// `git merge-base a b` in `dir`, when both are known there.
std::optional<std::string> git_merge_base(const std::filesystem::path& dir, const std::string& a,
                                          const std::string& b);

}  // namespace perftrack::runner
