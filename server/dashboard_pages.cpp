#include "server/dashboard_pages.hpp"

#include <fmt/format.h>

#include "core/display.hpp"
#include "core/time.hpp"
#include "reports/render/html_assets.hpp"
#include "reports/render/html_escape.hpp"
#include "reports/render/html_sections.hpp"
#include "server/dashboard_urls.hpp"

namespace perftrack::server::dashboard {

namespace {

using reports::render::escape_html_attribute;
using reports::render::escape_html_text;

std::string esc(std::string_view s) {
    return escape_html_text(s);
}
std::string attr(std::string_view s) {
    return escape_html_attribute(s);
}

std::string day_time(std::int64_t us) {
    const std::string iso = core::format_iso8601_utc(us);
    return iso.size() < 16 ? iso : iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string link(const std::string& href, const std::string& text_html) {
    return fmt::format("<a href=\"{}\">{}</a>", attr(href), text_html);
}

// <head>, the breadcrumbs and the page header; `crumbs` are (label, href) with the last
// unlinked.
std::string open_page(const std::string& title,
                      const std::vector<std::pair<std::string, std::string>>& crumbs,
                      const std::string& heading_html) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
                       attr(page_csp()));
    out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += fmt::format("<title>{}</title>\n<style>", esc(title));
    out += reports::render::report_css();
    out += "</style>\n</head>\n<body>\n";
    reports::render::append_breadcrumbs(out, crumbs);
    out += fmt::format("<header class=\"page-header\">\n<h1>{}</h1>\n</header>\n<main>\n",
                       heading_html);
    return out;
}

std::string close_page(const std::string& version) {
    return fmt::format(
        "</main>\n<footer><p>perftrack {} dashboard. Times are UTC.</p></footer>\n</body>\n"
        "</html>\n",
        esc(version));
}

std::string verdict_html(const HeadVerdict& v) {
    if (!v.evaluated) return fmt::format("<span class=\"muted\">{}</span>", esc(v.note));
    std::string out;
    if (v.regressions > 0)
        out += fmt::format(
            "<span class=\"badge badge-regression\"><span aria-hidden=\"true\">\u2717</span> "
            "{} regression{}</span> ",
            v.regressions, v.regressions == 1 ? "" : "s");
    if (v.improvements > 0)
        out += fmt::format(
            "<span class=\"badge badge-improvement\"><span aria-hidden=\"true\">\u2713</span> "
            "{} improvement{}</span> ",
            v.improvements, v.improvements == 1 ? "" : "s");
    if (v.regressions + v.improvements == 0)
        out += "<span class=\"badge badge-unchanged\">= no significant change</span> ";
    out += fmt::format("<span class=\"muted\">{} unchanged, {} other</span>", v.unchanged, v.other);
    return out;
}

}  // namespace

std::string page_csp() {
    return fmt::format(
        "default-src 'none'; style-src {}; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'",
        reports::render::report_css_csp_source());
}

std::string projects_page(const ProjectsPage& page) {
    std::string out = open_page("perftrack dashboard", {{"Projects", ""}},
                                "perftrack <span class=\"project\">projects</span>");
    out +=
        "<section id=\"projects\" aria-labelledby=\"projects-title\">\n"
        "<h2 id=\"projects-title\">Projects</h2>\n";
    if (page.projects.empty()) {
        out += "<p class=\"empty\" id=\"projects-empty\">No project to show.</p>\n";
    } else {
        out +=
            "<div class=\"table-wrap\"><table class=\"data\" id=\"projects-table\">\n"
            "<thead><tr><th scope=\"col\">Project</th><th scope=\"col\">Visibility</th>"
            "<th scope=\"col\" class=\"num\">Runs</th></tr></thead>\n<tbody>\n";
        for (const auto& p : page.projects)
            out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
                               link(project_url(p.name), esc(p.name)),
                               p.is_public ? "public" : "private (your token)", p.runs);
        out += "</tbody></table></div>\n";
    }
    if (page.hidden > 0)
        out += fmt::format(
            "<p class=\"section-note\" id=\"projects-hidden\">{} private project{} not listed: "
            "open <code>/p/PROJECT?token=TOKEN</code> with a read token of the project.</p>\n",
            page.hidden, page.hidden == 1 ? " is" : "s are");
    out += "</section>\n";
    return out + close_page(page.version);
}

