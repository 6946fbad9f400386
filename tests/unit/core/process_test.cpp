// The one process-spawning module against real children (rusage_probe, built in the test
// tree, whose resource use and behaviour are known, and the shell): exit status, signals,
// timeouts that stop the whole process group, streaming, capture limits, descriptors the child
// must not inherit, stdin, the environment, the account, and the rusage accounting.
#include "core/process.hpp"

#include <chrono>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::core {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t k_mib = 1024 * 1024;

class Recorder : public ProcessObserver {
  public:
    void on_output(OutputStream stream, std::string_view data) override {
        (stream == OutputStream::out ? out : err).append(data);
    }
    void on_tick() override { ++ticks; }
    std::string out, err;
    int ticks = 0;
};

ProcessOutcome run_probe(std::vector<std::string> args, ProcessSpec spec = {},
                         ProcessObserver* observer = nullptr) {
    spec.argv = {RUSAGE_PROBE};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    auto outcome = run_process(spec, observer);
    EXPECT_TRUE(outcome) << outcome.error().message;
    return outcome ? *outcome : ProcessOutcome{};
}

Result<ProcessOutcome> run_shell(const std::string& script, ProcessSpec spec = {}) {
    spec.argv = {"/bin/sh", "-c", script};
    return run_process(spec);
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

TEST(RunProcess, ExitStatusAndStreamsAreReported) {
    Recorder rec;
    const auto o = run_probe({"out", "hello", "exit", "3"}, {}, &rec);
    EXPECT_EQ(o.ending, Ending::exited);
    EXPECT_EQ(o.exit_code, 3);
    EXPECT_FALSE(o.ok());
    EXPECT_EQ(o.shell_status(), 3);
    EXPECT_EQ(o.describe(), "exited with status 3");
    EXPECT_EQ(rec.out, "hello\n");
    EXPECT_EQ(rec.err, "err:hello\n");
    EXPECT_EQ(o.stdout_text, "hello\n");
    EXPECT_EQ(o.stderr_text, "err:hello\n");
}

TEST(RunProcess, KeepsNothingOfAStreamWhenAsked) {
    ProcessSpec spec;
    spec.stdout_capture = {Capture::Keep::nothing, 0};
    Recorder rec;
    const auto o = run_probe({"out", "one", "out", "two"}, spec, &rec);
    EXPECT_TRUE(o.ok());
    EXPECT_EQ(o.stdout_text, "");
    EXPECT_EQ(o.stdout_dropped_bytes, 8u);
    EXPECT_EQ(rec.out, "one\ntwo\n") << "the observer still sees everything";
}

TEST(RunProcess, StderrCanJoinStdout) {
    ProcessSpec spec;
    spec.stderr_to_stdout = true;
    const auto o = run_probe({"out", "one"}, spec);
    EXPECT_EQ(o.stdout_text, "one\nerr:one\n");
    EXPECT_EQ(o.stderr_text, "");
}

TEST(RunProcess, KilledBySignalIsReportedAsShellWould) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "kill -SEGV $$"};
    auto o = run_process(spec);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->ending, Ending::signaled);
    EXPECT_EQ(o->signal, SIGSEGV);
    EXPECT_EQ(o->shell_status(), 139);
    EXPECT_EQ(o->describe(), "was killed by SIGSEGV (signal 11)");
}

TEST(RunProcess, StderrTailKeepsTheEndAtALineStart) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c",
                 "i=0; while [ $i -lt 500 ]; do echo line-$i >&2; i=$((i+1)); done"};
    spec.stderr_capture = {Capture::Keep::last, 64};
    auto o = run_process(spec);
    ASSERT_TRUE(o);
    EXPECT_LE(o->stderr_text.size(), 64u);
    EXPECT_EQ(o->stderr_text.rfind("line-", 0), 0u) << o->stderr_text;
    EXPECT_NE(o->stderr_text.find("line-499\n"), std::string::npos);
    EXPECT_GT(o->stderr_dropped_bytes, 0u);
}

