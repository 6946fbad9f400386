#include "tests/support/serve_process.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::testing {

namespace {
std::filesystem::path fresh_dir() {
    static int counter = 0;
    auto dir = std::filesystem::temp_directory_path() /
               ("pt-serve-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    return dir;
}
}  // namespace

ServeProcess::ServeProcess(const std::string& dsn, std::vector<std::string> extra, int port)
    : m_dir(fresh_dir()) {
    std::vector<std::string> args = {
        "serve", "--db", dsn, "--listen", "127.0.0.1:" + std::to_string(port), "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessOptions options;
    options.timeout_seconds = 3600;
    m_child.emplace(spawn_perftrack(args, options, m_dir / "out", m_dir / "err"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(m_dir / "out");
        std::string word, address;
        if (in >> word >> word >> address) {
            m_port = std::stoi(address.substr(address.rfind(':') + 1));
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::ifstream err(m_dir / "err");
    std::stringstream text;
    text << err.rdbuf();
    ADD_FAILURE() << "perftrack serve did not start listening: " << text.str();
    throw std::runtime_error("perftrack serve did not start");
}

pid_t ServeProcess::pid() const {
    return m_child->pid();
}

int ServeProcess::stop(int signal) {
    if (m_stopped) return 0;
    m_stopped = true;
    ::kill(m_child->pid(), signal);
    return wait_child(*m_child);
}

ServeProcess::~ServeProcess() {
    stop(SIGTERM);
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
}

}  // namespace perftrack::testing
