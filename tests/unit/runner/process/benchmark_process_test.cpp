// The runner's use of core/process.hpp: Ctrl-C stops a benchmark and says why, a program that
// cannot be started is a benchmark failure, and only the end of stderr is kept.
#include "runner/process/benchmark_process.hpp"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "runner/process/interrupt.hpp"

namespace perftrack::runner::process {
namespace {

using namespace std::chrono_literals;

TEST(BenchmarkProcess, InterruptStopsTheChildAndSaysWhy) {
    InterruptGuard guard;
    std::thread sender([] {
        std::this_thread::sleep_for(200ms);
        ::kill(::getpid(), SIGINT);
    });
    core::ProcessSpec spec = benchmark_spec();
    spec.argv = {RUSAGE_PROBE, "sleep", "20000"};
    spec.kill_grace = 500ms;
    const auto started = std::chrono::steady_clock::now();
    const auto o = run_benchmark(spec);
    sender.join();
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_EQ(o->ending, core::Ending::interrupted);
    EXPECT_EQ(o->interrupt_signal, SIGINT);
    EXPECT_EQ(o->signal, SIGINT) << "Ctrl-C is passed on to the child as SIGINT";
    EXPECT_EQ(o->describe(), "was stopped because perftrack received SIGINT");
    EXPECT_EQ(pending_interrupt(), SIGINT);
    reset_interrupt();
    EXPECT_EQ(pending_interrupt(), 0);
}

TEST(BenchmarkProcess, AProgramThatCannotStartIsABenchmarkFailure) {
    core::ProcessSpec spec = benchmark_spec();
    spec.argv = {"/nonexistent/bench"};
    const auto o = run_benchmark(spec);
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().kind, core::ErrorKind::benchmark_failed);
    EXPECT_EQ(o.error().message, "cannot run /nonexistent/bench: No such file or directory");
}

TEST(BenchmarkProcess, KeepsTheEndOfStderrAndNoStdout) {
    core::ProcessSpec spec = benchmark_spec();
    spec.argv = {"/bin/sh", "-c",
                 "head -c 100000 /dev/zero; i=0; while [ $i -lt 2000 ]; do "
                 "echo line-$i >&2; i=$((i+1)); done"};
    const auto o = run_benchmark(spec);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->stdout_text, "");
    EXPECT_LE(o->stderr_text.size(), k_stderr_tail_bytes);
    EXPECT_NE(o->stderr_text.find("line-1999\n"), std::string::npos);
}

}  // namespace
}  // namespace perftrack::runner::process
