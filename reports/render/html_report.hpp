#pragma once
// The HTML report: one self-contained page (CSS, JavaScript, SVG and data inline; nothing
// loaded from anywhere) that people open from a CI artifact.

#include <cstddef>
#include <string>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

struct HtmlOptions {
    // <title>; empty: "perftrack report: <project> (<branch>)".
    std::string title;
    // Draw charts when they scroll into view (IntersectionObserver). False draws every chart at
    // load: fine for small reports and printing, slow for thousands of series.
    bool lazy_charts = true;
    // Suites start expanded when the report has at most this many series; otherwise only the
    // suites with a flagged series are open, so the page opens fast and shows what matters.
    std::size_t open_all_suites_up_to = 60;
};

// Pure and deterministic: the same model and options give the same bytes (the generation time
// comes from the model, never from the clock).
std::string render_html(const ReportModel& model, const HtmlOptions& options = {});

// The Content-Security-Policy the page carries: it allows exactly the page's one inline script
// and one stylesheet (report_js(), report_css()) by their SHA-256 hashes.
std::string content_security_policy();

}  // namespace perftrack::reports::render
