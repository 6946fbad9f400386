#include "runner/context/ci_environment.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/file_io.hpp"

namespace perftrack::runner {

namespace {

// GitHub's event payloads are a few KiB; anything far larger is not one.
constexpr std::uint64_t k_max_event_bytes = 16 * 1024 * 1024;

std::optional<std::string> strip_prefix(const std::optional<std::string>& v,
                                        std::string_view prefix) {
    if (!v || v->rfind(prefix, 0) != 0) return std::nullopt;
    return v->substr(prefix.size());
}

void github(const EnvLookup& env, core::RunContext& c) {
    c.ci_provider = "github";
    c.commit = env("GITHUB_SHA");
    // On pull_request events GITHUB_REF is refs/pull/N/merge and GITHUB_HEAD_REF the branch.
    const auto ref = env("GITHUB_REF");
    if (auto head = env("GITHUB_HEAD_REF")) {
        c.branch = head;
    } else if (auto b = strip_prefix(ref, "refs/heads/")) {
        c.branch = b;
    } else if (auto name = env("GITHUB_REF_NAME")) {
        c.branch = name;
    }
    if (auto pr = strip_prefix(ref, "refs/pull/")) {
        const auto slash = pr->find('/');
        c.pull_request = pr->substr(0, slash);
    } else if (auto event = env("GITHUB_EVENT_PATH")) {
        // pull_request_target (and workflow runs on PRs) check out the base ref; the number is
        // only in the event payload.
        c.pull_request = pull_request_from_github_event(*event);
    }
    const auto run_id = env("GITHUB_RUN_ID");
    const auto repo = env("GITHUB_REPOSITORY");
    if (run_id) {
        c.ci_run_key =
            fmt::format("github:{}:{}.{}:{}", repo.value_or(""), *run_id,
                        env("GITHUB_RUN_ATTEMPT").value_or("1"), env("GITHUB_JOB").value_or(""));
        // The jobs of one matrix (shards) share this key: run id, attempt and job id.
        const auto server = env("GITHUB_SERVER_URL").value_or("https://github.com");
        if (repo) c.ci_job_url = fmt::format("{}/{}/actions/runs/{}", server, *repo, *run_id);
    }
    if (repo) {
        const auto slash = repo->find('/');
        c.project = slash == std::string::npos ? *repo : repo->substr(slash + 1);
    }
}

void gitlab(const EnvLookup& env, core::RunContext& c) {
    c.ci_provider = "gitlab";
    c.commit = env("CI_COMMIT_SHA");
    if (auto mr_branch = env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")) {
        c.branch = mr_branch;
    } else {
        c.branch = env("CI_COMMIT_BRANCH");
        if (!c.branch) c.branch = env("CI_COMMIT_REF_NAME");
    }
    c.pull_request = env("CI_MERGE_REQUEST_IID");
    if (!c.pull_request) c.pull_request = env("CI_EXTERNAL_PULL_REQUEST_IID");
    c.commit_time = env("CI_COMMIT_TIMESTAMP");
    c.commit_subject = env("CI_COMMIT_TITLE");
    c.project = env("CI_PROJECT_NAME");
    if (auto job = env("CI_JOB_ID"))
        c.ci_run_key = fmt::format("gitlab:{}:{}", env("CI_PROJECT_PATH").value_or(""), *job);
    c.ci_job_url = env("CI_JOB_URL");
    // Shards of one pipeline share the pipeline id and the job name without its " I/N" suffix
    // (GitLab names parallel jobs "bench 1/4", "bench 2/4", ...).
    if (auto pipeline = env("CI_PIPELINE_ID")) {
        std::string job = env("CI_JOB_NAME").value_or("");
        if (const auto space = job.rfind(' ');
            space != std::string::npos && job.find('/', space) != std::string::npos)
            job.resize(space);
        c.run_group =
            fmt::format("gitlab:{}:{}:{}", env("CI_PROJECT_PATH").value_or(""), *pipeline, job);
    }
}

void jenkins(const EnvLookup& env, core::RunContext& c) {
    c.ci_provider = "jenkins";
    c.commit = env("GIT_COMMIT");
    c.branch = env("CHANGE_BRANCH");
    if (!c.branch) c.branch = strip_prefix(env("GIT_BRANCH"), "origin/");
    if (!c.branch) c.branch = env("GIT_BRANCH");
    if (!c.branch) c.branch = env("BRANCH_NAME");
    c.pull_request = env("CHANGE_ID");
    if (!c.pull_request) c.pull_request = env("ghprbPullId");  // GitHub pull request builder
    // Parallel stages of one build (shards) share the build tag.
    if (auto tag = env("BUILD_TAG")) c.ci_run_key = "jenkins:" + *tag;
    c.ci_job_url = env("BUILD_URL");
}

void buildkite(const EnvLookup& env, core::RunContext& c) {
    c.ci_provider = "buildkite";
    c.commit = env("BUILDKITE_COMMIT");
    c.branch = env("BUILDKITE_BRANCH");
    if (auto pr = env("BUILDKITE_PULL_REQUEST"); pr && *pr != "false") c.pull_request = pr;
    if (auto job = env("BUILDKITE_JOB_ID"))
        c.ci_run_key = fmt::format("buildkite:{}:{}", env("BUILDKITE_BUILD_ID").value_or(""), *job);
    if (auto build = env("BUILDKITE_BUILD_ID"))
        c.run_group =
            fmt::format("buildkite:{}:{}", *build, env("BUILDKITE_STEP_KEY").value_or(""));
    c.ci_job_url = env("BUILDKITE_BUILD_URL");
    if (auto job = env("BUILDKITE_JOB_ID"); job && c.ci_job_url) *c.ci_job_url += "#" + *job;
    c.commit_subject = env("BUILDKITE_MESSAGE");
    if (c.commit_subject)
        c.commit_subject = c.commit_subject->substr(0, c.commit_subject->find('\n'));
    c.project = env("BUILDKITE_PIPELINE_SLUG");
}

void circleci(const EnvLookup& env, core::RunContext& c) {
    c.ci_provider = "circleci";
    c.commit = env("CIRCLE_SHA1");
    c.branch = env("CIRCLE_BRANCH");
    c.pull_request = env("CIRCLE_PR_NUMBER");
    if (!c.pull_request) {
        if (auto url = env("CIRCLE_PULL_REQUEST")) {
            const auto slash = url->rfind('/');
            if (slash != std::string::npos) c.pull_request = url->substr(slash + 1);
        }
    }
    if (auto workflow = env("CIRCLE_WORKFLOW_JOB_ID")) {
        c.ci_run_key = "circleci:" + *workflow;
    } else if (auto build = env("CIRCLE_BUILD_NUM")) {
        c.ci_run_key =
            fmt::format("circleci:{}:{}", env("CIRCLE_PROJECT_REPONAME").value_or(""), *build);
    }
    if (auto wf = env("CIRCLE_WORKFLOW_ID"))
        c.run_group = fmt::format("circleci:{}:{}", *wf, env("CIRCLE_JOB").value_or(""));
    c.ci_job_url = env("CIRCLE_BUILD_URL");
    c.project = env("CIRCLE_PROJECT_REPONAME");
}

}  // namespace

std::optional<std::string> pull_request_from_github_event(const std::filesystem::path& event_file) {
    auto text = core::read_input_file(event_file, k_max_event_bytes);
    if (!text) return std::nullopt;
    const auto event = nlohmann::json::parse(*text, nullptr, false);
    if (!event.is_object()) return std::nullopt;
    const auto pr = event.find("pull_request");
    if (pr == event.end() || !pr->is_object()) return std::nullopt;
    const auto number = pr->find("number");
    if (number == pr->end() || !number->is_number_integer()) return std::nullopt;
    return std::to_string(number->get<std::int64_t>());
}

EnvLookup process_env() {
    return [](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);
        if (v == nullptr || *v == '\0') return std::nullopt;
        return std::string(v);
    };
}

