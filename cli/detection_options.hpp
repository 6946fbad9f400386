#pragma once
// Flags shared by check, backtest and report: the detection thresholds and the resolution of
// which series are meant (project, testbed, branch, commit) when flags leave them out.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "reports/detect/settings.hpp"

namespace perftrack::cli {

struct DetectionFlags {
    std::optional<std::size_t> baseline_runs;
    std::optional<double> alpha;
    std::optional<double> min_change_percent;
    std::optional<double> exact_tolerance_percent;
};

// --baseline-runs, --alpha, --min-change (percent), --exact-tolerance (percent).
void add_detection_options(CLI::App& command, DetectionFlags& flags);

// Defaults, overridden by the flags; a bad value is a usage error (exit 2).
core::Result<reports::detect::DetectionSettings> detection_settings(const DetectionFlags& flags);

// Project, testbed, branch and commit from the flags, else CI / PERFTRACK_* variables, else
// git (testbed: the host name). `need_commit` makes a missing commit a usage error.
struct SeriesIdentity {
    std::string project;
    std::string testbed;
    std::string branch;
    std::string commit;  // empty unless resolved
};
core::Result<SeriesIdentity> resolve_identity(const CommonOptions& common, bool need_branch,
                                              bool need_commit);

}  // namespace perftrack::cli
