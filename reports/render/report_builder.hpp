#pragma once
// Builds the ReportModel that `perftrack report` renders (HTML or JSON) from the store: the
// branch's history, read once; the detector's change points and baseline windows over it; the
// check's verdicts at one commit (computed by detect::run_check, fed from the history already
// in memory); the comparison across params; and the alerts the store keeps.

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "reports/detect/settings.hpp"
#include "reports/render/report_model.hpp"
#include "reports/render/variants_builder.hpp"
#include "store/store.hpp"

namespace perftrack::reports::render {

struct ReportRequest {
    std::string project;
    std::string testbed;
    std::string branch;
    // The commit whose check the verdict section shows (a pull request's head, with
    // branch = its branch); empty: the newest commit of the branch.
    std::string commit;
    std::string baseline_branch = "main";
    std::optional<std::string> base_commit;  // pull requests: the merge-base (see CheckRequest)
    std::optional<std::int64_t> base_commit_time_us;
    detect::DetectionSettings settings;
    std::string commit_url_template;   // validated by the caller
    std::int64_t generated_at_us = 0;  // the caller reads the clock, not the builder
    std::string perftrack_version;
    // The variant tables at the verdict's commit; none when empty.
    std::optional<VariantsRequest> variants;
    // Resolved alerts are listed when they were resolved at most this long before
    // generated_at_us; active (open or acknowledged) alerts always are.
    std::int64_t resolved_alerts_window_us = k_resolved_alerts_window_us;
    static constexpr std::int64_t k_resolved_alerts_window_us = 30LL * 24 * 3600 * 1'000'000;
};

// Errors (input): `commit` was given but has no runs on the branch. A project, testbed or
// branch without runs gives a report that says so, not an error. StoreError propagates.
// `alerts` (may be null: the section then says the store keeps none) provides the alerts of
// the project, testbed and branch.
core::Result<ReportModel> build_report(store::HistoryReader& reader, store::AlertStore* alerts,
                                       const ReportRequest& request);

// The alerts section of `model` (its series and commits already built) from the store's alerts
// of its project, testbed and branch: the active ones first, then those resolved within the
// request's window, each newest first.
AlertsSection alerts_section(const std::vector<store::Alert>& alerts, const ReportModel& model,
                             const ReportRequest& request);

// The pure part, for tests: the model of `history` (the whole branch) with the check's verdicts
// read through `reader` (which must answer for the baseline branch; see CachedHistoryReader).
core::Result<ReportModel> build_report_from(const store::History& history,
                                            store::HistoryReader& reader,
                                            const ReportRequest& request);

}  // namespace perftrack::reports::render
