#pragma once
// Ctrl-C while benchmarks run: instead of dying with a child still running (and its process
// group left behind), perftrack catches SIGINT, SIGTERM and SIGHUP, forwards the request to the
// child's process group, waits for it to stop and then stores nothing. The handler only records
// the signal and writes one byte to a self-pipe, so the child-process loop wakes up in poll().

#include <csignal>
#include <string>

#include "core/process.hpp"

namespace perftrack::runner::process {

// Installs the handlers for its lifetime (one guard at a time; nested guards are refused by an
// assert) and restores the previous dispositions afterwards.
class InterruptGuard {
  public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// The first signal caught while a guard was active, or 0. Stays set until reset_interrupt().
int pending_interrupt();
void reset_interrupt();

// Read end of the self-pipe: readable once a signal was caught; -1 without an active guard.
int interrupt_fd();

// "SIGINT", "SIGSEGV", ... or "signal N".
using core::signal_name;

}  // namespace perftrack::runner::process