std::string project_page(const ProjectPage& page) {
    const std::string& p = page.project;
    std::string out = open_page("perftrack: " + p, {{"Projects", "/"}, {p, ""}},
                                fmt::format("perftrack <span class=\"project\">{}</span>", esc(p)));
    if (!page.flash.empty())
        out += fmt::format("<p class=\"section-note\" id=\"flash\" role=\"status\">{}</p>\n",
                           esc(page.flash));
    out +=
        "<section id=\"branches\" aria-labelledby=\"branches-title\">\n"
        "<h2 id=\"branches-title\">Branches and testbeds</h2>\n";
    if (page.heads.empty()) {
        out += "<p class=\"empty\" id=\"branches-empty\">No runs stored yet.</p>\n";
    } else {
        out +=
            "<div class=\"table-wrap\"><table class=\"data\" id=\"branches-table\">\n"
            "<thead><tr><th scope=\"col\">Branch</th><th scope=\"col\">Testbed</th>"
            "<th scope=\"col\">Newest commit</th><th scope=\"col\">Verdict there</th>"
            "<th scope=\"col\" class=\"num\">Runs</th></tr></thead>\n<tbody>\n";
        for (const auto& row : page.heads) {
            const auto& h = row.head;
            out += fmt::format(
                "<tr data-branch=\"{}\" data-testbed=\"{}\"><td>{}</td><td>{}</td>"
                "<td>{} <span class=\"muted\">{}</span></td><td>{}</td>"
                "<td class=\"num\">{}</td></tr>\n",
                attr(h.branch), attr(h.testbed),
                link(report_url(p, h.testbed, h.branch, ""), esc(h.branch)), esc(h.testbed),
                link(report_url(p, h.testbed, h.branch, h.commit),
                     "<code>" + esc(core::short_sha(h.commit)) + "</code>"),
                esc(day_time(h.commit_time_us)), verdict_html(row.verdict), h.runs);
        }
        out += "</tbody></table></div>\n";
    }
    out += "</section>\n";

    out +=
        "<section id=\"alerts\" aria-labelledby=\"alerts-title\">\n"
        "<h2 id=\"alerts-title\">Open alerts</h2>\n";
    if (page.alerts.empty()) {
        out += "<p class=\"empty\" id=\"alerts-empty\">No open or acknowledged alerts.</p>\n";
    } else {
        out +=
            "<div class=\"table-wrap\"><table class=\"data\" id=\"alerts-table\">\n"
            "<thead><tr><th scope=\"col\">Alert</th><th scope=\"col\">State</th>"
            "<th scope=\"col\">Benchmark</th><th scope=\"col\">Params</th>"
            "<th scope=\"col\">Metric</th><th scope=\"col\">Branch / testbed</th>"
            "<th scope=\"col\" class=\"num\">Change</th><th scope=\"col\">Since</th>"
            "<th scope=\"col\">Note</th>";
        if (page.admin) out += "<th scope=\"col\">Acknowledge</th>";
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& a : page.alerts) {
            const bool acked = a.status == store::AlertStatus::acknowledged;
            out += fmt::format("<tr id=\"alert-{}\" data-state=\"{}\"><td>#{}</td>", a.id,
                               store::to_string(a.status), a.id);
            out += fmt::format("<td><span class=\"badge badge-{}\">{}</span></td>",
                               acked ? "unchanged" : "regression", acked ? "acknowledged" : "open");
            out += fmt::format("<td>{}</td><td class=\"params\">{}</td><td>{}</td>",
                               link(series_url(p, a.testbed, a.branch, a.series, a.commit),
                                    esc(a.series.benchmark)),
                               esc(core::params_text(a.series.params)), esc(a.series.metric));
            out += fmt::format("<td>{} / {}</td>", esc(a.branch), esc(a.testbed));
            out += fmt::format("<td class=\"num\">{:+.1f} %</td>", a.change_pct);
            out += fmt::format("<td>{}</td><td>{}</td>",
                               link(report_url(p, a.testbed, a.branch, a.commit),
                                    "<code>" + esc(core::short_sha(a.commit)) + "</code>"),
                               esc(a.note));
            if (page.admin) {
                if (acked) {
                    out += "<td class=\"muted\">done</td>";
                } else {
                    out += fmt::format(
                        "<td><form class=\"inline ack\" method=\"post\" action=\"{}\">"
                        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">"
                        "<input type=\"text\" name=\"note\" required aria-label=\"note\" "
                        "placeholder=\"why (required)\"> <button type=\"submit\">Acknowledge"
                        "</button></form></td>",
                        attr(ack_url(p, a.id)), attr(page.csrf));
                }
            }
            out += "</tr>\n";
        }
        out += "</tbody></table></div>\n";
    }
    if (!page.admin)
        out +=
            "<p class=\"section-note\" id=\"ack-note\">Acknowledging an alert needs an admin "
            "token of this project (sign in below).</p>\n";
    out += "</section>\n";

    out +=
        "<section id=\"access\" aria-labelledby=\"access-title\">\n"
        "<h2 id=\"access-title\">Access</h2>\n";
    out += fmt::format("<p class=\"section-note\">This project is {}.{}</p>\n",
                       page.is_public ? "publicly readable" : "private: reading needs a token",
                       page.signed_in ? (page.admin ? " You are signed in with an admin token."
                                                    : " You are signed in with a token.")
                                      : "");
    if (page.signed_in) {
        out += fmt::format(
            "<form class=\"inline\" method=\"post\" action=\"{}\"><input type=\"hidden\" "
            "name=\"csrf\" value=\"{}\"><button type=\"submit\" id=\"sign-out\">Sign out"
            "</button></form>\n",
            attr(logout_url(p)), attr(page.csrf));
    } else {
        out += fmt::format(
            "<form class=\"inline\" method=\"post\" action=\"{}\" id=\"login\"><label>Token "
            "<input type=\"password\" name=\"token\" autocomplete=\"off\" required></label> "
            "<button type=\"submit\">Sign in</button></form>\n",
            attr(login_url(p)));
    }
    out += "</section>\n";
    return out + close_page(page.version);
}

