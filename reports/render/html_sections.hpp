#pragma once
// The server-rendered parts of the HTML report, one function per section. Each appends
// escaped HTML to `out`; the page's script adds behaviour (sorting, filtering, charts) on top,
// so the content is readable even before (or without) the script.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

// Page header: project, branch, testbeds, commit range, series count, generation time, version.
void append_header(std::string& out, const ReportModel& model);

// Verdict cards and the flagged-changes table (id "flagged"; one row per flagged series, in
// flagged_series() order; rows carry data-status and data-series).
void append_verdict(std::string& out, const ReportModel& model);

// One collapsible <details class="suite"> per suite, holding an <article class="series"
// id="s-N"> with an empty chart container per series. Suites start open when the report has
// at most `open_all_up_to` series; otherwise only those with flagged series do.
// `series_href`, when set, gives each series title a link (the dashboard's series page).
void append_trends(std::string& out, const ReportModel& model, std::size_t open_all_up_to,
                   const std::function<std::string(const SeriesReport&)>& series_href = {});

// The container the script fills with the params pivot table.
void append_comparison(std::string& out, const ReportModel& model);

// Open and recently resolved alerts (id "alerts-table"), or what the store offers instead.
void append_alerts(std::string& out, const ReportModel& model);

void append_footer(std::string& out, const ReportModel& model);

// The dashboard's breadcrumb links (label, href), escaped; nothing when empty.
void append_breadcrumbs(std::string& out,
                        const std::vector<std::pair<std::string, std::string>>& crumbs);

}  // namespace perftrack::reports::render
