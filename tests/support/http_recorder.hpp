#pragma once
// Real HTTP servers on 127.0.0.1 for the alert tests (cpp-httplib, in-process, ephemeral port).
// Tests never send traffic anywhere else.
// - RecordingServer answers every request with a scripted response (a queue, then a handler,
//   then 200 "ok") and records what it received.
// - SilentServer accepts TCP connections and never answers (for timeout tests).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace perftrack::testing {

struct RecordedRequest {
    std::string method;
    std::string path;                            // without the query
    std::map<std::string, std::string> query;    // decoded parameters
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::chrono::steady_clock::time_point received_at;

    std::string header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct ScriptedResponse {
    ScriptedResponse(int status_ = 200, std::string body_ = "ok",
                     std::string content_type_ = "text/plain",
                     std::map<std::string, std::string> headers_ = {})
        : status(status_),
          body(std::move(body_)),
          content_type(std::move(content_type_)),
          headers(std::move(headers_)) {}
    int status;
    std::string body;
    std::string content_type;
    std::map<std::string, std::string> headers;
};

class RecordingServer {
  public:
    using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

    RecordingServer();
    ~RecordingServer();
    RecordingServer(const RecordingServer&) = delete;
    RecordingServer& operator=(const RecordingServer&) = delete;

    int port() const { return m_port; }
    // "http://127.0.0.1:<port>" + path
    std::string url(std::string_view path = "") const;

    // The next requests get these responses, in order; afterwards the handler answers.
    void enqueue(ScriptedResponse response);
    void set_handler(Handler handler);
    std::vector<RecordedRequest> requests() const;
    std::size_t request_count() const;

  private:
    ScriptedResponse answer(const RecordedRequest& request);

    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
    mutable std::mutex m_mutex;
    std::vector<ScriptedResponse> m_queue;
    Handler m_handler;
    std::vector<RecordedRequest> m_requests;
};

class SilentServer {
  public:
    SilentServer();  // listens on 127.0.0.1, never accepts: connects succeed, no answer comes
    ~SilentServer();
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
    std::string url(std::string_view path = "") const;

  private:
    int m_fd = -1;
    int m_port = 0;
};

// A port on 127.0.0.1 with nothing listening (bound, then released): connections are refused.
int closed_port();

}  // namespace perftrack::testing
