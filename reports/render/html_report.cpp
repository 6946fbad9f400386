#include "reports/render/html_report.hpp"

#include <fmt/format.h>

#include "reports/render/chart_data.hpp"
#include "reports/render/html_assets.hpp"
#include "reports/render/html_escape.hpp"
#include "reports/render/html_sections.hpp"
#include "reports/render/variants_html.hpp"

namespace perftrack::reports::render {

// Why this policy:
// - default-src 'none': nothing may be fetched (no scripts, styles, images, fonts, frames,
//   fetch/XHR, ...) from anywhere; the report works offline and cannot phone home.
// - script-src / style-src by SHA-256 hash rather than 'unsafe-inline': 'unsafe-inline' would
//   also run any <script> or inline event handler that slipped through escaping (the very
//   thing a CSP is there to stop), and 'self' means nothing for a file:// page. A hash allows
//   exactly our one script and one stylesheet. Inline style="" attributes stay forbidden, so
//   the page uses none; the script sizes elements through the CSSOM (element.style), which
//   CSP does not restrict. The JSON data block is not script (type="application/json" is
//   never executed), so it needs no hash.
// - base-uri 'none' and form-action 'none': injected markup can neither re-point relative links
//   nor submit data anywhere. (frame-ancestors and sandbox are ignored in a <meta> policy.)
std::string content_security_policy() {
    return fmt::format(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
        report_js_csp_source(), report_css_csp_source());
}

std::string render_html(const ReportModel& model, const HtmlOptions& options) {
    const std::string_view script = report_js();
    const std::string_view style = report_css();
    const std::string data = escape_script_json(
        chart_data(model).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    std::string title = options.title;
    if (title.empty()) {
        title = "perftrack report: " + model.header.project;
        if (!model.header.branch.empty()) title += " (" + model.header.branch + ")";
    }

    std::string out;
    out.reserve(data.size() + script.size() + style.size() + 1024 + model.series.size() * 420);
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    // The policy comes first, before any element it governs.
    out += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
                       escape_html_attribute(content_security_policy()));
    out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += fmt::format("<meta name=\"generator\" content=\"perftrack {}\">\n",
                       escape_html_attribute(model.header.perftrack_version));
    out += fmt::format("<title>{}</title>\n", escape_html_text(title));
    out += "<style>";
    out += style;
    out += "</style>\n</head>\n";
    out += fmt::format("<body data-lazy=\"{}\">\n", options.lazy_charts ? 1 : 0);
    append_breadcrumbs(out, options.breadcrumbs);
    append_header(out, model);
    out += "<main>\n";
    append_verdict(out, model);
    // Right after the verdict: which variant is faster is what such a project reads first, and
    // the trends below can be thousands of charts.
    append_variants(out, model.variants);
    append_trends(out, model, options.open_all_suites_up_to, options.series_href);
    append_comparison(out, model);
    append_alerts(out, model);
    out += options.appendix_html;
    out += "</main>\n";
    append_footer(out, model);
    out += "<div id=\"tooltip\" class=\"tooltip\" role=\"tooltip\" hidden></div>\n";
    out += "<script type=\"application/json\" id=\"report-data\">";
    out += data;
    out += "</script>\n<script>";
    out += script;
    out += "</script>\n</body>\n</html>\n";
    return out;
}

}  // namespace perftrack::reports::render