core::RunContext context_from_perftrack_env(const EnvLookup& env) {
    core::RunContext c;
    c.project = env("PERFTRACK_PROJECT");
    c.testbed = env("PERFTRACK_TESTBED");
    c.branch = env("PERFTRACK_BRANCH");
    c.commit = env("PERFTRACK_COMMIT");
    c.commit_time = env("PERFTRACK_COMMIT_TIME");
    c.run_id = env("PERFTRACK_RUN_ID");
    c.run_group = env("PERFTRACK_RUN_GROUP");
    c.pull_request = env("PERFTRACK_PR");
    c.ci_job_url = env("PERFTRACK_JOB_URL");
    return c;
}

core::RunContext context_from_ci(const EnvLookup& env) {
    core::RunContext c = context_from_perftrack_env(env);
    core::RunContext provider;
    if (env("GITHUB_ACTIONS") == std::optional<std::string>("true")) {
        github(env, provider);
    } else if (env("GITLAB_CI")) {
        gitlab(env, provider);
    } else if (env("BUILDKITE")) {
        buildkite(env, provider);
    } else if (env("CIRCLECI")) {
        circleci(env, provider);
    } else if (env("JENKINS_URL") || env("JENKINS_HOME")) {
        jenkins(env, provider);
    }
    core::merge_context(c, provider);
    return c;
}

core::RunContext context_from_ci() {
    return context_from_ci(process_env());
}

}  // namespace perftrack::runner
