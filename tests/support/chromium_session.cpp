#include "tests/support/chromium_session.hpp"

#include <chrono>
#include <cstdlib>
#include <functional>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/headless_chromium.hpp"

namespace perftrack::testing {

namespace {

std::string base64_decode(const std::string& in) {
    static const std::string k_chars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -8;
    for (const char c : in) {
        const auto pos = k_chars.find(c);
        if (pos == std::string::npos) break;
        val = (val << 6) + static_cast<int>(pos);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((val >> bits) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

}  // namespace

ChromiumSession::ChromiumSession(int width, int height) {
    const auto chromium = find_chromium();
    if (!chromium) throw std::runtime_error("chromium is not installed");
    char tmpl[] = "/tmp/pt-cdp-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    m_profile = tmpl;
    int to[2], from[2];
    if (::pipe(to) != 0 || ::pipe(from) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> args = {chromium->string()};
    for (auto& flag : chromium_base_flags()) args.push_back(std::move(flag));
    args.insert(args.end(),
                {"--remote-debugging-pipe", fmt::format("--window-size={},{}", width, height),
                 "--user-data-dir=" + m_profile.string(), "about:blank"});
    m_pid = ::fork();
    if (m_pid < 0) throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        // fds 3 and 4 as the protocol wants them; everything else closed.
        const int in = ::dup(to[0]);
        const int out = ::dup(from[1]);
        ::dup2(in, 3);
        ::dup2(out, 4);
        const int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        for (int fd = 5; fd < 1024; ++fd) ::close(fd);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(to[0]);
    ::close(from[1]);
    m_to = to[1];
    m_from = from[0];
    const auto target = call("Target.createTarget", {{"url", "about:blank"}}, false);
    const auto attached = call("Target.attachToTarget",
                               {{"targetId", target.at("targetId")}, {"flatten", true}}, false);
    m_session = attached.at("sessionId").get<std::string>();
    call("Page.enable", nlohmann::json::object());
    call("Runtime.enable", nlohmann::json::object());
    call("Log.enable", nlohmann::json::object());
}

ChromiumSession::~ChromiumSession() {
    if (m_to >= 0) ::close(m_to);
    if (m_from >= 0) ::close(m_from);
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(m_profile, ec);
}

void ChromiumSession::note_event(const nlohmann::json& m) {
    const std::string method = m.value("method", "");
    const auto& p = m.contains("params") ? m.at("params") : nlohmann::json::object();
    if (method == "Page.loadEventFired") {
        ++m_loads;
    } else if (method == "Runtime.exceptionThrown") {
        const auto& d = p.at("exceptionDetails");
        std::string text = d.value("text", "");
        if (d.contains("exception") && d.at("exception").contains("description"))
            text += " " + d.at("exception").at("description").get<std::string>();
        m_errors.push_back("exception: " + text);
    } else if (method == "Runtime.consoleAPICalled" && p.value("type", "") == "error") {
        m_errors.push_back("console: " + p.at("args").dump());
    } else if (method == "Log.entryAdded") {
        const auto& e = p.at("entry");
        if (e.value("level", "") == "error" && e.value("source", "") != "network")
            m_errors.push_back(e.value("source", "") + ": " + e.value("text", ""));
    }
}

nlohmann::json ChromiumSession::read_until(const std::function<bool(const nlohmann::json&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        std::size_t nul;
        while ((nul = m_buffer.find('\0')) != std::string::npos) {
            auto message = nlohmann::json::parse(m_buffer.substr(0, nul));
            m_buffer.erase(0, nul + 1);
            note_event(message);
            if (done(message)) return message;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) throw std::runtime_error("chromium did not answer within 30 s");
        pollfd pfd{m_from, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
        char chunk[65536];
        const auto n = ::read(m_from, chunk, sizeof chunk);
        if (n <= 0) throw std::runtime_error("chromium closed the DevTools pipe");
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

nlohmann::json ChromiumSession::call(const std::string& method, nlohmann::json params,
                                     bool on_page) {
    const int id = m_next_id++;
    nlohmann::json message = {{"id", id}, {"method", method}, {"params", std::move(params)}};
    if (on_page) message["sessionId"] = m_session;
    const std::string text = message.dump() + '\0';
    std::size_t written = 0;
    while (written < text.size()) {
        const auto n = ::write(m_to, text.data() + written, text.size() - written);
        if (n <= 0) throw std::runtime_error("cannot write to chromium");
        written += static_cast<std::size_t>(n);
    }
    const auto answer =
        read_until([id](const nlohmann::json& m) { return m.contains("id") && m.at("id") == id; });
    if (answer.contains("error"))
        throw std::runtime_error(method + " failed: " + answer.at("error").dump());
    return answer.at("result");
}

void ChromiumSession::navigate(const std::string& url) {
    const int loads = m_loads;
    call("Page.navigate", {{"url", url}});
    if (m_loads > loads) return;
    read_until(
        [](const nlohmann::json& m) { return m.value("method", "") == "Page.loadEventFired"; });
}

void ChromiumSession::eval_and_wait(const std::string& expression) {
    const int loads = m_loads;
    call("Runtime.evaluate", {{"expression", expression}});
    if (m_loads > loads) return;
    read_until(
        [](const nlohmann::json& m) { return m.value("method", "") == "Page.loadEventFired"; });
}

nlohmann::json ChromiumSession::eval(const std::string& expression) {
    const auto r = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}});
    if (r.contains("exceptionDetails"))
        throw std::runtime_error("page script failed: " + r.at("exceptionDetails").dump());
    return r.at("result").value("value", nlohmann::json());
}

void ChromiumSession::screenshot(const std::filesystem::path& png, bool full_page) {
    const auto r =
        call("Page.captureScreenshot", {{"format", "png"}, {"captureBeyondViewport", full_page}});
    const std::string bytes = base64_decode(r.at("data").get<std::string>());
    FILE* f = std::fopen(png.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + png.string());
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
}

std::string ChromiumSession::html() {
    const auto doc = call("DOM.getDocument", {{"depth", 0}});
    const auto r = call("DOM.getOuterHTML", {{"nodeId", doc.at("root").at("nodeId")}});
    return r.at("outerHTML").get<std::string>();
}

void ChromiumSession::set_scripts_enabled(bool enabled) {
    call("Emulation.setScriptExecutionDisabled", {{"value", !enabled}});
}

}  // namespace perftrack::testing
