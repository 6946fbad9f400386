#include "tests/support/cli_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace perftrack::testing {

namespace {

std::vector<std::string> build_env(const ProcessOptions& o) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& name : o.unset_env) env.erase(name);
    for (const auto& [k, v] : o.env) env[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

ProcessOptions perftrack_defaults(ProcessOptions o) {
    for (const char* name : {"PERFTRACK_DB", "DATABASE_URL"})
        if (o.env.count(name) == 0) o.unset_env.emplace_back(name);
    return o;
}

pid_t start(const std::vector<std::string>& argv, const ProcessOptions& o, int in_fd, int out_fd,
            int err_fd) {
    std::vector<std::string> env_strings = build_env(o);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        if (in_fd >= 0) ::dup2(in_fd, STDIN_FILENO);
        ::dup2(out_fd, STDOUT_FILENO);
        ::dup2(err_fd, STDERR_FILENO);
        if (!o.cwd.empty() && ::chdir(o.cwd.c_str()) != 0) ::_exit(126);
        ::execve(args[0], args.data(), envp.data());
        ::_exit(127);
    }
    return pid;
}

int decode(int status) {
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace

std::string perftrack_binary() { return PERFTRACK_BINARY; }

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& o) {
    int out_pipe[2], err_pipe[2], in_pipe[2] = {-1, -1};
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    if (o.stdin_text && ::pipe2(in_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t pid = start(argv, o, o.stdin_text ? in_pipe[0] : devnull, out_pipe[1], err_pipe[1]);
    ::close(devnull);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    if (o.stdin_text) {
        ::close(in_pipe[0]);
        const std::string& text = *o.stdin_text;
        std::size_t done = 0;
        ::signal(SIGPIPE, SIG_IGN);
        while (done < text.size()) {
            const ssize_t n = ::write(in_pipe[1], text.data() + done, text.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(in_pipe[1]);
    }
    ProcessResult result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(o.timeout_seconds);
    int open_fds = 2;
    bool killed = false;
    while (open_fds > 0) {
        const int rc = ::poll(fds, 2, 200);
        if (rc < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            char buf[65536];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
            }
        }
        if (!killed && std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            killed = true;
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = decode(status);
    if (killed) result.err += "\n[test harness: killed after timeout]\n";
    return result;
}

ProcessResult run_perftrack(const std::vector<std::string>& args, const ProcessOptions& options) {
    std::vector<std::string> argv{perftrack_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, perftrack_defaults(options));
}

pid_t spawn_perftrack(const std::vector<std::string>& args, const ProcessOptions& options,
                      const std::filesystem::path& stdout_file,
                      const std::filesystem::path& stderr_file) {
    std::vector<std::string> argv{perftrack_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    int out = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t pid = start(argv, perftrack_defaults(options), devnull, out, err);
    ::close(out);
    ::close(err);
    ::close(devnull);
    return pid;
}

int wait_child(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return decode(status);
}

}  // namespace perftrack::testing
