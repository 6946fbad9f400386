// CI provider variables to run context: every provider's commit, branch, PR number, job URL,
// run key and run group, and the PERFTRACK_* overrides winning over them.
#include "runner/context/ci_environment.hpp"

#include <map>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::runner {
namespace {

core::RunContext from(const std::map<std::string, std::string>& vars) {
    return context_from_ci([&](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    });
}

TEST(CiEnvironment, NoCiNoContext) {
    const auto c = from({{"HOME", "/root"}});
    EXPECT_FALSE(c.ci_provider);
    EXPECT_FALSE(c.commit);
    EXPECT_FALSE(c.run_group);
}

TEST(CiEnvironment, GitHubPullRequest) {
    const auto c = from({{"GITHUB_ACTIONS", "true"},
                         {"GITHUB_SHA", "abc123"},
                         {"GITHUB_REF", "refs/pull/42/merge"},
                         {"GITHUB_HEAD_REF", "feature/fast"},
                         {"GITHUB_RUN_ID", "9001"},
                         {"GITHUB_RUN_ATTEMPT", "2"},
                         {"GITHUB_JOB", "bench"},
                         {"GITHUB_REPOSITORY", "acme/engine"},
                         {"GITHUB_SERVER_URL", "https://github.example"}});
    EXPECT_EQ(c.ci_provider, "github");
    EXPECT_EQ(c.commit, "abc123");
    EXPECT_EQ(c.branch, "feature/fast");
    EXPECT_EQ(c.pull_request, "42");
    EXPECT_EQ(c.project, "engine");
    EXPECT_EQ(c.ci_job_url, "https://github.example/acme/engine/actions/runs/9001");
    EXPECT_EQ(c.ci_run_key, "github:acme/engine:9001.2:bench");
    EXPECT_FALSE(c.run_group) << "matrix shards share the job key itself";
}

TEST(CiEnvironment, GitHubPushAndEventPayload) {
    testing::TempDir dir;
    const auto event =
        dir.write("event.json", R"({"action":"opened","pull_request":{"number":77}})");
    auto c = from({{"GITHUB_ACTIONS", "true"},
                   {"GITHUB_REF", "refs/heads/main"},
                   {"GITHUB_EVENT_PATH", event.string()}});
    EXPECT_EQ(c.branch, "main");
    EXPECT_EQ(c.pull_request, "77") << "pull_request_target: the number is in the payload";
    c = from({{"GITHUB_ACTIONS", "true"},
              {"GITHUB_REF", "refs/heads/main"},
              {"GITHUB_EVENT_PATH", (dir / "missing.json").string()}});
    EXPECT_FALSE(c.pull_request);
    const auto push = dir.write("push.json", R"({"ref":"refs/heads/main"})");
    EXPECT_FALSE(pull_request_from_github_event(push));
}

TEST(CiEnvironment, GitLabMergeRequestAndParallelJobs) {
    const auto c = from({{"GITLAB_CI", "true"},
                         {"CI_COMMIT_SHA", "def456"},
                         {"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "mr-branch"},
                         {"CI_COMMIT_BRANCH", "ignored"},
                         {"CI_MERGE_REQUEST_IID", "17"},
                         {"CI_COMMIT_TIMESTAMP", "2024-05-01T12:00:00+00:00"},
                         {"CI_COMMIT_TITLE", "Speed up parser"},
                         {"CI_PROJECT_NAME", "engine"},
                         {"CI_PROJECT_PATH", "acme/engine"},
                         {"CI_JOB_ID", "555"},
                         {"CI_JOB_URL", "https://gitlab.example/acme/engine/-/jobs/555"},
                         {"CI_PIPELINE_ID", "88"},
                         {"CI_JOB_NAME", "bench 2/4"}});
    EXPECT_EQ(c.ci_provider, "gitlab");
    EXPECT_EQ(c.branch, "mr-branch");
    EXPECT_EQ(c.pull_request, "17");
    EXPECT_EQ(c.commit_time, "2024-05-01T12:00:00+00:00");
    EXPECT_EQ(c.commit_subject, "Speed up parser");
    EXPECT_EQ(c.ci_job_url, "https://gitlab.example/acme/engine/-/jobs/555");
    EXPECT_EQ(c.ci_run_key, "gitlab:acme/engine:555");
    EXPECT_EQ(c.run_group, "gitlab:acme/engine:88:bench") << "the \" 2/4\" suffix is dropped";
    const auto external = from({{"GITLAB_CI", "true"}, {"CI_EXTERNAL_PULL_REQUEST_IID", "5"}});
    EXPECT_EQ(external.pull_request, "5");
}

TEST(CiEnvironment, Jenkins) {
    const auto c = from({{"JENKINS_URL", "https://ci.example/"},
                         {"GIT_COMMIT", "0a1b2c"},
                         {"GIT_BRANCH", "origin/release"},
                         {"CHANGE_ID", "12"},
                         {"BUILD_TAG", "jenkins-engine-31"},
                         {"BUILD_URL", "https://ci.example/job/engine/31/"}});
    EXPECT_EQ(c.ci_provider, "jenkins");
    EXPECT_EQ(c.commit, "0a1b2c");
    EXPECT_EQ(c.branch, "release");
    EXPECT_EQ(c.pull_request, "12");
    EXPECT_EQ(c.ci_job_url, "https://ci.example/job/engine/31/");
    EXPECT_EQ(c.ci_run_key, "jenkins:jenkins-engine-31");
    EXPECT_EQ(from({{"JENKINS_HOME", "/var/jenkins"}, {"ghprbPullId", "8"}}).pull_request, "8");
}

TEST(CiEnvironment, Buildkite) {
    const auto c = from({{"BUILDKITE", "true"},
                         {"BUILDKITE_COMMIT", "feed"},
                         {"BUILDKITE_BRANCH", "topic"},
                         {"BUILDKITE_PULL_REQUEST", "99"},
                         {"BUILDKITE_BUILD_ID", "b-1"},
                         {"BUILDKITE_JOB_ID", "j-2"},
                         {"BUILDKITE_STEP_KEY", "bench"},
                         {"BUILDKITE_BUILD_URL", "https://buildkite.com/acme/engine/builds/7"},
                         {"BUILDKITE_MESSAGE", "Subject line\n\nBody"},
                         {"BUILDKITE_PIPELINE_SLUG", "engine"}});
    EXPECT_EQ(c.ci_provider, "buildkite");
    EXPECT_EQ(c.pull_request, "99");
    EXPECT_EQ(c.ci_job_url, "https://buildkite.com/acme/engine/builds/7#j-2");
    EXPECT_EQ(c.ci_run_key, "buildkite:b-1:j-2");
    EXPECT_EQ(c.run_group, "buildkite:b-1:bench");
    EXPECT_EQ(c.commit_subject, "Subject line");
    EXPECT_FALSE(from({{"BUILDKITE", "true"}, {"BUILDKITE_PULL_REQUEST", "false"}}).pull_request);
}

TEST(CiEnvironment, CircleCi) {
    const auto c = from({{"CIRCLECI", "true"},
                         {"CIRCLE_SHA1", "c0ffee"},
                         {"CIRCLE_BRANCH", "topic"},
                         {"CIRCLE_PULL_REQUEST", "https://github.com/acme/engine/pull/314"},
                         {"CIRCLE_WORKFLOW_ID", "wf"},
                         {"CIRCLE_WORKFLOW_JOB_ID", "wj"},
                         {"CIRCLE_JOB", "bench"},
                         {"CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/engine/12"},
                         {"CIRCLE_PROJECT_REPONAME", "engine"}});
    EXPECT_EQ(c.ci_provider, "circleci");
    EXPECT_EQ(c.pull_request, "314");
    EXPECT_EQ(c.ci_job_url, "https://circleci.com/gh/acme/engine/12");
    EXPECT_EQ(c.ci_run_key, "circleci:wj");
    EXPECT_EQ(c.run_group, "circleci:wf:bench");
}

TEST(CiEnvironment, PerftrackVariablesWin) {
    const auto c = from({{"GITHUB_ACTIONS", "true"},
                         {"GITHUB_SHA", "abc"},
                         {"GITHUB_REF", "refs/pull/1/merge"},
                         {"GITHUB_RUN_ID", "1"},
                         {"PERFTRACK_COMMIT", "override"},
                         {"PERFTRACK_PR", "2"},
                         {"PERFTRACK_RUN_GROUP", "nightly"},
                         {"PERFTRACK_TESTBED", "bare-metal-1"},
                         {"PERFTRACK_JOB_URL", "https://ci/1"}});
    EXPECT_EQ(c.commit, "override");
    EXPECT_EQ(c.pull_request, "2");
    EXPECT_EQ(c.run_group, "nightly");
    EXPECT_EQ(c.testbed, "bare-metal-1");
    EXPECT_EQ(c.ci_job_url, "https://ci/1");
    EXPECT_EQ(c.ci_provider, "github");
}

}  // namespace
}  // namespace perftrack::runner
