#pragma once
// A real `perftrack serve` on 127.0.0.1 for the server tests: started on a free port (or a
// given one, to restart on the same address), stopped with SIGTERM at destruction.

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/process.hpp"

namespace perftrack::testing {

class ServeProcess {
  public:
    // Starts `perftrack serve --db DSN --listen 127.0.0.1:PORT -q EXTRA...` and waits until it
    // listens (fails the test after 20 s).
    ServeProcess(const std::string& dsn, std::vector<std::string> extra = {}, int port = 0);
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    int port() const { return m_port; }
    pid_t pid() const;
    // Sends the signal and waits for the exit; returns the exit code (128 + signal if killed).
    int stop(int signal);

  private:
    std::filesystem::path m_dir;
    std::optional<core::RunningProcess> m_child;
    int m_port = 0;
    bool m_stopped = false;
};

}  // namespace perftrack::testing
