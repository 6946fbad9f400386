// Child process control against a real child (rusage_probe, built in the test tree) whose
// resource use and behaviour are known: exit status, signals, timeouts that stop the whole
// process group, streaming, and the rusage accounting.
#include "runner/process/child_process.hpp"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "runner/process/interrupt.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::runner::process {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t k_mib = 1024 * 1024;

class Recorder : public ChildObserver {
  public:
    void on_output(OutputStream stream, std::string_view data) override {
        (stream == OutputStream::out ? out : err).append(data);
    }
    void on_tick() override { ++ticks; }
    std::string out, err;
    int ticks = 0;
};

ChildOutcome run_probe(std::vector<std::string> args, ChildSpec spec = {},
                       ChildObserver* observer = nullptr) {
    spec.argv = {RUSAGE_PROBE};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    auto outcome = run_child(spec, observer);
    EXPECT_TRUE(outcome) << outcome.error().message;
    return outcome ? *outcome : ChildOutcome{};
}

// Running or sleeping; a zombie (killed, not yet reaped by whoever inherited it) counts as gone.
bool process_alive(pid_t pid) {
    const std::string stat = testing::read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

TEST(UsageFromRusage, ConvertsTimevalsAndKibibytes) {
    struct rusage ru {};
    ru.ru_utime = {2, 500000};  // 2.5 s
    ru.ru_stime = {0, 1234};    // 1.234 ms
    ru.ru_maxrss = 2048;        // KiB
    const ResourceUsage u = usage_from_rusage(ru, 7'000'000'000);
    EXPECT_EQ(u.wall_ns, 7'000'000'000);
    EXPECT_EQ(u.user_ns, 2'500'000'000);
    EXPECT_EQ(u.system_ns, 1'234'000);
    EXPECT_EQ(u.peak_rss_bytes, 2 * k_mib);
}

TEST(RunChild, ExitStatusAndStreamsAreReported) {
    Recorder rec;
    const auto o = run_probe({"out", "hello", "exit", "3"}, {}, &rec);
    EXPECT_EQ(o.ending, Ending::exited);
    EXPECT_EQ(o.exit_code, 3);
    EXPECT_FALSE(o.ok());
    EXPECT_EQ(o.shell_status(), 3);
    EXPECT_EQ(o.describe(), "exited with status 3");
    EXPECT_EQ(rec.out, "hello\n");
    EXPECT_EQ(rec.err, "err:hello\n");
    EXPECT_EQ(o.stderr_tail, "err:hello\n");
    EXPECT_TRUE(o.stdout_text.empty()) << "stdout is only kept with capture_stdout";
}

TEST(RunChild, CapturesStdoutWhenAsked) {
    ChildSpec spec;
    spec.capture_stdout = true;
    const auto o = run_probe({"out", "one", "out", "two"}, spec);
    EXPECT_TRUE(o.ok());
    EXPECT_EQ(o.stdout_text, "one\ntwo\n");
}

TEST(RunChild, KilledBySignalIsReportedAsShellWould) {
    ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", "kill -SEGV $$"};
    auto o = run_child(spec);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->ending, Ending::signaled);
    EXPECT_EQ(o->signal, SIGSEGV);
    EXPECT_EQ(o->shell_status(), 139);
    EXPECT_EQ(o->describe(), "was killed by SIGSEGV (signal 11)");
}

TEST(RunChild, StderrTailKeepsTheEndAtALineStart) {
    ChildSpec spec;
    spec.argv = {"/bin/sh", "-c",
                 "i=0; while [ $i -lt 500 ]; do echo line-$i >&2; i=$((i+1)); done"};
    spec.stderr_tail_bytes = 64;
    auto o = run_child(spec);
    ASSERT_TRUE(o);
    EXPECT_LE(o->stderr_tail.size(), 64u);
    EXPECT_EQ(o->stderr_tail.rfind("line-", 0), 0u) << o->stderr_tail;
    EXPECT_NE(o->stderr_tail.find("line-499\n"), std::string::npos);
}

TEST(RunChild, TimeoutStopsTheWholeProcessGroup) {
    testing::TempDir dir;
    const auto pid_file = dir / "grandchild.pid";
    ChildSpec spec;
    // The shell starts a grandchild that would outlive a kill of the shell alone.
    spec.argv = {"/bin/sh", "-c", "sleep 60 & echo $! > " + pid_file.string() + "; wait"};
    spec.timeout = 300ms;
    spec.kill_grace = 500ms;
    const auto started = std::chrono::steady_clock::now();
    auto o = run_child(spec);
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(o);
    EXPECT_EQ(o->ending, Ending::timed_out);
    EXPECT_EQ(o->describe(), "timed out after 0.3 s and was stopped");
    EXPECT_LT(took, 5s);
    const pid_t grandchild = std::stoi(testing::read_file(pid_file));
    // Reaped by init after the kill; give it a moment.
    for (int i = 0; i < 50 && process_alive(grandchild); ++i) std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(process_alive(grandchild)) << "the grandchild survived the timeout";
}

TEST(RunChild, ChildIgnoringSigtermIsKilledAfterTheGrace) {
    ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"};
    spec.timeout = 200ms;
    spec.kill_grace = 300ms;
    auto o = run_child(spec);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->ending, Ending::timed_out);
    EXPECT_EQ(o->signal, SIGKILL);
}

TEST(RunChild, ADescendantHoldingThePipesDoesNotBlockTheEnd) {
    ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", "sleep 30 & echo started"};
    const auto started = std::chrono::steady_clock::now();
    auto o = run_child(spec);
    ASSERT_TRUE(o);
    EXPECT_TRUE(o->ok());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(RunChild, RusageCountsMemoryCpuAndWallTime) {
    const auto idle = run_probe({"sleep", "300"});
    EXPECT_GE(idle.usage.wall_ns, 300'000'000);
    EXPECT_LT(idle.usage.user_ns + idle.usage.system_ns, 30'000'000) << "sleeping burns no CPU";

    // The probe burns 300 ms of its own CPU time (whatever the load of the machine).
    const auto busy = run_probe({"spin", "300"});
    EXPECT_GE(busy.usage.user_ns + busy.usage.system_ns, 290'000'000);
    EXPECT_GE(busy.usage.user_ns, 200'000'000) << "a busy loop runs in user mode";
    EXPECT_GE(busy.usage.wall_ns + 10'000'000, busy.usage.user_ns + busy.usage.system_ns)
        << "one thread: CPU time <= wall time";

    const auto big = run_probe({"alloc", "96"});
    const auto small = run_probe({"alloc", "1"});
    EXPECT_GE(big.usage.peak_rss_bytes, 96 * k_mib);
    EXPECT_LT(small.usage.peak_rss_bytes, 48 * k_mib);
}

TEST(RunChild, RusageIncludesWaitedForDescendants) {
    ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", std::string(RUSAGE_PROBE) + " alloc 80"};
    auto o = run_child(spec);
    ASSERT_TRUE(o);
    EXPECT_GE(o->usage.peak_rss_bytes, 80 * k_mib) << "the shell's child counts too";
}

TEST(RunChild, EnvironmentAndWorkingDirectory) {
    testing::TempDir dir;
    ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", "echo \"$PT_TEST_VALUE $(pwd)\""};
    spec.env = {{"PT_TEST_VALUE", "forty-two"}};
    spec.working_dir = dir.path();
    spec.capture_stdout = true;
    auto o = run_child(spec);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->stdout_text,
              "forty-two " + std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST(RunChild, MissingProgramOrDirectoryIsAnErrorThatNamesIt) {
    ChildSpec spec;
    spec.argv = {"/nonexistent/bench"};
    auto o = run_child(spec);
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().kind, core::ErrorKind::benchmark_failed);
    EXPECT_EQ(o.error().message, "cannot run /nonexistent/bench: No such file or directory");

    spec.argv = {RUSAGE_PROBE, "exit", "0"};
    spec.working_dir = "/nonexistent/dir";
    o = run_child(spec);
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("working directory /nonexistent/dir does not exist"),
              std::string::npos)
        << o.error().message;
}

TEST(RunChild, TicksWhileTheChildRuns) {
    Recorder rec;
    ChildSpec spec;
    spec.tick_interval = 20ms;
    run_probe({"sleep", "200"}, spec, &rec);
    EXPECT_GE(rec.ticks, 3);
}

TEST(RunChild, InterruptStopsTheChildAndSaysWhy) {
    InterruptGuard guard;
    std::thread sender([] {
        std::this_thread::sleep_for(200ms);
        ::kill(::getpid(), SIGINT);
    });
    ChildSpec spec;
    spec.kill_grace = 500ms;
    const auto started = std::chrono::steady_clock::now();
    const auto o = run_probe({"sleep", "20000"}, spec);
    sender.join();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_EQ(o.ending, Ending::interrupted);
    EXPECT_EQ(o.interrupt_signal, SIGINT);
    EXPECT_EQ(o.signal, SIGINT) << "Ctrl-C is passed on to the child as SIGINT";
    EXPECT_EQ(o.describe(), "was stopped because perftrack received SIGINT");
    EXPECT_EQ(pending_interrupt(), SIGINT);
    reset_interrupt();
    EXPECT_EQ(pending_interrupt(), 0);
}

}  // namespace
}  // namespace perftrack::runner::process
