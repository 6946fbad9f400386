#include "alerts/slack_sink.hpp"

#include <fmt/format.h>

#include "core/display.hpp"

namespace perftrack::alerts {

namespace {

// Slack rejects a section whose text exceeds 3000 characters.
constexpr std::size_t k_section_text_limit = 3000;

// Inside `code` spans a backtick would end the span early.
std::string code_span(std::string_view text) {
    std::string s = slack_escape(text);
    for (char& c : s)
        if (c == '`') c = '\'';
    return "`" + s + "`";
}

std::string where_phrase(const CheckNotice& n, bool markup) {
    const auto item = [&](const std::string& s) { return markup ? code_span(s) : s; };
    std::string out;
    if (!n.project.empty()) out += " in " + item(n.project);
    if (!n.branch.empty()) out += " on " + item(n.branch);
    if (n.pull_request) out += fmt::format(" (PR #{})", slack_escape(*n.pull_request));
    if (!n.commit.empty()) out += " at " + item(core::short_sha(n.commit));
    if (!n.testbed.empty()) out += ", testbed " + item(n.testbed);
    return out;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string headline(const CheckNotice& n, bool markup) {
    const VerdictCounts c = count_verdicts(n.verdicts);
    const std::size_t located = n.located_steps.size();
    std::string lead;
    if (c.regressions == 0 && located == 0) {
        lead = "no regressions";
    } else {
        if (c.regressions > 0) lead = plural(c.regressions, "regression", "regressions");
        if (located > 0) {
            if (!lead.empty()) lead += " and ";
            lead +=
                plural(located, "regressing step", "regressing steps") + " located in the history";
        }
        if (n.new_alerts > 0 && n.new_alerts < c.regressions + located)
            lead += fmt::format(" ({} new)", n.new_alerts);
    }
    if (markup) lead = "*" + lead + "*";
    return fmt::format("{}perftrack{}: {}{} — {}", markup ? "*" : "", markup ? "*" : "", lead,
                       where_phrase(n, markup), counts_phrase(c));
}

std::string regression_line(const NoticeVerdict& v) {
    std::string name = code_span(v.series.benchmark);
    const std::string params = core::params_text(v.series.params);
    if (!params.empty()) name += " (" + slack_escape(params) + ")";
    std::string line = fmt::format("• {} · {}: *{}*", name, slack_escape(v.series.metric),
                                   core::format_change_percent(v.change_pct));
    if (v.ci_low_pct && v.ci_high_pct)
        line += fmt::format(" (95 % CI {})",
                            core::format_interval(*v.ci_low_pct / 100, *v.ci_high_pct / 100));
    if (!v.since_commit.empty()) line += " since " + code_span(core::short_sha(v.since_commit));
    return line;
}

}  // namespace

std::string slack_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

nlohmann::json slack_payload(const CheckNotice& notice, std::size_t top_regressions) {
    nlohmann::json blocks = nlohmann::json::array();
    blocks.push_back(
        {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", headline(notice, true)}}}});

    std::vector<NoticeVerdict> all = notice.verdicts;
    all.insert(all.end(), notice.located_steps.begin(), notice.located_steps.end());
    const auto regressions = regressions_by_size(all);
    if (!regressions.empty()) {
        std::string list;
        std::size_t shown = 0;
        for (const auto* v : regressions) {
            if (shown == top_regressions) break;
            std::string line = regression_line(*v);
            // Keep room for the "and N more" line.
            if (list.size() + line.size() + 64 > k_section_text_limit) break;
            if (!list.empty()) list += '\n';
            list += line;
            ++shown;
        }
        if (shown < regressions.size())
            list += fmt::format("\n… and {} more", regressions.size() - shown);
        blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", list}}}});
    }
    std::string text = headline(notice, false);
    if (!notice.report_url.empty()) {
        blocks.push_back(
            {{"type", "context"},
             {"elements",
              nlohmann::json::array({{{"type", "mrkdwn"},
                                      {"text", fmt::format("<{}|Open the report>",
                                                           slack_escape(notice.report_url))}}})}});
        text += " — report: " + notice.report_url;
    }
    return {{"text", slack_escape(text)}, {"blocks", blocks}};
}

DeliveryResult SlackSink::deliver(const CheckNotice& notice) {
    HttpRequest request;
    request.method = "POST";
    request.url = m_url;
    request.endpoint = "Slack webhook";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = slack_payload(notice).dump();
    const HttpOutcome outcome = m_client.send(request);
    DeliveryResult r;
    r.channel = std::string(channel());
    r.ok = outcome.ok();
    r.attempts = outcome.attempts;
    r.error = outcome.error;
    if (r.ok) r.detail = "posted the summary";
    return r;
}

}  // namespace perftrack::alerts