TEST(RunProcess, OutputBeyondTheLimitIsCountedNotKept) {
    // 8 MiB of output against a 1 MiB limit: the first MiB is kept, the child runs to the end
    // (it is not blocked on a full pipe), and what was dropped is counted.
    ProcessSpec spec;
    spec.stdout_capture = {Capture::Keep::first, 1 << 20};
    auto o = run_shell("head -c 8388608 /dev/zero; echo done >&2", spec);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_TRUE(o->ok());
    EXPECT_EQ(o->stdout_text.size(), std::size_t{1} << 20);
    EXPECT_EQ(o->stdout_dropped_bytes, (8u << 20) - (1u << 20));
    EXPECT_EQ(o->stderr_text, "done\n");

    spec.stdout_capture = {Capture::Keep::last, 1000};
    o = run_shell("head -c 3000000 /dev/zero; printf 'x\\nlast line\\n'", spec);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->stdout_text, "last line\n") << "cut at the first line start in the kept part";
}

TEST(RunProcess, TheChildInheritsNoDescriptorButTheStandardThree) {
    // A descriptor opened without O_CLOEXEC (as some libraries do) must not reach the child.
    const int leaky = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(leaky, 3);
    const auto o = run_probe({"fds"});
    ::close(leaky);
    EXPECT_TRUE(o.ok());
    EXPECT_EQ(o.stdout_text, "0\n1\n2\n");

    // Also with stdin fed from us and the output going to files.
    testing::TempDir dir;
    ProcessSpec spec;
    spec.stdin_text = "ignored";
    spec.stdout_file = dir / "out.txt";
    spec.stderr_file = dir / "out.txt";
    const auto to_file = run_probe({"fds"}, spec);
    EXPECT_TRUE(to_file.ok());
    EXPECT_EQ(testing::read_file(dir / "out.txt"), "0\n1\n2\n");
}

TEST(RunProcess, FeedsStdinWhileReadingOutput) {
    // 4 MiB through cat: more than both pipe buffers, so writing and reading must interleave.
    std::string text;
    for (int i = 0; text.size() < (4u << 20); ++i) text += "line " + std::to_string(i) + "\n";
    ProcessSpec spec;
    spec.argv = {"cat"};
    spec.stdin_text = text;
    auto o = run_process(spec);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_TRUE(o->ok());
    EXPECT_EQ(o->stdout_text, text);
}

TEST(RunProcess, AChildThatDoesNotReadItsStdinDoesNotKillUs) {
    // Writing to a pipe nobody reads raises SIGPIPE; it must not end the parent.
    ProcessSpec spec;
    spec.argv = {"/bin/true"};
    spec.stdin_text = std::string(8u << 20, 'x');
    auto o = run_process(spec);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_TRUE(o->ok());
}

TEST(RunProcess, TimeoutStopsTheWholeProcessGroup) {
    testing::TempDir dir;
    const auto pid_file = dir / "grandchild.pid";
    ProcessSpec spec;
    // The shell starts a grandchild that would outlive a kill of the shell alone.
    spec.argv = {"/bin/sh", "-c", "sleep 60 & echo $! > " + pid_file.string() + "; wait"};
    spec.timeout = 300ms;
    spec.kill_grace = 500ms;
    const auto started = std::chrono::steady_clock::now();
    auto o = run_process(spec);
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

TEST(RunProcess, ChildIgnoringSigtermIsKilledAfterTheGrace) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"};
    spec.timeout = 200ms;
    spec.kill_grace = 300ms;
    auto o = run_process(spec);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->ending, Ending::timed_out);
    EXPECT_EQ(o->signal, SIGKILL);
}

TEST(RunProcess, ADescendantHoldingThePipesDoesNotBlockTheEnd) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "sleep 30 & echo started"};
    const auto started = std::chrono::steady_clock::now();
    auto o = run_process(spec);
    ASSERT_TRUE(o);
    EXPECT_TRUE(o->ok());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(RunProcess, RusageCountsMemoryCpuAndWallTime) {
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

TEST(RunProcess, RusageIncludesWaitedForDescendants) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", std::string(RUSAGE_PROBE) + " alloc 80"};
    auto o = run_process(spec);
    ASSERT_TRUE(o);
    EXPECT_GE(o->usage.peak_rss_bytes, 80 * k_mib) << "the shell's child counts too";
}

