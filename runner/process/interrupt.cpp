#include "runner/process/interrupt.hpp"

#include <array>
#include <atomic>
#include <cassert>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace perftrack::runner::process {

namespace {

constexpr std::array<int, 3> k_caught_signals = {SIGINT, SIGTERM, SIGHUP};

std::atomic<int> g_pending{0};
int g_pipe[2] = {-1, -1};
std::array<struct sigaction, k_caught_signals.size()> g_previous{};
bool g_active = false;

void on_signal(int signal_number) {
    int expected = 0;
    g_pending.compare_exchange_strong(expected, signal_number);
    const int saved_errno = errno;
    const char byte = 1;
    // The pipe is non-blocking: when it is full a wake-up is already pending.
    (void)!::write(g_pipe[1], &byte, 1);
    errno = saved_errno;
}

}  // namespace

InterruptGuard::InterruptGuard() {
    assert(!g_active && "one InterruptGuard at a time");
    g_pending = 0;
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        // Without the pipe the child loop still notices the flag on its next tick.
        g_pipe[0] = g_pipe[1] = -1;
    }
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (std::size_t i = 0; i < k_caught_signals.size(); ++i)
        ::sigaction(k_caught_signals[i], &action, &g_previous[i]);
    g_active = true;
}

InterruptGuard::~InterruptGuard() {
    for (std::size_t i = 0; i < k_caught_signals.size(); ++i)
        ::sigaction(k_caught_signals[i], &g_previous[i], nullptr);
    for (int& fd : g_pipe) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    g_active = false;
}

int pending_interrupt() {
    return g_pending.load();
}

void reset_interrupt() {
    g_pending = 0;
    if (g_pipe[0] < 0) return;
    char buf[64];
    while (::read(g_pipe[0], buf, sizeof buf) > 0) {
    }
}

int interrupt_fd() {
    return g_pipe[0];
}

}  // namespace perftrack::runner::process
