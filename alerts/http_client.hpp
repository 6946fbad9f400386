#pragma once
// The one HTTP client of perftrack (libcurl; linked PRIVATE to this folder only). It sends one
// request with bounded time and bounded retries, never follows redirects (a redirect could carry
// a token to another host), speaks only http and https, and always verifies TLS certificates and
// host names: there is deliberately no switch to turn verification off.
//
// Secrets: the caller names every secret the request carries (token, webhook URL, signing key);
// each is scrubbed from every message this client produces, and the request URL itself is never
// quoted in messages, only `HttpRequest::endpoint` (a label such as "Slack webhook").

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "alerts/retry_policy.hpp"

namespace perftrack::alerts {

// Connecting is quick or broken: a few seconds tell a dead host from a slow one.
inline constexpr Milliseconds k_default_connect_timeout{5000};
// One whole attempt (connect, send, wait, receive). Webhooks answer in well under a second;
// GitHub's API in a few.
inline constexpr Milliseconds k_default_total_timeout{15000};
// Responses larger than this are cut off and the attempt fails (a listing of PR comments is the
// largest thing perftrack reads).
inline constexpr std::size_t k_max_response_bytes = 8 * 1024 * 1024;

struct HttpSettings {
    Milliseconds connect_timeout = k_default_connect_timeout;
    Milliseconds total_timeout = k_default_total_timeout;  // per attempt
    RetryPolicy retry;
    std::string user_agent;  // "perftrack/<version>" when empty
    // A PEM file of CA certificates to verify the server with instead of the system's (a
    // private CA: `perftrack --server` with PERFTRACK_SERVER_CA). Verification stays on.
    std::string ca_file;
};

struct HttpRequest {
    std::string method = "POST";  // GET, POST, PATCH
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // besides User-Agent
    std::string body;                                          // sent as is (not for GET)
    std::string endpoint;  // what messages call the target: "Slack webhook", "GitHub commit status"
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased; last value wins
    std::string body;
};

// What one send() ended with.
struct HttpOutcome {
    // The last response received, whatever its status; empty when no attempt got one.
    std::optional<HttpResponse> response;
    int attempts = 0;
    // Empty on success (a 2xx response). Else one redacted line: "Slack webhook: HTTP 500 after
    // 4 attempts", "webhook: timed out after 15000 ms (3 attempts)".
    std::string error;

    bool ok() const { return error.empty(); }
};

// Called before each wait between attempts (for --verbose logs). The message is redacted.
using RetryObserver = std::function<void(const std::string& message)>;

class HttpClient {
  public:
    // `secrets`: every secret the requests of this client may carry, scrubbed from messages.
    HttpClient(HttpSettings settings, std::vector<std::string> secrets);

    // Sends `request`, retrying network errors, 429 and 5xx (waiting per Retry-After when the
    // server gives one, else with exponential backoff and jitter) until a response that is final,
    // settings.retry.max_attempts attempts, or settings.retry.deadline. Never throws for network
    // or HTTP failures; they are the outcome's error.
    HttpOutcome send(const HttpRequest& request) const;

    void set_retry_observer(RetryObserver observer) { m_observer = std::move(observer); }
    const std::vector<std::string>& secrets() const { return m_secrets; }
    const HttpSettings& settings() const { return m_settings; }

  private:
    HttpSettings m_settings;
    std::vector<std::string> m_secrets;
    RetryObserver m_observer;
};

}  // namespace perftrack::alerts
