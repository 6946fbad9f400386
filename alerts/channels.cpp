#include "alerts/channels.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "alerts/slack_sink.hpp"
#include "alerts/webhook_sink.hpp"
#include "core/file_io.hpp"

namespace perftrack::alerts {

namespace {

constexpr const char* k_default_github_api_url = "https://api.github.com";
// An event payload is a few KiB; anything near this is not one.
constexpr std::uint64_t k_max_event_bytes = 16 * 1024 * 1024;
// Bounds that keep a mistyped setting from stalling CI for hours.
constexpr Milliseconds k_max_setting_duration{10 * 60 * 1000};
constexpr int k_max_attempts_setting = 20;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

struct UrlParts {
    std::string scheme;  // lower-case
    std::string host;    // lower-case, without brackets, port or user info
};

std::optional<UrlParts> split_url(std::string_view url) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    UrlParts parts;
    parts.scheme = lower(std::string(url.substr(0, sep)));
    std::string_view rest = url.substr(sep + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        parts.host = std::string(rest.substr(1, close - 1));
    } else {
        parts.host = std::string(rest.substr(0, rest.find(':')));
    }
    parts.host = lower(parts.host);
    if (parts.host.empty()) return std::nullopt;
    return parts;
}

bool loopback_host(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// Checks an http(s) URL. `what` names the setting (never the value: a webhook URL is a secret).
core::Result<void> check_http_url(const std::string& url, const std::string& what) {
    const auto parts = split_url(url);
    if (!parts || (parts->scheme != "http" && parts->scheme != "https"))
        return core::fail(core::ErrorKind::usage,
                          fmt::format("{} is not an http:// or https:// URL", what),
                          "give the full URL, for example https://hooks.example.com/...");
    return {};
}

core::Result<Milliseconds> duration_setting(const EnvLookup& env, const char* name,
                                            Milliseconds fallback) {
    const auto text = env(name);
    if (!text) return fallback;
    const auto value = parse_duration(*text);
    if (!value || *value > k_max_setting_duration)
        return core::fail(
            core::ErrorKind::usage,
            fmt::format("{}='{}' is not a duration of at most 10 minutes", name, *text),
            "write it like 250ms, 5s or 1m");
    return *value;
}

core::Result<HttpSettings> http_settings(const EnvLookup& env) {
    HttpSettings s;
    auto connect = duration_setting(env, "PERFTRACK_HTTP_CONNECT_TIMEOUT", s.connect_timeout);
    if (!connect) return tl::unexpected(connect.error());
    auto total = duration_setting(env, "PERFTRACK_HTTP_TIMEOUT", s.total_timeout);
    if (!total) return tl::unexpected(total.error());
    auto backoff = duration_setting(env, "PERFTRACK_HTTP_BACKOFF", s.retry.initial_backoff);
    if (!backoff) return tl::unexpected(backoff.error());
    auto retry_after =
        duration_setting(env, "PERFTRACK_HTTP_MAX_RETRY_AFTER", s.retry.max_retry_after);
    if (!retry_after) return tl::unexpected(retry_after.error());
    auto deadline = duration_setting(env, "PERFTRACK_HTTP_DEADLINE", s.retry.deadline);
    if (!deadline) return tl::unexpected(deadline.error());
    if (connect->count() == 0 || total->count() == 0 || deadline->count() == 0)
        return core::fail(core::ErrorKind::usage,
                          "PERFTRACK_HTTP_CONNECT_TIMEOUT, PERFTRACK_HTTP_TIMEOUT and "
                          "PERFTRACK_HTTP_DEADLINE must be longer than zero");
    s.connect_timeout = *connect;
    s.total_timeout = *total;
    s.retry.initial_backoff = *backoff;
    // The cap keeps its ratio to the first wait: four doublings.
    s.retry.max_backoff = std::max(*backoff * 16, Milliseconds(0));
    s.retry.max_retry_after = *retry_after;
    s.retry.deadline = *deadline;
    if (const auto attempts = env("PERFTRACK_HTTP_ATTEMPTS")) {
        int n = 0;
        const auto [end, ec] =
            std::from_chars(attempts->data(), attempts->data() + attempts->size(), n);
        if (ec != std::errc() || end != attempts->data() + attempts->size() || n < 1 ||
            n > k_max_attempts_setting)
            return core::fail(core::ErrorKind::usage,
                              fmt::format("PERFTRACK_HTTP_ATTEMPTS='{}' is not a whole number from "
                                          "1 to {}",
                                          *attempts, k_max_attempts_setting));
        s.retry.max_attempts = n;
    }
    return s;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

bool valid_repository(std::string_view repo) {
    const auto slash = repo.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == repo.size()) return false;
    return std::all_of(repo.begin(), repo.end(),
                       [](char c) {
                           const auto u = static_cast<unsigned char>(c);
                           return std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '/';
                       }) &&
           repo.find('/', slash + 1) == std::string_view::npos &&
           repo.find("..") == std::string_view::npos;
}

// Where the GitHub settings come from when GitHub is on.
core::Result<std::optional<GitHubTarget>> github_target(const ChannelFlags& flags,
                                                        const EnvLookup& env,
                                                        std::vector<std::string>& notes) {
    const bool in_actions = env("GITHUB_ACTIONS") == std::optional<std::string>("true");
    const auto token = env("GITHUB_TOKEN");
    if (!flags.github && !(in_actions && token)) return std::optional<GitHubTarget>();
    if (!token)
        return core::fail(core::ErrorKind::usage, "--github needs GITHUB_TOKEN in the environment",
                          "in GitHub Actions add 'env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}' "
                          "to the step");
    GitHubTarget t;
    t.token = *token;
    const auto repo = env("GITHUB_REPOSITORY");
    if (!repo || !valid_repository(*repo))
        return core::fail(core::ErrorKind::usage,
                          repo ? fmt::format("GITHUB_REPOSITORY='{}' is not owner/name", *repo)
                               : std::string("GitHub alerts need GITHUB_REPOSITORY (owner/name)"),
                          "GitHub Actions sets it; elsewhere export GITHUB_REPOSITORY=owner/name");
    t.repository = *repo;
    t.api_url = env("GITHUB_API_URL").value_or(k_default_github_api_url);
    while (!t.api_url.empty() && t.api_url.back() == '/') t.api_url.pop_back();
    if (auto ok = check_http_url(t.api_url, "GITHUB_API_URL"); !ok)
        return tl::unexpected(ok.error());
    const auto parts = split_url(t.api_url);
    if (parts->scheme != "https" && !loopback_host(parts->host))
        return core::fail(core::ErrorKind::usage,
                          "GITHUB_API_URL must use https:// (the token would travel in clear text)",
                          "plain http is accepted only for a server on this machine");

    // The PR: GITHUB_REF is refs/pull/N/merge on pull_request events; the event payload also
    // names it (and the head sha) for other event types.
    GitHubEventInfo event;
    if (const auto path = env("GITHUB_EVENT_PATH")) {
        const auto text = core::read_input_file(*path, k_max_event_bytes);
        const auto json = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
        if (!text) {
            notes.push_back("GitHub: could not read GITHUB_EVENT_PATH: " + text.error().message);
        } else if (json.is_discarded()) {
            notes.push_back("GitHub: GITHUB_EVENT_PATH is not JSON; PR taken from GITHUB_REF only");
        } else {
            event = github_event_info(json);
        }
    }
    if (const auto ref = env("GITHUB_REF"); ref && ref->rfind("refs/pull/", 0) == 0) {
        const std::string rest = ref->substr(10);
        const std::string number = rest.substr(0, rest.find('/'));
        if (all_digits(number)) t.pull_request = number;
    }
    if (!t.pull_request) t.pull_request = event.pull_request;
    if (event.head_sha) t.status_sha = *event.head_sha;
    if (!t.pull_request) notes.push_back("GitHub: not a pull request; commit status only");
    return std::optional<GitHubTarget>(std::move(t));
}

}  // namespace

EnvLookup process_environment() {
    return [](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);
        if (v == nullptr || *v == '\0') return std::nullopt;
        return std::string(v);
    };
}

