// `perftrack ingest --format F` on malformed input of every format, through the real binary:
// exit 2, one message naming the file and the place, nothing else. Parsing fails before any
// database is opened; --db still points at a port where nothing listens, so even a bug that
// got past parsing could not write anywhere.
#include <cctype>
#include <string>

#include <gtest/gtest.h>

#include "core/exit_code.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::cli {
namespace {

constexpr const char* k_unreachable_db = "postgresql://127.0.0.1:1/none";

struct BadInput {
    const char* format;
    const char* file_name;
    const char* content;
    const char* place;  // the message names this place (after the file name)
};

class IngestMalformed : public ::testing::TestWithParam<BadInput> {};

TEST_P(IngestMalformed, ExitsTwoNamingFileAndPlace) {
    const BadInput& c = GetParam();
    testing::TempDir dir;
    const auto file = dir.write(c.file_name, c.content);
    testing::ProcessOptions options;
    options.env["PERFTRACK_HOME"] = (dir / "home").string();
    const auto result = testing::run_perftrack(
        {"ingest", "--format", c.format, "--db", k_unreachable_db, "--project", "p", "--branch",
         "main", "--commit", "abc", file.string()},
        options);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    const std::string expected = file.string() + ": " + c.place;
    EXPECT_NE(result.err.find(expected), std::string::npos)
        << "expected \"" << expected << "\" in:\n"
        << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_FALSE(std::filesystem::exists(dir / "home"))
        << "nothing (not even the embedded database) was set up";
}

INSTANTIATE_TEST_SUITE_P(
    Formats, IngestMalformed,
    ::testing::Values(
        BadInput{"gbench", "truncated.json",
                 "{\"benchmarks\": [{\"name\": \"BM_a\", \"real_time\": 1,",
                 "invalid JSON at line 1"},
        BadInput{
            "gbench", "wrong-type.json",
            R"({"benchmarks":[{"name":"BM_a","real_time":"fast","cpu_time":1,"time_unit":"ns"}]})",
            "benchmarks[0].real_time: expected a number, got a string"},
        BadInput{"gbench", "empty.json", "", "file is empty"}),
    [](const ::testing::TestParamInfo<BadInput>& param) {
        std::string name = std::string(param.param.format) + "_" + param.param.file_name;
        for (char& ch : name)
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        return name;
    });

}  // namespace
}  // namespace perftrack::cli
