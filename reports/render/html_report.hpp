#pragma once
// The HTML report: one self-contained page (CSS, JavaScript, SVG and data inline; nothing
// loaded from anywhere) that people open from a CI artifact.

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

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
    // The dashboard (`perftrack serve`) embeds the report in its pages. Breadcrumbs: (label,
    // href) links shown above the header; labels are escaped here, hrefs must be site-relative
    // or http(s) URLs (others are dropped).
    std::vector<std::pair<std::string, std::string>> breadcrumbs;
    // When set, each series title links to this URL (the dashboard's series page).
    std::function<std::string(const SeriesReport&)> series_href;
    // Trusted, already escaped HTML appended at the end of <main> (the dashboard's series
    // table). Never put untrusted text here unescaped.
    std::string appendix_html;
};

// Pure and deterministic: the same model and options give the same bytes (the generation time
// comes from the model, never from the clock).
std::string render_html(const ReportModel& model, const HtmlOptions& options = {});

// The Content-Security-Policy the page carries: it allows exactly the page's one inline script
// and one stylesheet (report_js(), report_css()) by their SHA-256 hashes.
std::string content_security_policy();

}  // namespace perftrack::reports::render