TEST(RunProcess, EnvironmentAndWorkingDirectory) {
    testing::TempDir dir;
    ::setenv("PT_TEST_REMOVED", "here", 1);
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "echo \"$PT_TEST_VALUE ${PT_TEST_REMOVED:-gone} $(pwd)\""};
    spec.env = {{"PT_TEST_VALUE", "forty-one"}, {"PT_TEST_VALUE", "forty-two"}};
    spec.unset_env = {"PT_TEST_REMOVED"};
    spec.working_dir = dir.path();
    auto o = run_process(spec);
    ::unsetenv("PT_TEST_REMOVED");
    ASSERT_TRUE(o);
    EXPECT_EQ(o->stdout_text,
              "forty-two gone " + std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST(RunProcess, ABareProgramNameIsFoundOnTheChildsPath) {
    testing::TempDir dir;
    const auto tool = dir.write("pt-test-tool", "#!/bin/sh\necho found me\n");
    std::filesystem::permissions(tool, std::filesystem::perms::owner_all);
    ProcessSpec spec;
    spec.argv = {"pt-test-tool"};
    spec.env = {{"PATH", dir.path().string() + ":/usr/bin:/bin"}};
    auto o = run_process(spec);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->stdout_text, "found me\n");

    spec.env = {{"PATH", "/usr/bin:/bin"}};
    o = run_process(spec);
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().message, "cannot run pt-test-tool: No such file or directory");
}

TEST(RunProcess, RunsAsAnotherAccountWhenRoot) {
    if (::getuid() != 0) GTEST_SKIP() << "only root can run a child as another account";
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) pw = ::getpwnam("nobody");
    ASSERT_NE(pw, nullptr) << "no unprivileged account to test with";
    auto user = resolve_user(pw->pw_uid);
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_EQ(user->name, pw->pw_name);
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "echo $(id -u) $(id -g) $USER $HOME"};
    spec.run_as = *user;
    auto o = run_process(spec);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->stdout_text, std::to_string(pw->pw_uid) + " " + std::to_string(pw->pw_gid) + " " +
                                  pw->pw_name + " " + pw->pw_dir + "\n");
}

TEST(RunProcess, SignalNames) {
    EXPECT_EQ(signal_name(SIGINT), "SIGINT");
    EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
    EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
    EXPECT_EQ(signal_name(1000), "signal 1000");
}

TEST(StartProcess, AChildNotWaitedForIsKilledAndReaped) {
    pid_t pid = 0;
    {
        ProcessSpec spec;
        spec.argv = {"/bin/sh", "-c", "sleep 60"};
        auto child = start_process(spec);
        ASSERT_TRUE(child) << child.error().message;
        pid = child->pid();
        EXPECT_TRUE(process_alive(pid));
    }
    EXPECT_NE(::kill(pid, 0), 0) << "reaped: no such process any more";
}

TEST(RunProcess, MissingProgramOrDirectoryIsAnErrorThatNamesIt) {
    ProcessSpec spec;
    spec.argv = {"/nonexistent/bench"};
    auto o = run_process(spec);
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().kind, ErrorKind::input) << "a wrong path is bad input, not a bug";
    EXPECT_EQ(o.error().message, "cannot run /nonexistent/bench: No such file or directory");

    spec.argv = {RUSAGE_PROBE, "exit", "0"};
    spec.working_dir = "/nonexistent/dir";
    o = run_process(spec);
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("working directory /nonexistent/dir does not exist"),
              std::string::npos)
        << o.error().message;
}

TEST(RunProcess, TicksWhileTheChildRuns) {
    Recorder rec;
    ProcessSpec spec;
    spec.tick_interval = 20ms;
    run_probe({"sleep", "200"}, spec, &rec);
    EXPECT_GE(rec.ticks, 3);
}

}  // namespace
}  // namespace perftrack::core