std::optional<Milliseconds> parse_duration(std::string_view text) {
    std::size_t digits_end = 0;
    while (digits_end < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits_end])) || text[digits_end] == '.'))
        ++digits_end;
    if (digits_end == 0) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + digits_end, value);
    if (ec != std::errc() || end != text.data() + digits_end || !std::isfinite(value))
        return std::nullopt;
    const std::string_view unit = text.substr(digits_end);
    double factor = 0;
    if (unit.empty() || unit == "ms") {
        factor = 1;
    } else if (unit == "s") {
        factor = 1000;
    } else if (unit == "m") {
        factor = 60000;
    } else {
        return std::nullopt;
    }
    const double ms = value * factor;
    if (ms > 1e12) return std::nullopt;
    return Milliseconds(static_cast<std::int64_t>(std::llround(ms)));
}

GitHubEventInfo github_event_info(const nlohmann::json& event) {
    GitHubEventInfo info;
    if (!event.is_object()) return info;
    const auto number_text = [](const nlohmann::json& n) -> std::optional<std::string> {
        if (n.is_number_unsigned() || n.is_number_integer())
            return std::to_string(n.get<std::int64_t>());
        return std::nullopt;
    };
    if (const auto pr = event.find("pull_request"); pr != event.end() && pr->is_object()) {
        if (const auto n = pr->find("number"); n != pr->end()) info.pull_request = number_text(*n);
        if (const auto head = pr->find("head"); head != pr->end() && head->is_object())
            if (const auto sha = head->find("sha"); sha != head->end() && sha->is_string())
                info.head_sha = sha->get<std::string>();
    } else if (const auto issue = event.find("issue"); issue != event.end() && issue->is_object()) {
        // issue_comment events: the issue is a PR when it has a pull_request member.
        if (issue->contains("pull_request"))
            if (const auto n = issue->find("number"); n != issue->end())
                info.pull_request = number_text(*n);
    }
    return info;
}

