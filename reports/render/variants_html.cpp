#include "reports/render/variants_html.hpp"

#include <cmath>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "core/display.hpp"
#include "reports/render/html_escape.hpp"

namespace perftrack::reports::render {

namespace {

// Failure reasons can be whole stack traces: the cell shows the start, the title all of it.
constexpr std::size_t k_failure_shown_chars = 140;

std::string esc(std::string_view s) {
    return escape_html_text(s);
}
std::string attr(std::string_view s) {
    return escape_html_attribute(s);
}

std::string direction_words(core::Direction d) {
    return d == core::Direction::lower ? "lower is better" : "higher is better";
}

// Cuts at a UTF-8 boundary (valid_utf8 later replaces nothing that was whole).
std::string shortened(std::string_view text) {
    if (text.size() <= k_failure_shown_chars) return std::string(text);
    std::size_t end = k_failure_shown_chars;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end)) + "\u2026";
}

std::string row_label(const VariantRow& row, bool with_benchmark) {
    std::string label = core::params_text(row.params);
    if (with_benchmark || label.empty()) {
        const std::string name =
            row.suite.empty() ? row.benchmark : row.suite + "/" + row.benchmark;
        label = label.empty() ? name : name + " \u00b7 " + label;
    }
    return label;
}

std::string median_html(const VariantCell& c, const std::string& unit) {
    std::string out =
        fmt::format("<span class=\"vc-med\">{}</span>", esc(core::format_value(*c.median, unit)));
    if (c.best) out += "<span class=\"vc-star\" title=\"best median in this row\">\u2605</span>";
    return out;
}

std::string n_html(const VariantCell& c) {
    return fmt::format("<span class=\"vc-n\">n={}</span>", c.n);
}

// The significance mark: an arrow for the direction of the ratio and the verdict in words, or
// "=" when the difference is not significant.
std::string mark_html(const VariantCell& c) {
    using compare::Verdict;
    if (c.verdict == Verdict::better || c.verdict == Verdict::worse) {
        const bool up = c.ratio && *c.ratio > 1;
        return fmt::format("<span class=\"vc-mark vc-{}\">{} {}</span>",
                           c.verdict == Verdict::worse ? "worse" : "better",
                           up ? "\u25B2" : "\u25BC", esc(c.verdict_words));
    }
    if (c.verdict == Verdict::no_difference)
        return "<span class=\"vc-mark vc-same\" title=\"no significant difference\">= not "
               "significant</span>";
    return "";
}

std::string cell_html(const VariantCell& c, const VariantTable& t, const std::string& ref_name) {
    std::string cls = "vc";
    std::string body;
    switch (c.kind) {
        case VariantCellKind::missing:
            return "<td class=\"vc vc-missing\" title=\"not measured\">\u2014</td>";
        case VariantCellKind::failed:
            return fmt::format(
                "<td class=\"vc vc-failed\" title=\"{}\"><span class=\"vc-fail\">\u2717 "
                "failed:</span> {}</td>",
                attr(c.failure), esc(shortened(c.failure)));
        case VariantCellKind::reference:
            cls += " vc-ref";
            body = median_html(c, t.unit) +
                   fmt::format(" <span class=\"vc-tag\" title=\"the reference ({})\">REF</span>",
                               attr(ref_name)) +
                   "<br>" + n_html(c);
            break;
        case VariantCellKind::unreferenced:
            cls += " vc-noref";
            body = median_html(c, t.unit) + "<br>" + n_html(c) +
                   fmt::format("<br><span class=\"vc-note\">{}</span>", esc(c.note));
            break;
        case VariantCellKind::compared: {
            body = median_html(c, t.unit) + " " + n_html(c);
            if (c.ratio) {
                body += fmt::format("<br><span class=\"vc-ratio\">{}\u00d7</span>",
                                    esc(core::format_number(*c.ratio)));
                if (c.interval_unbounded)
                    body += " <span class=\"vc-note\">too few samples for an interval</span>";
                else
                    body += fmt::format(" <span class=\"vc-ci\">[{}, {}]</span>",
                                        esc(core::format_number(c.ci_low)),
                                        esc(core::format_number(c.ci_high)));
            } else if (!c.note.empty()) {
                body += fmt::format("<br><span class=\"vc-note\">{}</span>", esc(c.note));
            }
            if (c.q_value) {
                // "q=0.003", or "q<0.0001" for the smallest.
                const std::string q = core::format_probability(*c.q_value);
                body += fmt::format("<br>{} <span class=\"vc-q\">q{}{}</span>", mark_html(c),
                                    q.starts_with('<') ? "" : "=", esc(q));
            }
            if (c.verdict == compare::Verdict::better) cls += " vc-is-better";
            if (c.verdict == compare::Verdict::worse) cls += " vc-is-worse";
            break;
        }
    }
    if (!c.failure.empty())
        body += fmt::format("<br><span class=\"vc-note\" title=\"{}\">\u2717 a run failed</span>",
                            attr(c.failure));
    if (c.best) cls += " vc-best";
    return fmt::format("<td class=\"{}\" data-v=\"{}\">{}</td>", cls,
                       c.median ? fmt::format("{}", *c.median) : std::string(), body);
}

