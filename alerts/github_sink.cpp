#include "alerts/github_sink.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/display.hpp"

namespace perftrack::alerts {

namespace {

// Keeps letters, digits and ._/: ; anything else (spaces, '-', '>') becomes '_', so no name can
// close the HTML comment the marker lives in. At most k_marker_name_limit characters, so the
// marker always leaves the comment room for the verdict.
std::string marker_safe(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, k_marker_name_limit)) {
        const auto u = static_cast<unsigned char>(c);
        out += (std::isalnum(u) || c == '.' || c == '_' || c == '/' || c == ':') ? c : '_';
    }
    return out;
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text.resize(end);
    return text;
}

// A git object name: 4 to 64 hex digits (SHA-1 or SHA-256, possibly abbreviated).
bool hex_sha(std::string_view s) {
    return s.size() >= 4 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

}  // namespace

std::string fallback_markdown(const CheckNotice& n) {
    std::string out = fmt::format("**perftrack**: {}\n", counts_phrase(count_verdicts(n.verdicts)));
    // Names come from benchmark output: escaped as the check's own Markdown escapes them (a code
    // span would end at the name's first backtick).
    for (const auto* v : regressions_by_size(n.verdicts))
        out += fmt::format("- {} {}: {}\n", core::markdown_text(core::series_name(v->series)),
                           core::markdown_text(v->series.metric),
                           core::format_change_percent(v->change_pct));
    return out;
}

std::string status_context(const CheckNotice& notice) {
    return notice.testbed.empty() ? "perftrack" : "perftrack/" + notice.testbed;
}

std::string sticky_marker(const CheckNotice& notice) {
    return fmt::format("<!-- perftrack:sticky-comment project={} testbed={} -->",
                       marker_safe(notice.project), marker_safe(notice.testbed));
}

nlohmann::json status_payload(const CheckNotice& notice) {
    const VerdictCounts c = count_verdicts(notice.verdicts);
    std::string description = counts_phrase(c);
    if (c.regressions == 0) description = "No regressions: " + description;
    nlohmann::json body = {{"state", c.regressions > 0 ? "failure" : "success"},
                           {"description", cut_utf8(description, k_status_description_limit)},
                           {"context", status_context(notice)}};
    if (!notice.report_url.empty()) body["target_url"] = notice.report_url;
    return body;
}

std::string comment_body(const CheckNotice& notice) {
    const std::string head = sticky_marker(notice) + "\n";
    const std::string cut_note = "\n\n*(cut to fit GitHub's comment size limit; see the report)*";
    std::string tail;
    if (!notice.report_url.empty())
        tail = fmt::format("\n\n[Open the full report]({})\n", notice.report_url);
    // A link so long that it leaves no room for the verdict is left out: the verdict is the
    // comment. (The marker's names are bounded, so head and note always fit.)
    if (head.size() + cut_note.size() + tail.size() >= k_comment_body_limit) tail.clear();
    const std::string markdown =
        notice.markdown.empty() ? fallback_markdown(notice) : notice.markdown;
    const std::size_t room = k_comment_body_limit - head.size() - tail.size();
    if (markdown.size() <= room) return head + markdown + tail;
    return head + cut_utf8(markdown, room - cut_note.size()) + cut_note + tail;
}

HttpRequest GitHubSink::api_request(std::string method, const std::string& path, std::string body,
                                    std::string endpoint) const {
    HttpRequest r;
    r.method = std::move(method);
    r.url = m_target.api_url + path;
    r.body = std::move(body);
    r.endpoint = std::move(endpoint);
    r.headers = {{"Accept", "application/vnd.github+json"},
                 {"Authorization", "Bearer " + m_target.token},
                 {"X-GitHub-Api-Version", "2022-11-28"}};
    if (r.method != "GET") r.headers.emplace_back("Content-Type", "application/json");
    return r;
}

