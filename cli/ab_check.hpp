#pragma once
// The paired test of A/B runs (reports/ab), shared by `perftrack run --ab --check` (on the
// samples just measured) and `perftrack check --ab` (on the newest A/B run of a commit in the
// store).

#include <optional>
#include <string>
#include <vector>

#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "core/model.hpp"
#include "reports/ab/ab_comparison.hpp"

namespace perftrack::cli {

// A/B runs live on their own testbed, "<testbed>:ab", out of the rolling baselines.
std::string ab_testbed(const std::string& testbed);

// The check's settings as the A/B test uses them: alpha, the minimum change and its per-metric
// overrides.
reports::ab::AbSettings ab_settings(const reports::detect::DetectionSettings& settings);

// Judges `measurements`, prints the report to stdout in `format` (text, json, markdown) and
// returns true when something regressed; an Error when they cannot be compared.
core::Result<bool> print_ab_check(const std::vector<core::Measurement>& measurements,
                                  const reports::ab::AbSettings& settings,
                                  const std::string& format);

// perftrack check --ab: the newest A/B run of the commit (project, testbed, branch and commit
// resolved like check does). Returns the exit code (1 on a regression unless no_fail), or the
// Error: no A/B run of the commit.
core::Result<int> check_ab_in_store(const CommonOptions& common, const DetectionFlags& detection,
                                    const std::string& format, bool no_fail);

}  // namespace perftrack::cli
