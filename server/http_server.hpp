#pragma once
// The HTTP side of `perftrack serve`: cpp-httplib (Debian's libcpp-httplib-dev 0.11.4). Its
// blocking thread-per-request model suits libpqxx, which is blocking too: each worker holds one
// store connection (server/store_pool.hpp). On top of httplib: a bounded queue (a request that
// finds it full gets 503 + Retry-After instead of waiting without bound), a listen backlog of
// 1024, JSON errors for what httplib refuses itself (413), a JSON access log without tokens
// or queries, and a graceful stop that finishes the requests in flight.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "server/api.hpp"

namespace perftrack::server {

struct HttpOptions {
    std::string host = "127.0.0.1";
    int port = 8080;               // 0: any free port (the tests)
    std::size_t threads = 8;       // workers, each with at most one store connection
    std::size_t max_queued = 256;  // accepted connections waiting for a worker
    std::size_t max_body_bytes = 64ull << 20;
    int read_timeout_s = 10;  // each read of a request's header or body
    int write_timeout_s = 10;
    int keep_alive_timeout_s = 5;
    bool access_log = true;  // one JSON line per request on stderr
};

class HttpServer {
  public:
    HttpServer(const Api& api, HttpOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds; returns the bound port, or an error message (address in use, bad address).
    int bind();
    // Serves until stop(); returns when the requests in flight are finished.
    void serve();
    // Thread-safe, also from a signal-waiting thread.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace perftrack::server