std::string message_page(const std::string& title, const std::string& message,
                         const std::string& login_project) {
    std::vector<std::pair<std::string, std::string>> crumbs = {{"Projects", "/"}};
    if (!login_project.empty()) crumbs.push_back({login_project, project_url(login_project)});
    std::string out = open_page("perftrack: " + title, crumbs, esc(title));
    out += fmt::format("<p class=\"section-note\" id=\"message\">{}</p>\n", esc(message));
    if (!login_project.empty())
        out += fmt::format(
            "<form method=\"post\" action=\"{}\" id=\"login\"><label>Token <input "
            "type=\"password\" name=\"token\" autocomplete=\"off\" required></label> <button "
            "type=\"submit\">Sign in</button></form>\n",
            attr(login_url(login_project)));
    return out + close_page("");
}

std::string series_history_table(const reports::render::ReportModel& m, const std::string& point) {
    if (m.series.empty()) return {};
    const auto& s = m.series.front();
    std::vector<bool> change_at(m.commits.size(), false);
    std::vector<double> change_of(m.commits.size(), 0);
    for (const auto& c : s.change_points)
        if (c.position < change_at.size()) {
            change_at[c.position] = true;
            change_of[c.position] = c.change;
        }
    std::string out = "<section id=\"history\" aria-labelledby=\"history-title\">\n";
    out += fmt::format(
        "<h2 id=\"history-title\">Every commit <span class=\"sub\">{} commits, {} change "
        "point{}, newest first</span></h2>\n",
        s.points.size(), s.change_points.size(), s.change_points.size() == 1 ? "" : "s");
    out +=
        "<div class=\"table-wrap\"><table class=\"data\" id=\"history-table\">\n"
        "<thead><tr><th scope=\"col\">Commit</th><th scope=\"col\">Time</th>"
        "<th scope=\"col\" class=\"num\">Median</th><th scope=\"col\" class=\"num\">Min</th>"
        "<th scope=\"col\" class=\"num\">Max</th><th scope=\"col\" class=\"num\">"
        "Repetitions</th><th scope=\"col\">Change point</th><th scope=\"col\">Link</th>"
        "</tr></thead>\n<tbody>\n";
    for (auto it = s.points.rbegin(); it != s.points.rend(); ++it) {
        const auto& pt = *it;
        if (pt.position >= m.commits.size()) continue;
        const auto& c = m.commits[pt.position];
        const core::DisplayScale scale = core::shared_scale(s.id.unit, pt.min, pt.max);
        const bool pinned = !point.empty() && c.commit == point;
        out +=
            fmt::format("<tr id=\"c-{}\"{}{}>", attr(c.commit), pinned ? " class=\"pinned\"" : "",
                        change_at[pt.position] ? " data-change=\"1\"" : "");
        out += fmt::format(
            "<td>{}{}</td><td>{}</td>",
            link(report_url(m.header.project, m.header.testbed, m.header.branch, c.commit),
                 "<code>" + esc(core::short_sha(c.commit)) + "</code>"),
            c.subject.empty() ? std::string()
                              : " <span class=\"muted\">" + esc(c.subject) + "</span>",
            esc(day_time(c.commit_time_us)));
        for (const double v : {pt.median, pt.min, pt.max})
            out += fmt::format("<td class=\"num\">{}</td>", esc(core::format_scaled(v, scale)));
        out += fmt::format("<td class=\"num\">{}</td>", pt.repetitions);
        out += change_at[pt.position]
                   ? fmt::format("<td><span class=\"change\">{} {}</span></td>",
                                 change_of[pt.position] > 0 ? "\u25B2" : "\u25BC",
                                 core::format_change(change_of[pt.position]))
                   : std::string("<td></td>");
        out += fmt::format("<td>{}</td></tr>\n", link(series_url(m.header.project, m.header.testbed,
                                                                 m.header.branch, s.id, c.commit),
                                                      "pin"));
    }
    out += "</tbody></table></div>\n</section>\n";
    return out;
}

}  // namespace perftrack::server::dashboard
