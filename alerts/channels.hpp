#pragma once
// Which alert channels a command uses, from its flags and the environment. The names are fixed
// so CI setups are predictable:
//   --webhook-url / PERFTRACK_WEBHOOK_URL, PERFTRACK_WEBHOOK_SECRET (environment only)
//   --slack-webhook-url / PERFTRACK_SLACK_WEBHOOK_URL
//   --github, or GITHUB_ACTIONS=true with GITHUB_TOKEN set: GITHUB_TOKEN (environment only),
//     GITHUB_REPOSITORY, GITHUB_API_URL (default https://api.github.com), the PR number from
//     GITHUB_REF (refs/pull/N/merge) or GITHUB_EVENT_PATH
//   --report-url / PERFTRACK_REPORT_URL (else the CI job's page, where the artifacts are)
//   PERFTRACK_HTTP_CONNECT_TIMEOUT, PERFTRACK_HTTP_TIMEOUT, PERFTRACK_HTTP_ATTEMPTS,
//   PERFTRACK_HTTP_BACKOFF, PERFTRACK_HTTP_MAX_RETRY_AFTER, PERFTRACK_HTTP_DEADLINE
// Secrets (tokens, webhook secrets) are read from the environment only, never from flags or
// files, so they never land in shell history, process lists or a committed perftrack.toml.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_sink.hpp"
#include "alerts/github_sink.hpp"
#include "alerts/http_client.hpp"
#include "core/error.hpp"

namespace perftrack::alerts {

// Reads one environment variable; nullopt when unset or empty (injectable for tests; the
// signature matches runner::EnvLookup).
using EnvLookup = std::function<std::optional<std::string>(const char*)>;
EnvLookup process_environment();

struct ChannelFlags {
    std::optional<std::string> webhook_url;
    std::optional<std::string> slack_webhook_url;
    std::optional<std::string> report_url;
    // The CI job's page (from the run context): the report link when none is given, since CI
    // keeps the uploaded report among the job's artifacts.
    std::optional<std::string> ci_job_url;
    bool github = false;     // --github
    bool no_notify = false;  // --no-notify: no channel at all, whatever the environment says
};

struct ChannelSettings {
    std::optional<std::string> webhook_url;
    std::optional<std::string> webhook_secret;
    std::optional<std::string> slack_webhook_url;
    std::optional<GitHubTarget> github;
    std::string report_url;  // may be empty
    HttpSettings http;
    std::vector<std::string> notes;  // things worth a --verbose line ("GitHub: no PR number")

    bool any() const { return webhook_url || slack_webhook_url || github; }
    // Every secret of these settings (URLs of webhooks, secret, token), for redaction.
    std::vector<std::string> secrets() const;
};

// Resolves flags over the environment (flags win; secrets only from the environment). A usage
// error (exit 2) for a URL that is not http(s), a token sent over plain http to a host other
// than this machine, --github without GITHUB_TOKEN or GITHUB_REPOSITORY, or a bad
// PERFTRACK_HTTP_* value. Error messages never quote a webhook URL or a token.
core::Result<ChannelSettings> resolve_channels(const ChannelFlags& flags, const EnvLookup& env);

// One sink per configured channel (Slack, webhook, GitHub, in that order), all sending through
// `client`, which must outlive them.
std::vector<std::unique_ptr<AlertSink>> make_sinks(const ChannelSettings& settings,
                                                   const HttpClient& client);

// "250ms", "2s", "1.5s", "1m", or plain milliseconds "250"; nullopt when malformed or negative.
std::optional<Milliseconds> parse_duration(std::string_view text);

// The PR number and head sha from a GitHub event payload (GITHUB_EVENT_PATH's JSON):
// pull_request.number / .head.sha, else issue.number when the issue is a PR.
struct GitHubEventInfo {
    std::optional<std::string> pull_request;
    std::optional<std::string> head_sha;
};
GitHubEventInfo github_event_info(const nlohmann::json& event);

}  // namespace perftrack::alerts
