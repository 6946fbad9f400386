#pragma once
// Helpers of the server tests: a token made with the real CLI, and uploads through HTTP.

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::testing {

// `perftrack token create --project P --scope S -q` against the DSN; the printed token.
inline std::string create_token(const std::string& dsn, const std::string& project,
                                const std::string& scope) {
    const auto r = run_perftrack(
        {"token", "create", "--db", dsn, "--project", project, "--scope", scope, "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string token = r.out;
    while (!token.empty() && token.back() == '\n') token.pop_back();
    return token;
}

inline httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

// A small valid Google Benchmark result (the fixture the format tests use).
inline std::string gbench_fixture() {
    return read_file(std::string(PERFTRACK_SOURCE_DIR) +
                     "/tests/fixtures/formats/gbench/aggregates-only-1.7.1.json");
}

}  // namespace perftrack::testing
