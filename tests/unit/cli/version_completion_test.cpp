// `perftrack --version` and `perftrack completion bash`, through the real binary: the package's
// man page and bash completion are generated from these at build time.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "core/version.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::cli {
namespace {

TEST(Version, PrintsVersionAndCommit) {
    const auto result = testing::run_perftrack({"--version"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out,
              std::string("perftrack ") + core::k_version + " (commit " + core::k_commit + ")\n");
    EXPECT_TRUE(std::regex_match(core::k_version, std::regex(R"(\d+\.\d+\.\d+)")))
        << core::k_version;
    // A git checkout gives the abbreviated hash; a tarball without .git says so.
    EXPECT_TRUE(std::regex_match(core::k_commit, std::regex("[0-9a-f]{12}|unknown")))
        << core::k_commit;
}

// Completes `words` (the last one being typed) with the generated script; returns COMPREPLY.
std::string complete(const std::string& words, const std::filesystem::path& cwd = {}) {
    const std::string script = "source <(\"$PERFTRACK\" completion bash) && COMP_WORDS=(" + words +
                               ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _perftrack && "
                               "echo \"${COMPREPLY[*]}\"";
    testing::ProcessOptions options;
    options.env["PERFTRACK"] = testing::perftrack_binary();
    options.cwd = cwd;
    const auto result = testing::run_process({"/bin/bash", "-c", script}, options);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    return result.out;
}

TEST(Completion, CompletesSubcommandsAtEveryLevel) {
    EXPECT_EQ(
        complete("perftrack ''"),
        "ingest db push alerts check backtest report baseline run compare serve token project "
        "completion -h "
        "--help --version\n");
    EXPECT_EQ(complete("perftrack db st"), "status start stop\n");
    EXPECT_EQ(complete("perftrack alerts ''"), "list ack resolve -h --help\n");
    EXPECT_EQ(complete("perftrack baseline reset --re"), "--reason\n");
}

TEST(Completion, CompletesFlagsChoicesAndFiles) {
    EXPECT_EQ(complete("perftrack report --format ''"), "html json\n");
    EXPECT_EQ(complete("perftrack check --format m"), "markdown\n");
    EXPECT_EQ(complete("perftrack compare --output-format ''"), "text json markdown\n");
    EXPECT_EQ(complete("perftrack run --check-f"), "--check-format\n");
    testing::TempDir dir;
    dir.write("results-a.json", "{}");
    dir.write("results-b.json", "{}");
    // ingest takes files; a flag's value is a file unless the flag lists its choices.
    EXPECT_EQ(complete("perftrack ingest res", dir.path()), "results-a.json results-b.json\n");
    EXPECT_EQ(complete("perftrack run --config results-a", dir.path()), "results-a.json\n");
    // After -- come the benchmark command's own arguments: nothing of perftrack's.
    EXPECT_EQ(complete("perftrack run -- ./bench --ch", dir.path()), "\n");
}

TEST(Completion, RefusesAnUnknownShell) {
    const auto result = testing::run_perftrack({"completion", "zsh"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("zsh not in {bash}"), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
}

}  // namespace
}  // namespace perftrack::cli
