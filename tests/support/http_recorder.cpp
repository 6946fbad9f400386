#include "tests/support/http_recorder.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace perftrack::testing {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Binds a TCP socket to 127.0.0.1 on an ephemeral port; returns the fd and sets `port`.
int bind_loopback(int& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("bind(127.0.0.1:0) failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    return fd;
}

}  // namespace

RecordingServer::RecordingServer() : m_server(std::make_unique<httplib::Server>()) {
    const auto handle = [this](const httplib::Request& req, httplib::Response& res) {
        RecordedRequest r;
        r.method = req.method;
        r.path = req.path;
        for (const auto& [k, v] : req.params) r.query[k] = v;
        for (const auto& [k, v] : req.headers) r.headers[lower(k)] = v;
        r.body = req.body;
        r.received_at = std::chrono::steady_clock::now();
        const ScriptedResponse scripted = answer(r);
        res.status = scripted.status;
        for (const auto& [k, v] : scripted.headers) res.set_header(k, v);
        res.set_content(scripted.body, scripted.content_type.c_str());
    };
    m_server->Get(".*", handle);
    m_server->Post(".*", handle);
    m_server->Patch(".*", handle);
    m_server->Put(".*", handle);
    m_server->Delete(".*", handle);
    m_port = m_server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0) throw std::runtime_error("could not bind a test HTTP server on 127.0.0.1");
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    // stop() is a no-op until the accept loop runs; wait for it so the destructor can stop it.
    while (!m_server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

RecordingServer::~RecordingServer() {
    m_server->stop();
    if (m_thread.joinable()) m_thread.join();
}

std::string RecordingServer::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

void RecordingServer::enqueue(ScriptedResponse response) {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(response));
}

void RecordingServer::set_handler(Handler handler) {
    std::lock_guard lock(m_mutex);
    m_handler = std::move(handler);
}

std::vector<RecordedRequest> RecordingServer::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::size_t RecordingServer::request_count() const {
    std::lock_guard lock(m_mutex);
    return m_requests.size();
}

ScriptedResponse RecordingServer::answer(const RecordedRequest& request) {
    Handler handler;
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
        if (!m_queue.empty()) {
            ScriptedResponse next = m_queue.front();
            m_queue.erase(m_queue.begin());
            return next;
        }
        handler = m_handler;
    }
    if (handler) return handler(request);
    return ScriptedResponse{};
}

SilentServer::SilentServer() {
    m_fd = bind_loopback(m_port);
    if (::listen(m_fd, 16) != 0) {
        ::close(m_fd);
        throw std::runtime_error("listen() failed");
    }
}

SilentServer::~SilentServer() {
    if (m_fd >= 0) ::close(m_fd);
}

std::string SilentServer::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

int closed_port() {
    int port = 0;
    const int fd = bind_loopback(port);
    ::close(fd);
    return port;
}

}  // namespace perftrack::testing
