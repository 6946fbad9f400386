#include "client/api_client.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/http_client.hpp"

namespace perftrack::client {

namespace {

std::string server_label(const ServerTarget& target) {
    return fmt::format("perftrack server {}", target.describe());
}

}  // namespace

ApiError error_from_reply(const ServerTarget& target, long status, std::string_view body) {
    ApiError e;
    if (status == 401 || status == 403) {
        e.exit_code = 5;
    } else if (status >= 400 && status <= 499 && status != 429) {
        e.exit_code = 2;
    } else {
        e.exit_code = 3;
    }
    std::string message;
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object()) {
        if (auto it = doc.find("error"); it != doc.end() && it->is_string())
            message = it->get<std::string>();
        if (auto it = doc.find("exit_code"); it != doc.end() && it->is_number_integer()) {
            const int code = it->get<int>();
            if (code >= 1 && code <= 5) e.exit_code = code;
        }
    }
    if (message.empty()) message = fmt::format("HTTP {} from {}", status, server_label(target));
    if (status == 401)
        e.hint = "set PERFTRACK_TOKEN to a valid token of this project (perftrack token create)";
    else if (status == 403)
        e.hint = "the token's project or scope does not allow this (ingest, read or admin)";
    e.message = target.scrub(std::move(message));
    return e;
}

ApiClient::ApiClient(ServerTarget target, RetrySettings retry)
    : m_target(std::move(target)), m_retry(retry) {}

ApiResult<ApiReply> ApiClient::get(std::string_view path_and_query) const {
    return send("GET", path_and_query, {}, {});
}

ApiResult<ApiReply> ApiClient::post(std::string_view path_and_query, std::string body,
                                    std::string_view content_type) const {
    return send("POST", path_and_query, std::move(body), content_type);
}

ApiResult<ApiReply> ApiClient::send(std::string_view method, std::string_view path_and_query,
                                    std::string body, std::string_view content_type) const {
    alerts::HttpSettings settings;
    settings.connect_timeout = m_retry.connect_timeout;
    settings.total_timeout = m_retry.attempt_timeout;
    settings.retry.max_attempts = m_retry.max_attempts;
    settings.retry.initial_backoff = m_retry.initial_backoff;
    settings.retry.max_backoff = m_retry.max_backoff;
    settings.retry.max_retry_after = m_retry.max_retry_after;
    settings.retry.deadline = m_retry.deadline;
    settings.ca_file = m_target.ca_file;
    alerts::HttpClient http(settings, {m_target.token});
    if (m_observer) http.set_retry_observer(m_observer);

    alerts::HttpRequest request;
    request.method = std::string(method);
    request.url = m_target.api_url(path_and_query);
    request.endpoint = server_label(m_target);
    request.headers.emplace_back("Accept", "application/json");
    if (!m_target.token.empty())
        request.headers.emplace_back("Authorization", "Bearer " + m_target.token);
    if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
    request.body = std::move(body);

    const auto outcome = http.send(request);
    if (outcome.ok()) {
        ApiReply reply;
        reply.status = outcome.response->status;
        reply.body = outcome.response->body;
        if (auto it = outcome.response->headers.find("x-perftrack-exit-code");
            it != outcome.response->headers.end()) {
            if (it->second == "0" || it->second == "1") reply.exit_code = it->second == "1" ? 1 : 0;
        }
        return reply;
    }
    if (!outcome.response) {
        // No answer at all: down, unreachable, timed out, or TLS refused.
        ApiError e;
        e.exit_code = 3;
        e.message = m_target.scrub(outcome.error);
        return tl::unexpected(std::move(e));
    }
    ApiError e = error_from_reply(m_target, outcome.response->status, outcome.response->body);
    if (e.unavailable())
        // The server answered but could not serve (503 while its database is down, 429 for
        // longer than we wait): say what the retries ended with too.
        e.message = m_target.scrub(fmt::format("{} ({})", e.message, outcome.error));
    return tl::unexpected(std::move(e));
}

}  // namespace perftrack::client
