#include "core/subprocess.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

namespace perftrack::core {

std::filesystem::path find_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return ::access(name.c_str(), X_OK) == 0 ? std::filesystem::path(name)
                                                 : std::filesystem::path();
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        std::filesystem::path candidate = std::filesystem::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

Result<SubprocessResult> run_subprocess(const std::vector<std::string>& argv,
                                        const SubprocessOptions& options) {
    if (argv.empty()) return fail(ErrorKind::internal, "run_subprocess: empty command");
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    int pipe_fds[2] = {-1, -1};
    const bool capture = options.output_file.empty();
    if (capture && ::pipe2(pipe_fds, O_CLOEXEC) != 0)
        return fail(ErrorKind::internal, fmt::format("pipe: {}", std::strerror(errno)));
    int out_fd = -1;
    if (!capture) {
        out_fd = ::open(options.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                        0644);
        if (out_fd < 0)
            return fail(ErrorKind::internal, fmt::format("{}: {}", options.output_file.string(),
                                                         std::strerror(errno)));
        if (options.uid && ::getuid() == 0)
            if (::fchown(out_fd, *options.uid, options.gid.value_or(0)) != 0) { /* best effort */ }
    }
    // Error reporting from the child before exec: write errno to this pipe.
    int exec_fds[2];
    if (::pipe2(exec_fds, O_CLOEXEC) != 0)
        return fail(ErrorKind::internal, fmt::format("pipe: {}", std::strerror(errno)));

    const pid_t pid = ::fork();
    if (pid < 0) return fail(ErrorKind::internal, fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
        const int target = capture ? pipe_fds[1] : out_fd;
        ::dup2(target, STDOUT_FILENO);
        if (options.discard_stderr) {
            int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, STDERR_FILENO);
        } else {
            ::dup2(target, STDERR_FILENO);
        }
        int devnull_in = ::open("/dev/null", O_RDONLY);
        ::dup2(devnull_in, STDIN_FILENO);
        if (options.uid && ::getuid() == 0) {
            const passwd* pw = ::getpwuid(*options.uid);
            const gid_t gid = options.gid.value_or(pw != nullptr ? pw->pw_gid : 0);
            if (pw != nullptr) ::initgroups(pw->pw_name, gid);
            if (::setgid(gid) != 0 || ::setuid(*options.uid) != 0) {
                int err = errno;
                (void)!::write(exec_fds[1], &err, sizeof err);
                ::_exit(127);
            }
            if (pw != nullptr) ::setenv("HOME", pw->pw_dir, 1);
            if (pw != nullptr) ::setenv("USER", pw->pw_name, 1);
        }
        if (!options.working_dir.empty() && ::chdir(options.working_dir.c_str()) != 0) {
            int err = errno;
            (void)!::write(exec_fds[1], &err, sizeof err);
            ::_exit(127);
        }
        ::execvp(args[0], args.data());
        int err = errno;
        (void)!::write(exec_fds[1], &err, sizeof err);
        ::_exit(127);
    }
    ::close(exec_fds[1]);
    if (capture) ::close(pipe_fds[1]);
    if (out_fd >= 0) ::close(out_fd);

    SubprocessResult result;
    if (capture) {
        char buf[8192];
        for (;;) {
            const ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
            if (n == 0) break;
            if (n < 0) {
                if (errno == EINTR) continue;
                break;
            }
            result.output.append(buf, static_cast<std::size_t>(n));
        }
        ::close(pipe_fds[0]);
    }
    int child_errno = 0;
    const ssize_t got = ::read(exec_fds[0], &child_errno, sizeof child_errno);
    ::close(exec_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (got == static_cast<ssize_t>(sizeof child_errno))
        return fail(ErrorKind::internal,
                    fmt::format("cannot run {}: {}", argv[0], std::strerror(child_errno)));
    if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    } else {
        result.exit_code = WEXITSTATUS(status);
    }
    return result;
}

}  // namespace perftrack::core
