#pragma once
// GitHub (github.com or Enterprise, through the REST API):
// - a commit status on the checked sha: `success` or `failure`, a one-line description, the
//   report link as target_url, under the context "perftrack" (or "perftrack/<testbed>");
// - on a pull request, one sticky comment that is edited in place on every push, found again by
//   a hidden marker in its body, never a new comment per push.

#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_sink.hpp"
#include "alerts/http_client.hpp"

namespace perftrack::alerts {

struct GitHubTarget {
    std::string api_url;  // "https://api.github.com" or "https://ghe.example/api/v3"; no '/' at end
    std::string repository;                   // "owner/name"
    std::string token;                        // secret
    std::optional<std::string> pull_request;  // number, when the check is for a PR
    // The sha the status goes on. On pull_request events GITHUB_SHA is a merge commit that the
    // PR page never shows, so this is the PR's head sha when the event names it; empty: the
    // checked commit.
    std::string status_sha;
};

// GitHub shows at most 140 characters of a status description.
inline constexpr std::size_t k_status_description_limit = 140;
// GitHub rejects comment bodies above 65536 characters.
inline constexpr std::size_t k_comment_body_limit = 65536;
// The project and testbed names in the sticky marker stop after this many characters.
inline constexpr std::size_t k_marker_name_limit = 200;
// Comments listed per request while looking for the sticky one (GitHub's maximum).
inline constexpr int k_comments_per_page = 100;
// A PR with more than this many pages of comments (10,000) is not searched further; a new
// sticky comment is posted instead.
inline constexpr int k_max_comment_pages = 100;

// "perftrack" or "perftrack/<testbed>": the status context (branch protection rules name it).
std::string status_context(const CheckNotice& notice);

// The hidden first line of the sticky comment; one per project and testbed, so a matrix of
// testbeds keeps one comment each. Names are reduced to characters that cannot end an HTML
// comment.
std::string sticky_marker(const CheckNotice& notice);

// The commit status request body: {"state","description","context"[,"target_url"]}.
nlohmann::json status_payload(const CheckNotice& notice);

// The comment body: the marker, the check's Markdown, the report link; cut to GitHub's limit
// (without the link when the link alone would not leave room for the verdict).
std::string comment_body(const CheckNotice& notice);

// The comment's Markdown when the check produced none: the counts and one line per regression,
// largest first, with untrusted names escaped (core::markdown_text).
std::string fallback_markdown(const CheckNotice& notice);

class GitHubSink final : public AlertSink {
  public:
    // `client` must outlive the sink.
    GitHubSink(const HttpClient& client, GitHubTarget target)
        : m_client(client), m_target(std::move(target)) {}
    std::string_view channel() const override { return k_channel_github; }
    bool reports_every_check() const override { return true; }
    DeliveryResult deliver(const CheckNotice& notice) override;

  private:
    // `endpoint` names the request in messages: "GitHub commit status", "GitHub PR comment".
    HttpRequest api_request(std::string method, const std::string& path, std::string body,
                            std::string endpoint) const;
    // The outcome's error, with a hint about token permissions for 403 and 404.
    std::string failure(const HttpOutcome& outcome) const;
    // The id of the sticky comment on the PR, 0 when there is none yet; nullopt (and an entry
    // in `errors`) when the comments could not be listed. Adds the attempts to `result`.
    std::optional<std::int64_t> find_sticky_comment(const std::string& marker,
                                                    DeliveryResult& result,
                                                    std::vector<std::string>& errors);

    const HttpClient& m_client;
    GitHubTarget m_target;
};

}  // namespace perftrack::alerts
