#include "reports/render/json_report.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "reports/render/variants_json.hpp"

namespace perftrack::reports::render {

namespace {

std::string json_text(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class Writer {
  public:
    explicit Writer(std::string& out) : m_out(out) {}

    void raw(std::string_view s) { m_out += s; }
    void string(std::string_view s) { m_out += json_text(std::string(s)); }
    void number(double v) {
        if (!std::isfinite(v)) {
            m_out += "null";
            return;
        }
        fmt::format_to(std::back_inserter(m_out), "{}", v);
    }
    void number(const std::optional<double>& v) {
        if (v)
            number(*v);
        else
            m_out += "null";
    }
    void integer(std::uint64_t v) { fmt::format_to(std::back_inserter(m_out), "{}", v); }
    void boolean(bool v) { m_out += v ? "true" : "false"; }
    void json(const nlohmann::json& j) { m_out += json_text(j); }
    void time(std::int64_t epoch_us) { string(core::format_iso8601_utc(epoch_us)); }
    // `"name":`, preceded by a comma unless it is the first key of its object.
    void key(std::string_view name, bool first = false) {
        if (!first) m_out += ',';
        m_out += '"';
        m_out += name;
        m_out += "\":";
    }

  private:
    std::string& m_out;
};

void write_verdict(Writer& w, const Verdict& v) {
    w.key("status", true);
    w.string(to_string(v.status));
    w.key("change");
    w.number(v.change);
    w.key("ci");
    if (v.ci_low && v.ci_high) {
        w.raw("[");
        w.number(*v.ci_low);
        w.raw(",");
        w.number(*v.ci_high);
        w.raw("]");
    } else {
        w.raw("null");
    }
    w.key("p_value");
    w.number(v.p_value);
    w.key("q_value");
    w.number(v.q_value);
    w.key("baseline");
    w.raw("{\"median\":");
    w.number(v.baseline_median);
    w.raw("}");
    w.key("candidate");
    w.raw("{\"median\":");
    w.number(v.candidate_median);
    w.raw("}");
    if (!v.runs.empty()) {
        w.key("runs");
        w.string(v.runs);
    }
    if (!v.note.empty()) {
        w.key("note");
        w.string(v.note);
    }
}

// Per commit position, its JSON text pieces, formatted once for every series.
struct CommitText {
    std::string commit;   // "\"sha\""
    std::string time;     // "\"2024-05-01T12:00:00Z\""
    std::string subject;  // "\"Fix the parser\""
};

void write_series(Writer& w, const SeriesReport& s, const std::vector<CommitText>& commits) {
    auto commit = [&](std::uint32_t position) -> std::string_view {
        return position < commits.size() ? std::string_view(commits[position].commit) : "null";
    };
    w.raw("{");
    w.key("suite", true);
    w.string(s.id.suite);
    w.key("benchmark");
    w.string(s.id.benchmark);
    w.key("params");
    w.json(s.id.params);
    w.key("metric");
    w.string(s.id.metric);
    w.key("unit");
    w.string(s.id.unit);
    w.key("direction");
    w.string(core::to_string(s.id.direction));
    w.key("points");
    w.raw("[");
    for (std::size_t i = 0; i < s.points.size(); ++i) {
        const auto& p = s.points[i];
        w.raw(i == 0 ? "{" : ",{");
        w.key("commit", true);
        w.raw(commit(p.position));
        w.key("commit_time");
        w.raw(p.position < commits.size() ? std::string_view(commits[p.position].time) : "null");
        w.key("subject");
        w.raw(p.position < commits.size() ? std::string_view(commits[p.position].subject) : "null");
        w.key("value");
        w.number(p.value);
        w.key("runs");
        w.integer(p.runs);
        w.key("median");
        w.number(p.median);
        w.key("min");
        w.number(p.min);
        w.key("max");
        w.number(p.max);
        w.key("repetitions");
        w.integer(p.repetitions);
        w.key("baseline");
        if (p.baseline) {
            w.raw("{\"median\":");
            w.number(p.baseline->median);
            w.raw(",\"low\":");
            w.number(p.baseline->low);
            w.raw(",\"high\":");
            w.number(p.baseline->high);
            w.raw(",\"commits\":");
            w.integer(p.baseline->commits);
            w.raw("}");
        } else {
            w.raw("null");
        }
        w.raw("}");
    }
    w.raw("]");
    w.key("change_points");
    w.raw("[");
    for (std::size_t i = 0; i < s.change_points.size(); ++i) {
        const auto& c = s.change_points[i];
        w.raw(i == 0 ? "{" : ",{");
        w.key("commit", true);
        w.raw(commit(c.position));
        w.key("change");
        w.number(c.change);
        w.key("p_value");
        w.number(c.p_value);
        w.raw("}");
    }
    w.raw("]");
    w.key("verdict");
    if (s.verdict) {
        w.raw("{");
        write_verdict(w, *s.verdict);
        w.raw("}");
    } else {
        w.raw("null");
    }
    w.raw("}");
}

}  // namespace

std::string render_json(const ReportModel& m) {
    std::vector<CommitText> commits;
    commits.reserve(m.commits.size());
    for (const auto& c : m.commits)
        commits.push_back({json_text(c.commit),
                           json_text(core::format_iso8601_utc(c.commit_time_us)),
                           json_text(c.subject)});
    std::size_t points = 0;
    for (const auto& s : m.series) points += s.points.size();

    std::string out;
    out.reserve(points * 220 + m.series.size() * 300 + m.commits.size() * 160 + 4096);
    Writer w(out);
    w.raw("{");
    w.key("project", true);
    w.string(m.header.project);
    w.key("branch");
    w.string(m.header.branch);
    w.key("testbed");
    w.string(m.header.testbed);
    w.key("generated_at");
    w.time(m.header.generated_at_us);
    w.key("perftrack_version");
    w.string(m.header.perftrack_version);
    w.key("commit_url_template");
    w.string(m.header.commit_url_template);

    w.raw("\n");
    w.key("commits");
    w.raw("[");
    for (std::size_t i = 0; i < m.commits.size(); ++i) {
        const auto& c = m.commits[i];
        w.raw(i == 0 ? "\n{" : ",\n{");
        w.key("commit", true);
        w.raw(commits[i].commit);
        w.key("subject");
        w.raw(commits[i].subject);
        w.key("commit_time");
        w.raw(commits[i].time);
        w.key("runs");
        w.integer(c.runs);
        w.key("partial");
        w.boolean(c.partial);
        w.raw("}");
    }
    w.raw("]\n");

    const auto counts = count_verdicts(m);
    w.key("verdicts");
    w.raw("{");
    w.key("evaluated", true);
    w.boolean(m.verdict.evaluated);
    w.key("commit");
    w.string(m.verdict.candidate_commit);
    w.key("baseline");
    w.string(m.verdict.baseline);
    w.key("note");
    w.string(m.verdict.note);
    w.key("summary");
    w.json({{"regression", counts.regressions},
            {"improvement", counts.improvements},
            {"unchanged", counts.unchanged},
            {"insufficient_data", counts.insufficient_data},
            {"new", counts.new_series}});
    w.key("flagged");  // indices into "series", in the page's order
    w.json(flagged_series(m));
    w.raw("}\n");

    w.key("series");
    w.raw("[");
    for (std::size_t i = 0; i < m.series.size(); ++i) {
        w.raw(i == 0 ? "\n" : ",\n");
        write_series(w, m.series[i], commits);
    }
    w.raw("]\n");

    w.key("comparisons");
    w.raw("[");
    for (std::size_t i = 0; i < m.comparisons.size(); ++i) {
        const auto& g = m.comparisons[i];
        w.raw(i == 0 ? "\n{" : ",\n{");
        w.key("metric", true);
        w.string(g.metric);
        w.key("unit");
        w.string(g.unit);
        w.key("direction");
        w.string(core::to_string(g.direction));
        w.key("dimensions");
        w.json(g.dimensions);
        w.key("entries");
        w.raw("[");
        for (std::size_t k = 0; k < g.entries.size(); ++k) {
            const auto& e = g.entries[k];
            w.raw(k == 0 ? "{" : ",{");
            w.key("series", true);
            w.integer(e.series);
            w.key("value");
            w.number(e.value);
            w.key("commit");
            w.raw(e.position < commits.size() ? std::string_view(commits[e.position].commit)
                                              : "null");
            w.raw("}");
        }
        w.raw("]}");
    }
    w.raw("]\n");

    w.key("alerts");
    w.raw("{");
    w.key("tracked", true);
    w.boolean(m.alerts.tracked);
    w.key("note");
    w.string(m.alerts.note);
    w.key("items");
    w.raw("[");
    for (std::size_t i = 0; i < m.alerts.items.size(); ++i) {
        const auto& a = m.alerts.items[i];
        w.raw(i == 0 ? "{" : ",{");
        w.key("id", true);
        w.integer(static_cast<std::uint64_t>(a.id));
        w.key("state");
        w.string(to_string(a.state));
        w.key("source");
        w.string(a.source);
        w.key("series");
        if (a.series_index)
            w.integer(*a.series_index);
        else
            w.raw("null");
        w.key("benchmark");
        w.string(a.series.benchmark);
        w.key("params");
        w.json(a.series.params);
        w.key("metric");
        w.string(a.series.metric);
        w.key("commit");
        w.string(a.commit);
        w.key("commit_subject");
        w.string(a.commit_subject);
        w.key("change");
        w.number(a.change);
        w.key("opened_at");
        w.time(a.opened_at_us);
        w.key("resolved_at");
        if (a.resolved_at_us)
            w.time(*a.resolved_at_us);
        else
            w.raw("null");
        w.raw("}");
    }
    w.raw("]}\n");
    w.key("variants");
    w.json(variants_json(m.variants));
    w.raw("\n");
    w.key("notes");
    w.json(m.notes);
    w.raw("}\n");
    return out;
}

}  // namespace perftrack::reports::render
