#pragma once
// The server-rendered parts of the HTML report, one function per section. Each appends
// escaped HTML to `out`; the page's script adds behaviour (sorting, filtering, charts) on top,
// so the content is readable even before (or without) the script.

#include <string>

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
void append_trends(std::string& out, const ReportModel& model, std::size_t open_all_up_to);

// The container the script fills with the params pivot table.
void append_comparison(std::string& out, const ReportModel& model);

// Open and recently resolved alerts (id "alerts-table"), or what the store offers instead.
void append_alerts(std::string& out, const ReportModel& model);

void append_footer(std::string& out, const ReportModel& model);

}  // namespace perftrack::reports::render
