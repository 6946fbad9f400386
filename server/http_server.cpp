#include "server/http_server.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "core/time.hpp"

namespace perftrack::server {

namespace {

constexpr int k_listen_backlog = 1024;  // httplib's own is 5: bursts of CI jobs would be refused
constexpr int k_overload_retry_after_s = 1;
// Overflow tasks only answer 503, which takes one read of the request line: two threads.
constexpr std::size_t k_overflow_threads = 2;

// Set on the threads that answer "overloaded": the handler then answers 503 at once.
thread_local bool t_overloaded = false;

class WorkQueue {
  public:
    WorkQueue(std::size_t threads, std::size_t max_queued, bool overflow)
        : m_max_queued(max_queued) {
        for (std::size_t i = 0; i < threads; ++i)
            m_threads.emplace_back([this, overflow] {
                t_overloaded = overflow;
                work();
            });
    }
    // False when the queue is full (the task was not taken).
    bool try_push(std::function<void()> fn) {
        {
            const std::lock_guard lock(m_mutex);
            if (m_max_queued != 0 && m_jobs.size() >= m_max_queued) return false;
            m_jobs.push_back(std::move(fn));
        }
        m_cond.notify_one();
        return true;
    }
    void shutdown() {
        {
            const std::lock_guard lock(m_mutex);
            m_shutdown = true;
        }
        m_cond.notify_all();
        for (auto& t : m_threads) t.join();
        m_threads.clear();
    }

  private:
    void work() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(m_mutex);
                m_cond.wait(lock, [&] { return !m_jobs.empty() || m_shutdown; });
                if (m_shutdown && m_jobs.empty()) return;
                fn = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            fn();
        }
    }
    std::size_t m_max_queued;
    std::mutex m_mutex;
    std::condition_variable m_cond;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    bool m_shutdown = false;
};

// httplib's task queue: the workers, and when their queue is full the overflow threads (whose
// requests are answered 503 + Retry-After). Each task is one accepted connection.
class BoundedTaskQueue : public httplib::TaskQueue {
  public:
    BoundedTaskQueue(std::size_t threads, std::size_t max_queued)
        : m_workers(threads, max_queued, false), m_overflow(k_overflow_threads, 0, true) {}
    void enqueue(std::function<void()> fn) override {
        if (!m_workers.try_push(fn)) m_overflow.try_push(std::move(fn));
    }
    void shutdown() override {
        m_workers.shutdown();
        m_overflow.shutdown();
    }

  private:
    WorkQueue m_workers;
    WorkQueue m_overflow;
};

std::map<std::string, std::string> lowercase_headers(const httplib::Headers& headers) {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : headers) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out[lower] = value;
    }
    return out;
}

}  // namespace

struct HttpServer::Impl {
    Impl(const Api& a, HttpOptions o) : api(a), options(std::move(o)) {}
    const Api& api;
    HttpOptions options;
    httplib::Server server;
    int listen_fd = -1;
    std::mutex log_mutex;

    void log(const httplib::Request& req, int status, std::size_t bytes, double ms) {
        if (!options.access_log) return;
        // The path only: tokens travel in a header, and queries may carry names worth keeping
        // out of shared logs; the Authorization header is never logged.
        const nlohmann::json line = {{"time", core::format_iso8601_utc(core::now_epoch_us())},
                                     {"remote", req.remote_addr},
                                     {"method", req.method},
                                     {"path", req.path},
                                     {"status", status},
                                     {"bytes", bytes},
                                     {"ms", std::round(ms * 100) / 100}};
        const std::lock_guard lock(log_mutex);
        fmt::print(stderr, "{}\n",
                   line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }

    void handle(const httplib::Request& req, httplib::Response& res) {
        const auto started = std::chrono::steady_clock::now();
        Response out;
        if (t_overloaded) {
            out = error_response(503, "server busy; retry later", 3);
            out.headers.emplace_back("Retry-After", std::to_string(k_overload_retry_after_s));
        } else {
            Request in;
            in.method = req.method;
            in.target = req.target;
            in.headers = lowercase_headers(req.headers);
            in.body = req.body;
            in.remote_addr = req.remote_addr;
            out = api.handle(in);
        }
        res.status = out.status;
        for (const auto& [name, value] : out.headers) res.set_header(name, value);
        res.set_content(out.body, out.content_type);
        log(req, out.status, out.body.size(),
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count());
    }
};

HttpServer::HttpServer(const Api& api, HttpOptions options)
    : m_impl(std::make_unique<Impl>(api, std::move(options))) {
    auto& s = m_impl->server;
    auto* impl = m_impl.get();
    const auto handler = [impl](const httplib::Request& req, httplib::Response& res) {
        impl->handle(req, res);
    };
    // Every path and method goes to the router, which answers unknown paths, methods (405) and
    // bad encodings itself with the JSON error. Not ".*": httplib matches the decoded path, and
    // '.' stops at a decoded CR or LF (%0D, %0A), which then got httplib's own 404 instead of
    // the router's 400; OPTIONS got httplib's 404 too (both found by ci/fuzz_api.sh).
    constexpr const char* k_any_path = R"([\s\S]*)";
    s.Get(k_any_path, handler);
    s.Post(k_any_path, handler);
    s.Put(k_any_path, handler);
    s.Delete(k_any_path, handler);
    s.Patch(k_any_path, handler);
    s.Options(k_any_path, handler);
    // What httplib refuses before a handler runs (413 over the body limit, 400 for a broken
    // request line): a JSON body like every other error.
    s.set_error_handler([impl](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        const std::string message = res.status == 413
                                        ? fmt::format(
                                              "request body larger than {} bytes (perftrack serve "
                                              "--max-body-size); nothing was stored",
                                              impl->options.max_body_bytes)
                                        : fmt::format("bad request ({})", res.status);
        res.set_content(error_response(res.status, message, 2).body, "application/json");
        impl->log(req, res.status, res.body.size(), 0);
    });
    s.new_task_queue = [impl] {
        return new BoundedTaskQueue(impl->options.threads, impl->options.max_queued);
    };
    s.set_payload_max_length(m_impl->options.max_body_bytes);
    s.set_read_timeout(m_impl->options.read_timeout_s, 0);
    s.set_write_timeout(m_impl->options.write_timeout_s, 0);
    s.set_keep_alive_timeout(m_impl->options.keep_alive_timeout_s);
    s.set_tcp_nodelay(true);
    s.set_socket_options([impl](socket_t fd) {
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        impl->listen_fd = fd;
    });
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
    auto& o = m_impl->options;
    int port = o.port;
    if (port == 0) {
        port = m_impl->server.bind_to_any_port(o.host);
    } else if (!m_impl->server.bind_to_port(o.host, port)) {
        port = -1;
    }
    if (port < 0)
        throw std::runtime_error(
            fmt::format("cannot listen on {}:{} (address in use or not local)", o.host, o.port));
    // Raise httplib's compiled-in backlog: listen() again on a listening socket updates it.
    if (m_impl->listen_fd >= 0) ::listen(m_impl->listen_fd, k_listen_backlog);
    return port;
}

void HttpServer::serve() {
    m_impl->server.listen_after_bind();
}

void HttpServer::stop() {
    m_impl->server.stop();
}

}  // namespace perftrack::server