std::vector<std::string> ChannelSettings::secrets() const {
    std::vector<std::string> out;
    if (webhook_url) out.push_back(*webhook_url);
    if (webhook_secret) out.push_back(*webhook_secret);
    if (slack_webhook_url) out.push_back(*slack_webhook_url);
    if (github) out.push_back(github->token);
    // Longest first, so a URL is scrubbed whole before a shorter secret inside it.
    std::sort(out.begin(), out.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return out;
}

core::Result<ChannelSettings> resolve_channels(const ChannelFlags& flags, const EnvLookup& env) {
    ChannelSettings s;
    auto http = http_settings(env);
    if (!http) return tl::unexpected(http.error());
    s.http = *http;
    if (flags.no_notify) return s;

    s.webhook_url = flags.webhook_url ? flags.webhook_url : env("PERFTRACK_WEBHOOK_URL");
    if (s.webhook_url) {
        if (auto ok = check_http_url(*s.webhook_url,
                                     flags.webhook_url ? "--webhook-url" : "PERFTRACK_WEBHOOK_URL");
            !ok)
            return tl::unexpected(ok.error());
        s.webhook_secret = env("PERFTRACK_WEBHOOK_SECRET");
    }
    s.slack_webhook_url =
        flags.slack_webhook_url ? flags.slack_webhook_url : env("PERFTRACK_SLACK_WEBHOOK_URL");
    if (s.slack_webhook_url) {
        if (auto ok = check_http_url(*s.slack_webhook_url, flags.slack_webhook_url
                                                               ? "--slack-webhook-url"
                                                               : "PERFTRACK_SLACK_WEBHOOK_URL");
            !ok)
            return tl::unexpected(ok.error());
    }
    auto github = github_target(flags, env, s.notes);
    if (!github) return tl::unexpected(github.error());
    s.github = std::move(*github);

    if (const auto given = flags.report_url ? flags.report_url : env("PERFTRACK_REPORT_URL")) {
        if (auto ok =
                check_http_url(*given, flags.report_url ? "--report-url" : "PERFTRACK_REPORT_URL");
            !ok)
            return tl::unexpected(ok.error());
        s.report_url = *given;
    } else if (flags.ci_job_url && check_http_url(*flags.ci_job_url, "job URL")) {
        s.report_url = *flags.ci_job_url;
    }
    return s;
}

std::vector<std::unique_ptr<AlertSink>> make_sinks(const ChannelSettings& settings,
                                                   const HttpClient& client) {
    std::vector<std::unique_ptr<AlertSink>> sinks;
    if (settings.slack_webhook_url)
        sinks.push_back(std::make_unique<SlackSink>(client, *settings.slack_webhook_url));
    if (settings.webhook_url)
        sinks.push_back(
            std::make_unique<WebhookSink>(client, *settings.webhook_url, settings.webhook_secret));
    if (settings.github) sinks.push_back(std::make_unique<GitHubSink>(client, *settings.github));
    return sinks;
}

}  // namespace perftrack::alerts
