#pragma once
// One request to the perftrack server's API v1, with the server's retry policy, and its failure
// as the exit code the same failure gives against a database (docs/api.yaml, "Error"):
//   no answer, or 429/5xx after the retries  -> 3 (the caller spools what it was storing)
//   any other 4xx, 401/403 included          -> 2, with the server's own message (a missing,
//                                               wrong or too small token is the caller's to fix)
// A JSON error body's "exit_code" (1-4) wins over these defaults; 5 stays for perftrack's bugs. The
// token is scrubbed from every message; URLs are never quoted beyond the server's base.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "client/server_target.hpp"

namespace perftrack::client {

// How long the CLI keeps trying one request. A server behind a reverse proxy restarts in
// seconds, a database failover takes tens of seconds; beyond three minutes a CI job is better
// off spooling (exit 3) and pushing later.
struct RetrySettings {
    int max_attempts = 5;
    std::chrono::milliseconds initial_backoff{500};  // doubled per attempt, with equal jitter
    std::chrono::milliseconds max_backoff{8000};
    std::chrono::milliseconds max_retry_after{60000};  // a longer Retry-After is not waited for
    std::chrono::milliseconds deadline{180000};        // every attempt and wait together
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds attempt_timeout{60000};  // a check of a large project takes a while
};

struct ApiError {
    int exit_code = 3;
    std::string message;  // one line, token scrubbed
    std::string hint;
    bool unavailable() const { return exit_code == 3; }
};

template <typename T>
using ApiResult = tl::expected<T, ApiError>;

struct ApiReply {
    long status = 0;
    std::string body;
    std::optional<int> exit_code;  // X-Perftrack-Exit-Code, when the server sent one
};

class ApiClient {
  public:
    explicit ApiClient(ServerTarget target, RetrySettings retry = {});

    // `path_and_query` is relative to /api/v1 ("/projects/p/check?branch=main").
    ApiResult<ApiReply> get(std::string_view path_and_query) const;
    ApiResult<ApiReply> post(std::string_view path_and_query, std::string body,
                             std::string_view content_type) const;

    // Called with each retry's (scrubbed) reason, for --verbose.
    void on_retry(std::function<void(const std::string&)> observer) {
        m_observer = std::move(observer);
    }
    const ServerTarget& target() const { return m_target; }

  private:
    ApiResult<ApiReply> send(std::string_view method, std::string_view path_and_query,
                             std::string body, std::string_view content_type) const;

    ServerTarget m_target;
    RetrySettings m_retry;
    std::function<void(const std::string&)> m_observer;
};

// The error an unsuccessful reply stands for (exposed for tests): status, the JSON body's
// "error" and "exit_code" when it has them.
ApiError error_from_reply(const ServerTarget& target, long status, std::string_view body);

}  // namespace perftrack::client