std::string GitHubSink::failure(const HttpOutcome& outcome) const {
    const long status = outcome.response ? outcome.response->status : 0;
    // The usual cause in Actions: the workflow's token lacks the permission.
    if (status == 403 || status == 404)
        return outcome.error +
               " (does the token have 'statuses: write' and 'pull-requests: write' on " +
               m_target.repository + "?)";
    return outcome.error;
}

std::optional<std::int64_t> GitHubSink::find_sticky_comment(const std::string& marker,
                                                            DeliveryResult& result,
                                                            std::vector<std::string>& errors) {
    for (int page = 1; page <= k_max_comment_pages; ++page) {
        const auto outcome = m_client.send(api_request(
            "GET",
            fmt::format("/repos/{}/issues/{}/comments?per_page={}&page={}", m_target.repository,
                        *m_target.pull_request, k_comments_per_page, page),
            "", "GitHub PR comments"));
        result.attempts += outcome.attempts;
        if (!outcome.ok()) {
            errors.push_back(failure(outcome));
            return std::nullopt;
        }
        const auto list = nlohmann::json::parse(outcome.response->body, nullptr, false);
        if (!list.is_array()) {
            errors.emplace_back("GitHub PR comments: the answer is not a JSON array");
            return std::nullopt;
        }
        for (const auto& comment : list) {
            if (!comment.is_object()) continue;
            const auto body = comment.find("body");
            const auto id = comment.find("id");
            if (body == comment.end() || !body->is_string() || id == comment.end() ||
                !id->is_number_integer())
                continue;
            if (body->get_ref<const std::string&>().find(marker) != std::string::npos)
                return id->get<std::int64_t>();
        }
        if (list.size() < static_cast<std::size_t>(k_comments_per_page)) return 0;
    }
    return 0;
}

DeliveryResult GitHubSink::deliver(const CheckNotice& notice) {
    DeliveryResult result;
    result.channel = std::string(channel());
    std::vector<std::string> done;
    std::vector<std::string> errors;

    const std::string sha = m_target.status_sha.empty() ? notice.commit : m_target.status_sha;
    if (!hex_sha(sha)) {
        // It becomes part of the request path: only a real sha may go there.
        errors.push_back(
            sha.empty() ? std::string("GitHub commit status: no commit sha to put it on")
                        : "GitHub commit status: '" + sha.substr(0, 80) + "' is not a commit sha");
    } else {
        const auto payload = status_payload(notice);
        const auto outcome = m_client.send(
            api_request("POST", fmt::format("/repos/{}/statuses/{}", m_target.repository, sha),
                        payload.dump(), "GitHub commit status"));
        result.attempts += outcome.attempts;
        if (outcome.ok()) {
            done.push_back(fmt::format("status {} on {}", payload["state"].get<std::string>(),
                                       core::short_sha(sha)));
        } else {
            errors.push_back(failure(outcome));
        }
    }

    if (m_target.pull_request) {
        const auto existing = find_sticky_comment(sticky_marker(notice), result, errors);
        if (existing) {
            const std::string body = nlohmann::json{{"body", comment_body(notice)}}.dump();
            const auto& repo = m_target.repository;
            const auto& pr = *m_target.pull_request;
            const auto outcome =
                *existing > 0
                    ? m_client.send(api_request(
                          "PATCH", fmt::format("/repos/{}/issues/comments/{}", repo, *existing),
                          body, "GitHub PR comment"))
                    : m_client.send(
                          api_request("POST", fmt::format("/repos/{}/issues/{}/comments", repo, pr),
                                      body, "GitHub PR comment"));
            result.attempts += outcome.attempts;
            if (!outcome.ok()) {
                errors.push_back(failure(outcome));
            } else if (*existing > 0) {
                done.push_back(fmt::format("edited comment {} on PR #{}", *existing, pr));
            } else {
                done.push_back(fmt::format("commented on PR #{}", pr));
            }
        }
    }

    result.ok = errors.empty();
    for (std::size_t i = 0; i < errors.size(); ++i) result.error += (i ? "; " : "") + errors[i];
    for (std::size_t i = 0; i < done.size(); ++i) result.detail += (i ? ", " : "") + done[i];
    return result;
}

}  // namespace perftrack::alerts
