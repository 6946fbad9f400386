#include "alerts/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include <curl/curl.h>
#include <fmt/format.h>

#include "core/redact.hpp"
#include "core/version.hpp"

namespace perftrack::alerts {

namespace {

using Clock = std::chrono::steady_clock;

void global_init_once() {
    // curl_global_init is not thread-safe on every platform; do it exactly once.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
    void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Received {
    HttpResponse response;
    bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* r = static_cast<Received*>(user);
    const std::size_t n = size * count;
    if (r->response.body.size() + n > k_max_response_bytes) {
        r->too_large = true;
        return 0;  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
    }
    r->response.body.append(data, n);
    return n;
}

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(i);
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* r = static_cast<Received*>(user);
    const std::size_t n = size * count;
    const std::string line(data, n);
    // A new status line (after "100 Continue" or a proxy's answer) starts a new header block.
    if (line.rfind("HTTP/", 0) == 0) {
        r->response.headers.clear();
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) return n;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    r->response.headers[trim(name)] = trim(line.substr(colon + 1));
    return n;
}

// Network failures that another attempt may well not see. Certificate problems, bad URLs and
// unsupported protocols are not among them: they fail the same way every time.
bool retryable_network_error(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
            return true;
        default:
            return false;
    }
}

struct Attempt {
    CURLcode code = CURLE_OK;
    std::string curl_message;
    Received received;
};

Attempt attempt_once(const HttpRequest& request, const HttpSettings& settings,
                     Milliseconds total_timeout) {
    const std::string& user_agent = settings.user_agent;
    const Milliseconds connect_timeout = settings.connect_timeout;
    Attempt a;
    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    if (!easy) {
        a.code = CURLE_FAILED_INIT;
        a.curl_message = "could not initialise libcurl";
        return a;
    }
    CURL* h = easy.get();
    char error_buffer[CURL_ERROR_SIZE] = {0};
    curl_slist* raw_headers = nullptr;
    for (const auto& [name, value] : request.headers)
        raw_headers = curl_slist_append(raw_headers, (name + ": " + value).c_str());
    // libcurl would otherwise send "Expect: 100-continue" with larger bodies and wait for the
    // server's go-ahead, which some webhook receivers never send.
    raw_headers = curl_slist_append(raw_headers, "Expect:");
    std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);

    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!settings.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_file.c_str());
    // No SIGALRM for DNS timeouts: this runs in threads (and tests run servers beside it).
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout.count()));
    curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a.received);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &a.received);
    if (request.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        if (request.method != "POST")
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }

    a.code = curl_easy_perform(h);
    if (a.code == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a.received.response.status);
    } else {
        a.curl_message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(a.code);
        while (!a.curl_message.empty() && a.curl_message.back() == '\n') a.curl_message.pop_back();
    }
    return a;
}

double random_unit() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::int64_t now_epoch_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string attempts_phrase(int attempts) {
    return attempts == 1 ? "1 attempt" : fmt::format("{} attempts", attempts);
}

}  // namespace

HttpClient::HttpClient(HttpSettings settings, std::vector<std::string> secrets)
    : m_settings(std::move(settings)), m_secrets(std::move(secrets)) {
    if (m_settings.user_agent.empty())
        m_settings.user_agent = std::string("perftrack/") + core::k_version;
    m_settings.retry.max_attempts = std::max(1, m_settings.retry.max_attempts);
    global_init_once();
}

HttpOutcome HttpClient::send(const HttpRequest& request) const {
    HttpOutcome outcome;
    const auto started = Clock::now();
    const auto deadline = started + m_settings.retry.deadline;
    const auto redact = [&](const std::string& text) {
        return core::redact_secrets(text, m_secrets);
    };

    for (int attempt = 1;; ++attempt) {
        const auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            outcome.error = redact(fmt::format("{}: gave up after {} ms ({}){}", request.endpoint,
                                               m_settings.retry.deadline.count(),
                                               attempts_phrase(outcome.attempts),
                                               outcome.error.empty() ? "" : ": " + outcome.error));
            return outcome;
        }
        const Milliseconds timeout = std::min(m_settings.total_timeout, left);
        Attempt a = attempt_once(request, m_settings, timeout);
        outcome.attempts = attempt;

        std::optional<Milliseconds> server_wait;
        bool retry = false;
        if (a.code != CURLE_OK) {
            if (a.received.too_large) {
                outcome.error = fmt::format("response larger than {} bytes", k_max_response_bytes);
            } else if (a.code == CURLE_OPERATION_TIMEDOUT) {
                outcome.error = fmt::format("timed out after {} ms", timeout.count());
            } else {
                outcome.error = a.curl_message;
            }
            outcome.response.reset();
            retry = retryable_network_error(a.code) && !a.received.too_large;
        } else {
            const long status = a.received.response.status;
            if (status >= 200 && status <= 299) {
                outcome.response = std::move(a.received.response);
                outcome.error.clear();
                return outcome;
            }
            const auto header = a.received.response.headers.find("retry-after");
            if (header != a.received.response.headers.end())
                server_wait = parse_retry_after(header->second, now_epoch_s());
            retry = retryable_response(status, server_wait.has_value());
            outcome.error = fmt::format("HTTP {}", status);
            outcome.response = std::move(a.received.response);
        }

        if (!retry || attempt >= m_settings.retry.max_attempts) {
            outcome.error = redact(fmt::format("{}: {} ({})", request.endpoint, outcome.error,
                                               attempts_phrase(attempt)));
            return outcome;
        }
        Milliseconds wait = backoff_delay(attempt + 1, m_settings.retry, random_unit());
        if (server_wait) {
            if (*server_wait > m_settings.retry.max_retry_after) {
                outcome.error = redact(fmt::format(
                    "{}: {}; the server asked to retry after {} s, longer than the {} ms perftrack "
                    "waits ({})",
                    request.endpoint, outcome.error, server_wait->count() / 1000,
                    m_settings.retry.max_retry_after.count(), attempts_phrase(attempt)));
                return outcome;
            }
            // Honour the server: never earlier than it asked.
            wait = *server_wait;
        }
        if (Clock::now() + wait >= deadline) {
            outcome.error = redact(fmt::format(
                "{}: {}; no time left for another attempt within {} ms ({})", request.endpoint,
                outcome.error, m_settings.retry.deadline.count(), attempts_phrase(attempt)));
            return outcome;
        }
        if (m_observer)
            m_observer(redact(fmt::format("{}: {}; retrying in {} ms (attempt {} of {})",
                                          request.endpoint, outcome.error, wait.count(),
                                          attempt + 1, m_settings.retry.max_attempts)));
        std::this_thread::sleep_for(wait);
    }
}

}  // namespace perftrack::alerts