// Header rows: one per compared param, adjacent equal values merged (framework over mode).
void append_header(std::string& out, const VariantsSection& s, const VariantTable& t) {
    out += "<thead>\n";
    for (std::size_t level = 0; level < s.by.size(); ++level) {
        out += "<tr>";
        if (level == 0)
            out += fmt::format("<th scope=\"col\" rowspan=\"{}\" class=\"vc-corner\">workload</th>",
                               s.by.size());
        for (std::size_t i = 0; i < t.columns.size();) {
            std::size_t span = 1;
            // Merge while every value up to this level is equal (a group of the level above).
            while (i + span < t.columns.size()) {
                bool same = true;
                for (std::size_t l = 0; l <= level; ++l)
                    same = same && t.columns[i + span].values[l] == t.columns[i].values[l];
                if (!same || level + 1 == s.by.size()) break;
                ++span;
            }
            const bool ref = level + 1 == s.by.size() && t.columns[i].reference;
            out += fmt::format("<th scope=\"col\"{}{} title=\"{}={}\">{}</th>",
                               span > 1 ? fmt::format(" colspan=\"{}\"", span) : "",
                               ref ? " class=\"vc-refcol\"" : "", attr(s.by[level]),
                               attr(t.columns[i].values[level]), esc(t.columns[i].values[level]));
            i += span;
        }
        out += "</tr>\n";
    }
    out += "</thead>\n";
}

std::string counts_text(const VariantTable& t) {
    const bool speed = t.speed;
    return fmt::format("{} {}, {} {}, {} no significant difference{}", t.counts.better,
                       speed ? "faster" : "better", t.counts.worse, speed ? "slower" : "worse",
                       t.counts.no_difference,
                       t.counts.insufficient > 0
                           ? fmt::format(", {} without a test", t.counts.insufficient)
                           : std::string());
}

}  // namespace

void append_variants(std::string& out, const VariantsSection& s) {
    if (!s.enabled) return;
    const std::string ref_name = s.reference_param + "=" + s.reference_value;
    const std::string by_text = fmt::format("{}", fmt::join(s.by, " \u00d7 "));
    std::vector<std::string> others;
    for (const auto& k : s.by)
        if (k != s.reference_param) others.push_back(k);
    const std::string same_text =
        others.empty() ? "in the same row"
                       : fmt::format("of the same {} in the same row", fmt::join(others, " and "));
    out += "<section id=\"variants\" aria-labelledby=\"variants-title\">\n";
    out += fmt::format(
        "<h2 id=\"variants-title\">Variants side by side <span class=\"sub\">{} at commit "
        "<code title=\"{}\">{}</code> ({} run{}), each against {}</span></h2>\n",
        esc(by_text), attr(s.commit), esc(core::short_sha(s.commit)), s.runs,
        s.runs == 1 ? "" : "s", esc(ref_name));
    out += fmt::format(
        "<p class=\"section-note\">Each cell: the median of every sample at this commit and their "
        "count n; its ratio to the {} variant {} with a {:g}% interval "
        "(Hodges-Lehmann on log values, Mann-Whitney); q after Benjamini-Hochberg across the "
        "table. <span class=\"vc-worse\">\u25B2</span>/<span class=\"vc-better\">\u25BC</span> "
        "with a word: significantly larger/smaller (q \u2264 {:g}), in words by the metric's "
        "direction; = not significant (no significant difference); \u2605 best median in the row; REF the "
        "reference; \u2014 not measured; \u2717 failed, with the reason.</p>\n",
        esc(ref_name), esc(same_text), 100 * s.settings.confidence, s.settings.alpha);
    for (const auto& note : s.notes)
        out += fmt::format("<p class=\"section-note\">{}</p>\n", esc(note));

    // The script reveals the selector and shows one table at a time; without it the index
    // links to every table.
    out +=
        "<div class=\"variants-picker\" id=\"variants-picker\" hidden><label "
        "for=\"variants-metric\">Metric</label> <select id=\"variants-metric\">";
    for (const auto& t : s.tables)
        out += fmt::format("<option value=\"{}\">{} ({})</option>", attr(t.anchor), esc(t.metric),
                           esc(t.unit));
    out += "</select></div>\n<nav class=\"variants-index\" aria-label=\"Variant tables\"><ul>";
    for (const auto& t : s.tables)
        out += fmt::format("<li><a href=\"#{}\">{}</a> ({})</li>", attr(t.anchor), esc(t.metric),
                           esc(counts_text(t)));
    out += "</ul></nav>\n";

    for (const auto& t : s.tables) {
        std::set<std::pair<std::string, std::string>> benchmarks;
        for (const auto& r : t.rows) benchmarks.emplace(r.suite, r.benchmark);
        out += fmt::format(
            "<details class=\"variants\" id=\"{}\" data-metric=\"{}\" open><summary><strong>{}"
            "</strong> <span class=\"sub\">{}, {} \u00b7 {} row{} \u00b7 {}</span></summary>\n",
            attr(t.anchor), attr(t.metric), esc(t.metric), esc(t.unit),
            direction_words(t.direction), t.rows.size(), t.rows.size() == 1 ? "" : "s",
            esc(counts_text(t)));
        out += "<div class=\"table-wrap\"><table class=\"data variants-table\">\n";
        append_header(out, s, t);
        out += "<tbody>\n";
        for (const auto& r : t.rows) {
            out += fmt::format("<tr><th scope=\"row\">{}</th>",
                               esc(row_label(r, benchmarks.size() > 1)));
            for (const auto& c : r.cells) out += cell_html(c, t, ref_name);
            out += "</tr>\n";
        }
        out += "</tbody></table></div>\n</details>\n";
    }
    out += "</section>\n";
}

}  // namespace perftrack::reports::render
