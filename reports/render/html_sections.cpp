#include "reports/render/html_sections.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "core/display.hpp"
#include "core/time.hpp"
#include "reports/render/html_escape.hpp"

namespace perftrack::reports::render {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

std::string esc(std::string_view s) {
    return escape_html_text(s);
}
std::string attr(std::string_view s) {
    return escape_html_attribute(s);
}

// "2024-05-01 12:30 UTC"
std::string readable_time(std::int64_t epoch_us) {
    const std::string iso = core::format_iso8601_utc(epoch_us);
    if (iso.size() < 16) return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

// A short sha, linked through the commit URL template when there is one; the full sha in the
// title either way.
std::string commit_html(const ReportModel& m, std::string_view sha) {
    const std::string url = commit_url(m.header.commit_url_template, sha);
    if (url.empty())
        return fmt::format("<code title=\"{}\">{}</code>", attr(sha), esc(core::short_sha(sha)));
    return fmt::format(
        "<a class=\"mono\" href=\"{}\" title=\"{}\" rel=\"noopener noreferrer\">{}</a>", attr(url),
        attr(sha), esc(core::short_sha(sha)));
}

// For data-v attributes that the script sorts by: shortest round-trip form, locale-free.
std::string sort_number(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return "";
    return fmt::format("{}", *v);
}

std::string change_html(double change, core::Direction direction) {
    const char* arrow = change > 0 ? "\u25B2 " : change < 0 ? "\u25BC " : "";
    const char* cls = change == 0                         ? "change"
                      : core::is_worse(direction, change) ? "change change-worse"
                                                          : "change change-better";
    return fmt::format("<span class=\"{}\">{}{}</span>", cls, arrow, core::format_change(change));
}

const char* status_symbol(VerdictStatus s) {
    switch (s) {
        case VerdictStatus::regression:
            return "\u2717";  // ✗
        case VerdictStatus::improvement:
            return "\u2713";  // ✓
        case VerdictStatus::unchanged:
            return "=";
        case VerdictStatus::insufficient_data:
            return "?";
        case VerdictStatus::new_series:
            return "+";
    }
    return "";
}

std::string status_words(VerdictStatus s) {
    return s == VerdictStatus::insufficient_data ? "insufficient data" : std::string(to_string(s));
}

std::string badge_html(VerdictStatus s) {
    return fmt::format(
        "<span class=\"badge badge-{}\"><span aria-hidden=\"true\">{}</span> {}</span>",
        to_string(s), status_symbol(s), status_words(s));
}

std::string direction_words(core::Direction d) {
    return d == core::Direction::lower ? "lower is better" : "higher is better";
}

void card(std::string& out, const char* cls, std::size_t count, VerdictStatus s,
          const char* singular, const char* plural, std::string_view behaviour) {
    out += fmt::format(
        "<button type=\"button\" class=\"card card-{}{}\" {} data-count=\"{}\"><span "
        "class=\"card-count\">{}</span><span class=\"card-label\"><span aria-hidden=\"true\">{}"
        "</span> {}</span></button>",
        cls, count == 0 ? " card-zero" : "", behaviour, count, count, status_symbol(s),
        count == 1 ? singular : plural);
}

}  // namespace

void append_header(std::string& out, const ReportModel& m) {
    out += "<header class=\"page-header\">\n";
    out += fmt::format("<h1>perftrack report <span class=\"project\">{}</span></h1>\n",
                       esc(m.header.project));
    out += "<dl class=\"facts\">\n";
    auto fact = [&](std::string_view label, const std::string& html, std::string_view id = {}) {
        out += fmt::format("<div{}><dt>{}</dt><dd>{}</dd></div>\n",
                           id.empty() ? "" : fmt::format(" id=\"{}\"", id), label, html);
    };
    fact("Branch", esc(m.header.branch), "fact-branch");
    fact("Testbed", esc(m.header.testbed), "fact-testbed");
    if (m.commits.empty()) {
        fact("Commits", "no runs yet", "fact-commits");
    } else {
        const auto& first = m.commits.front();
        const auto& last = m.commits.back();
        fact("Commits",
             fmt::format("{} ({}) \u2192 {} ({}) \u00b7 {} commit{}", commit_html(m, first.commit),
                         readable_time(first.commit_time_us).substr(0, 10),
                         commit_html(m, last.commit),
                         readable_time(last.commit_time_us).substr(0, 10), m.commits.size(),
                         m.commits.size() == 1 ? "" : "s"),
             "fact-commits");
    }
    fact("Series", std::to_string(m.series.size()), "fact-series");
    fact("Generated", esc(readable_time(m.header.generated_at_us)), "fact-generated");
    fact("perftrack", esc(m.header.perftrack_version), "fact-version");
    out += "</dl>\n";
    out += "<nav class=\"toc\" aria-label=\"Sections\"><a href=\"#verdict\">Verdict</a>";
    if (m.variants.enabled) out += "<a href=\"#variants\">Variants</a>";
    out +=
        "<a href=\"#trends\">Trends</a><a href=\"#compare\">Comparison</a><a "
        "href=\"#alerts\">Alerts</a></nav>\n";
    out += "</header>\n";
}

void append_verdict(std::string& out, const ReportModel& m) {
    out += "<section id=\"verdict\" aria-labelledby=\"verdict-title\">\n";
    if (!m.verdict.evaluated) {
        out += "<h2 id=\"verdict-title\">Verdict</h2>\n";
        out += fmt::format(
            "<p class=\"section-note\" id=\"verdict-note\">{}</p>\n",
            esc(m.verdict.note.empty() ? "No check was run for this report." : m.verdict.note));
        out += "</section>\n";
        return;
    }
    out += fmt::format("<h2 id=\"verdict-title\">Verdict at {}</h2>\n",
                       commit_html(m, m.verdict.candidate_commit));
    std::string note =
        m.verdict.baseline.empty() ? "" : "Compared with " + m.verdict.baseline + ".";
    if (!m.verdict.note.empty()) note += (note.empty() ? "" : " ") + m.verdict.note;
    if (!note.empty())
        out += fmt::format("<p class=\"section-note\" id=\"verdict-note\">{}</p>\n", esc(note));

    const auto c = count_verdicts(m);
    out += "<div class=\"cards\" id=\"verdict-cards\">";
    card(out, "regression", c.regressions, VerdictStatus::regression, "regression", "regressions",
         "data-filter=\"regression\" aria-pressed=\"false\"");
    card(out, "improvement", c.improvements, VerdictStatus::improvement, "improvement",
         "improvements", "data-filter=\"improvement\" aria-pressed=\"false\"");
    card(out, "unchanged", c.unchanged, VerdictStatus::unchanged, "unchanged", "unchanged",
         "data-search=\"status:unchanged\"");
    card(out, "insufficient_data", c.insufficient_data, VerdictStatus::insufficient_data,
         "insufficient data", "insufficient data", "data-search=\"status:insufficient_data\"");
    card(out, "new", c.new_series, VerdictStatus::new_series, "new series", "new series",
         "data-search=\"status:new\"");
    out += "</div>\n";

    const auto flagged = flagged_series(m);
    out += "<h3>Flagged changes</h3>\n";
    out +=
        "<div class=\"table-tools\"><label>Filter <input type=\"search\" id=\"flagged-filter\" "
        "placeholder=\"benchmark, params, metric\" aria-controls=\"flagged\"></label><label>Show "
        "<select id=\"flagged-status\" aria-controls=\"flagged\"><option value=\"\">regressions "
        "and improvements</option><option value=\"regression\">regressions only</option><option "
        "value=\"improvement\">improvements only</option></select></label>";
    out += fmt::format(
        "<span id=\"flagged-count\" class=\"muted\" aria-live=\"polite\">{} of {} "
        "shown</span></div>\n",
        flagged.size(), flagged.size());
    out += "<div class=\"table-wrap\"><table class=\"data\" id=\"flagged\">\n<thead><tr>";
    struct Column {
        const char* key;
        const char* label;
        bool numeric;
    };
    static constexpr Column k_columns[] = {
        {"status", "Status", false},     {"benchmark", "Benchmark", false},
        {"params", "Params", false},     {"metric", "Metric", false},
        {"change", "Change [CI]", true}, {"q", "q-value", true},
        {"baseline", "Baseline", true},  {"candidate", "Candidate", true},
        {"unit", "Unit", false},
    };
    // A pull request's check says what each verdict rests on (a column after the values).
    const bool pull_request = std::any_of(flagged.begin(), flagged.end(), [&](std::size_t i) {
        return !m.series[i].verdict->runs.empty();
    });
    static constexpr Column k_runs_column = {"runs", "Runs", false};
    for (const auto& col : k_columns) {
        for (const Column* head : {&k_runs_column, &col}) {
            if (head == &k_runs_column && !(pull_request && std::string_view(col.key) == "unit"))
                continue;
            out += fmt::format(
                "<th scope=\"col\" data-key=\"{}\"{} aria-sort=\"none\"><button "
                "type=\"button\" class=\"sort\">{}</button></th>",
                head->key, head->numeric ? " data-type=\"num\" class=\"num\"" : "", head->label);
        }
    }
    out += "</tr></thead>\n<tbody>\n";
    for (const std::size_t i : flagged) {
        const auto& s = m.series[i];
        const auto& v = *s.verdict;
        const std::string id = fmt::format("s-{}", i);
        const std::string params = core::params_text(s.id.params);
        const core::DisplayScale scale = core::shared_scale(
            s.id.unit, v.baseline_median.value_or(k_nan), v.candidate_median.value_or(k_nan));
        out += fmt::format("<tr class=\"row-{}\" data-status=\"{}\" data-series=\"{}\">",
                           to_string(v.status), to_string(v.status), id);
        out += fmt::format("<td data-v=\"{}\">{}</td>",
                           v.status == VerdictStatus::regression ? "0" : "1", badge_html(v.status));
        out += fmt::format("<td data-v=\"{}\"><a href=\"#{}\">{}</a></td>", attr(s.id.benchmark),
                           id, esc(s.id.benchmark));
        out += fmt::format("<td data-v=\"{}\" class=\"params\">{}</td>", attr(params), esc(params));
        out += fmt::format("<td data-v=\"{}\">{}</td>", attr(s.id.metric), esc(s.id.metric));
        std::string change =
            v.change ? change_html(*v.change, s.id.direction) : std::string(core::k_missing);
        if (v.ci_low && v.ci_high)
            change += fmt::format(" <span class=\"ci\">{}</span>",
                                  core::format_interval(*v.ci_low, *v.ci_high));
        out +=
            fmt::format("<td data-v=\"{}\" class=\"num\">{}</td>", sort_number(v.change), change);
        out += fmt::format("<td data-v=\"{}\" class=\"num\">{}</td>", sort_number(v.q_value),
                           core::format_probability(v.q_value));
        for (const auto& median : {v.baseline_median, v.candidate_median})
            out += fmt::format("<td data-v=\"{}\" class=\"num\">{}</td>", sort_number(median),
                               esc(core::format_scaled(median.value_or(k_nan), scale)));
        // A pull request's verdict: the runs it rests on, and its reason in words.
        if (pull_request)
            out += fmt::format("<td data-v=\"{}\" title=\"{}\">{}</td>", attr(v.runs), attr(v.note),
                               esc(v.runs));
        // The arrow says which way is better; its title and the chart say it in words.
        out += fmt::format(
            "<td data-v=\"{}\" class=\"unit\">{} <span class=\"muted\" title=\"{}\">{}</span></td>",
            attr(s.id.unit), esc(s.id.unit), direction_words(s.id.direction),
            s.id.direction == core::Direction::lower ? "\u2193 better" : "\u2191 better");
        out += "</tr>\n";
    }
    out += "</tbody></table></div>\n";
    if (flagged.empty())
        out +=
            "<p class=\"empty\" id=\"flagged-empty\">No significant change at this commit: "
            "nothing got slower or faster beyond the threshold.</p>\n";
    out += "</section>\n";
}

void append_trends(std::string& out, const ReportModel& m, std::size_t open_all_up_to,
                   const std::function<std::string(const SeriesReport&)>& series_href) {
    out += "<section id=\"trends\" aria-labelledby=\"trends-title\">\n";
    out +=
        "<h2 id=\"trends-title\">Trends <span class=\"sub\">median of each commit's repetitions "
        "over the branch's commits</span></h2>\n";
    out += fmt::format(
        "<div class=\"toolbar\"><label for=\"series-search\">Search</label><input type=\"search\" "
        "id=\"series-search\" placeholder=\"benchmark, params, metric or status:regression\" "
        "aria-controls=\"suites\"><button type=\"button\" id=\"expand-all\">Expand all</button>"
        "<button type=\"button\" id=\"collapse-all\">Collapse all</button><span "
        "id=\"series-count\" "
        "class=\"muted\" aria-live=\"polite\">{} series</span></div>\n",
        m.series.size());
    out +=
        "<ul class=\"legend\" aria-label=\"Chart legend\">"
        "<li><svg viewBox=\"0 0 28 14\" aria-hidden=\"true\"><line x1=\"1\" y1=\"7\" x2=\"27\" "
        "y2=\"7\" stroke=\"#1d1f23\" stroke-width=\"2\"/></svg>median of the commit's "
        "repetitions</li>"
        "<li><svg viewBox=\"0 0 28 14\" aria-hidden=\"true\"><rect x=\"1\" y=\"2\" width=\"26\" "
        "height=\"10\" fill=\"#8d939e\" fill-opacity=\"0.35\"/></svg>spread of the repetitions "
        "(min\u2013max)</li>"
        "<li><svg viewBox=\"0 0 28 14\" aria-hidden=\"true\"><rect x=\"1\" y=\"2\" width=\"26\" "
        "height=\"10\" fill=\"#56b4e9\" fill-opacity=\"0.22\" stroke=\"#56b4e9\"/><line x1=\"1\" "
        "y1=\"7\" x2=\"27\" y2=\"7\" stroke=\"#56b4e9\" stroke-dasharray=\"4 3\"/></svg>baseline "
        "the check compared with: 10th\u201390th percentile of the earlier commits' medians (up "
        "to 30, since the last change or baseline reset)</li>"
        "<li><svg viewBox=\"0 0 28 14\" aria-hidden=\"true\"><line x1=\"14\" y1=\"0\" x2=\"14\" "
        "y2=\"14\" stroke=\"#d55e00\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/></svg>change "
        "point (\u25B2/\u25BC, change, commit, worse/better)</li>"
        "<li><svg viewBox=\"0 0 28 14\" aria-hidden=\"true\"><circle cx=\"14\" cy=\"7\" r=\"4\" "
        "fill=\"#fff\" stroke=\"#1d1f23\" stroke-width=\"1.5\"/></svg>partial run (some "
        "benchmark of the commit failed)</li></ul>\n";
    if (m.series.empty()) {
        out += "<p class=\"empty\">No series in this report.</p>\n";
    }
    // Group by suite in series order (the model is sorted by suite first).
    std::vector<std::pair<std::string, std::vector<std::size_t>>> suites;
    for (std::size_t i = 0; i < m.series.size(); ++i) {
        if (suites.empty() || suites.back().first != m.series[i].id.suite)
            suites.push_back({m.series[i].id.suite, {}});
        suites.back().second.push_back(i);
    }
    const bool open_all = m.series.size() <= open_all_up_to;
    // With nothing flagged anywhere the first suite opens, so the page never starts with every
    // chart folded away.
    bool any_flagged = false;
    for (const auto& s : m.series)
        any_flagged =
            any_flagged || (s.verdict && (s.verdict->status == VerdictStatus::regression ||
                                          s.verdict->status == VerdictStatus::improvement));
    out += "<div id=\"suites\">\n";
    for (std::size_t k = 0; k < suites.size(); ++k) {
        const auto& [suite, members] = suites[k];
        std::size_t regressions = 0, improvements = 0;
        for (const auto i : members) {
            const auto& v = m.series[i].verdict;
            if (v && v->status == VerdictStatus::regression) ++regressions;
            if (v && v->status == VerdictStatus::improvement) ++improvements;
        }
        const bool open = open_all || regressions + improvements > 0 || (k == 0 && !any_flagged);
        std::string meta = fmt::format("{} series", members.size());
        if (regressions > 0)
            meta += fmt::format(" \u00b7 \u2717 {} regression{}", regressions,
                                regressions == 1 ? "" : "s");
        if (improvements > 0)
            meta += fmt::format(" \u00b7 \u2713 {} improvement{}", improvements,
                                improvements == 1 ? "" : "s");
        out += fmt::format(
            "<details class=\"suite\" id=\"suite-{}\"{}><summary><span class=\"suite-name\">{}"
            "</span><span class=\"suite-meta\">{}</span></summary>\n<div class=\"series-grid\">\n",
            k, open ? " open" : "", suite.empty() ? "(no suite)" : esc(suite), meta);
        for (const auto i : members) {
            const auto& s = m.series[i];
            const std::string params = core::params_text(s.id.params);
            out += fmt::format("<article class=\"series\" id=\"s-{}\" data-i=\"{}\"", i, i);
            if (s.verdict) out += fmt::format(" data-status=\"{}\"", to_string(s.verdict->status));
            out += fmt::format("><h3 class=\"series-title\"><span class=\"bench\">{}</span>",
                               esc(s.id.benchmark));
            if (!params.empty())
                out += fmt::format(" <span class=\"params\">{}</span>", esc(params));
            if (s.verdict && s.verdict->status != VerdictStatus::unchanged)
                out += " " + badge_html(s.verdict->status);
            if (series_href) {
                const std::string href = series_href(s);
                if (!commit_url(href, "").empty())
                    out += fmt::format(" <a class=\"series-link\" href=\"{}\">history</a>",
                                       attr(href));
            }
            out += "</h3>";
            out += fmt::format(
                "<p class=\"series-sub\">{} \u00b7 {} \u00b7 {} \u00b7 {} commit{}{}</p>",
                esc(s.id.metric), esc(s.id.unit.empty() ? "no unit" : s.id.unit),
                direction_words(s.id.direction), s.points.size(), s.points.size() == 1 ? "" : "s",
                s.change_points.empty()
                    ? std::string()
                    : fmt::format(" \u00b7 {} change point{}", s.change_points.size(),
                                  s.change_points.size() == 1 ? "" : "s"));
            out += fmt::format("<div class=\"chart\" data-i=\"{}\"></div></article>\n", i);
        }
        out += "</div></details>\n";
    }
    out += "</div>\n</section>\n";
}

void append_comparison(std::string& out, const ReportModel& m) {
    out += "<section id=\"compare\" aria-labelledby=\"compare-title\">\n";
    out +=
        "<h2 id=\"compare-title\">Comparison across params <span class=\"sub\">latest median "
        "per series</span></h2>\n";
    if (m.comparisons.empty()) {
        out +=
            "<p class=\"empty\" id=\"pivot-empty\">Nothing to compare: no metric is measured "
            "by two or more series.</p>\n</section>\n";
        return;
    }
    out +=
        "<p class=\"section-note\">Choose a metric, then which params form the rows and the "
        "columns (or fix one to a single value). Each row marks its best cell (\u2605) and "
        "shows the others as a multiple of it; with a single column, the rows are compared "
        "with each other.</p>\n";
    out +=
        "<div id=\"pivot\"><noscript><p class=\"empty\">The comparison table needs "
        "JavaScript.</p></noscript></div>\n</section>\n";
}

void append_alerts(std::string& out, const ReportModel& m) {
    out += "<section id=\"alerts\" aria-labelledby=\"alerts-title\">\n";
    out += "<h2 id=\"alerts-title\">Alerts</h2>\n";
    if (!m.alerts.note.empty())
        out += fmt::format("<p class=\"section-note\" id=\"alerts-note\">{}</p>\n",
                           esc(m.alerts.note));
    if (!m.alerts.tracked) {
        if (m.alerts.note.empty())
            out += "<p class=\"empty\" id=\"alerts-note\">This store keeps no alerts.</p>\n";
        out += "</section>\n";
        return;
    }
    if (m.alerts.items.empty()) {
        out +=
            "<p class=\"empty\" id=\"alerts-empty\">No open or recently resolved alerts.</p>\n"
            "</section>\n";
        return;
    }
    out +=
        "<div class=\"table-wrap\"><table class=\"data\" id=\"alerts-table\">\n<thead><tr>"
        "<th scope=\"col\">State</th><th scope=\"col\">Benchmark</th><th scope=\"col\">Params"
        "</th><th scope=\"col\">Metric</th><th scope=\"col\" class=\"num\">Change</th><th "
        "scope=\"col\">Since commit</th><th scope=\"col\">Opened</th><th scope=\"col\">Resolved"
        "</th></tr></thead>\n<tbody>\n";
    for (const auto& a : m.alerts.items) {
        const char* symbol = a.state == AlertState::resolved ? "\u2713"
                             : a.state == AlertState::open   ? "\u25CF"
                                                             : "\u25D0";
        const char* cls = a.state == AlertState::resolved ? "resolved" : "open";
        out += fmt::format(
            "<tr data-state=\"{}\"><td><span class=\"badge badge-{}\"><span "
            "aria-hidden=\"true\">{}</span> {}</span>{}</td>",
            to_string(a.state), cls, symbol, to_string(a.state),
            a.id > 0 ? fmt::format(" <span class=\"muted\">#{}</span>", a.id) : std::string());
        if (a.series_index && *a.series_index < m.series.size())
            out += fmt::format("<td><a href=\"#s-{}\">{}</a></td>", *a.series_index,
                               esc(a.series.benchmark));
        else
            out += fmt::format("<td>{}</td>", esc(a.series.benchmark));
        out += fmt::format("<td class=\"params\">{}</td><td>{}</td>",
                           esc(core::params_text(a.series.params)), esc(a.series.metric));
        const core::Direction direction = a.series.direction;
        out += fmt::format("<td class=\"num\">{}</td>", a.change ? change_html(*a.change, direction)
                                                                 : std::string(core::k_missing));
        out += fmt::format("<td>{}{}</td>", commit_html(m, a.commit),
                           a.commit_subject.empty()
                               ? std::string()
                               : " <span class=\"muted\">" + esc(a.commit_subject) + "</span>");
        out += fmt::format("<td>{}</td><td>{}</td></tr>\n", esc(readable_time(a.opened_at_us)),
                           a.resolved_at_us ? esc(readable_time(*a.resolved_at_us)) : "\u2014");
    }
    out += "</tbody></table></div>\n</section>\n";
}

void append_breadcrumbs(std::string& out,
                        const std::vector<std::pair<std::string, std::string>>& crumbs) {
    if (crumbs.empty()) return;
    out += "<nav class=\"crumbs\" aria-label=\"Breadcrumbs\">";
    for (std::size_t i = 0; i < crumbs.size(); ++i) {
        const auto& [label, href] = crumbs[i];
        if (i > 0) out += " <span aria-hidden=\"true\">\u203a</span> ";
        // commit_url() keeps only site-relative and http(s) URLs, unchanged when they hold no
        // "{sha}".
        const std::string url = commit_url(href, "");
        if (url.empty())
            out += fmt::format("<span>{}</span>", esc(label));
        else
            out += fmt::format("<a href=\"{}\">{}</a>", attr(url), esc(label));
    }
    out += "</nav>\n";
}

void append_footer(std::string& out, const ReportModel& m) {
    out += "<footer>\n";
    if (!m.notes.empty()) {
        out += "<ul id=\"notes\">";
        for (const auto& n : m.notes) out += "<li>" + esc(n) + "</li>";
        out += "</ul>\n";
    }
    out += fmt::format(
        "<p>Generated by perftrack {} on {}. Values are shown to 3 significant "
        "digits; times are UTC.</p>\n</footer>\n",
        esc(m.header.perftrack_version), esc(readable_time(m.header.generated_at_us)));
}

}  // namespace perftrack::reports::render
