#include "runner/context/git_info.hpp"

#include <sstream>
#include <vector>

#include "core/process.hpp"

namespace perftrack::runner {

namespace {

constexpr std::size_t k_max_git_output_bytes = 1 << 20;
// git answers these questions from the local repository in milliseconds; a hung git (a lock,
// a network filesystem) must not hang the run.
constexpr std::chrono::seconds k_git_timeout{60};

std::optional<std::string> git(const std::filesystem::path& dir,
                               const std::vector<std::string>& args) {
    static const std::filesystem::path git_path = core::find_program("git");
    if (git_path.empty()) return std::nullopt;
    std::vector<std::string> argv{git_path.string(), "-C", dir.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    core::ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.stderr_capture = {core::Capture::Keep::nothing, 0};
    // What perftrack asks git for is a few lines; more means something else answered.
    spec.stdout_capture = {core::Capture::Keep::first, k_max_git_output_bytes};
    spec.timeout = k_git_timeout;
    auto r = core::run_process(spec);
    if (!r || !r->ok() || r->stdout_dropped_bytes > 0) return std::nullopt;
    std::string out = std::move(r->stdout_text);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

}  // namespace

core::RunContext context_from_git(const std::filesystem::path& dir,
                                  const std::optional<std::string>& commit) {
    core::RunContext c;
    const std::string rev = commit.value_or("HEAD");
    // %H sha, %cI strict ISO 8601 committer date, %P parents, %s subject: one per line.
    auto out = git(dir, {"log", "-1", "--format=%H%n%cI%n%P%n%s", rev, "--"});
    if (!out) return c;
    std::istringstream lines(*out);
    std::string sha, time, parents, subject;
    std::getline(lines, sha);
    std::getline(lines, time);
    std::getline(lines, parents);
    std::getline(lines, subject);
    if (sha.empty()) return c;
    c.commit = sha;
    if (!time.empty()) c.commit_time = time;
    if (!parents.empty()) c.parent_commit = parents.substr(0, parents.find(' '));
    if (!subject.empty()) c.commit_subject = subject;
    if (!commit) {
        if (auto branch = git(dir, {"rev-parse", "--abbrev-ref", "HEAD"});
            branch && !branch->empty() && *branch != "HEAD")
            c.branch = branch;
        if (auto top = git(dir, {"rev-parse", "--show-toplevel"}); top && !top->empty())
            c.project = std::filesystem::path(*top).filename().string();
    }
    return c;
}

std::optional<std::string> git_merge_base(const std::filesystem::path& dir, const std::string& a,
                                          const std::string& b) {
    auto out = git(dir, {"merge-base", a, b});
    if (!out || out->empty()) return std::nullopt;
    return out;
}

}  // namespace perftrack::runner
