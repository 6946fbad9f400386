#pragma once
// A test fixture that runs the perftrack binary against a private schema of the test
// PostgreSQL, from a temporary directory that is not a git repository (so no context leaks in
// from this checkout), with its own PERFTRACK_HOME and no colour in the output.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack::testing {

class CliAgainstTestSchema : public ::testing::Test {
  protected:
    TestSchema schema;
    TempDir dir;

    ProcessOptions options() {
        ProcessOptions o;
        o.cwd = dir.path();
        o.env["PERFTRACK_HOME"] = (dir / "home").string();
        o.env["NO_COLOR"] = "1";
        return o;
    }
    // `args` = {"command", flags...}: runs `perftrack command --db <schema> flags...`.
    ProcessResult perftrack(std::vector<std::string> args) {
        args.insert(args.begin() + 1, {"--db", schema.dsn()});
        return run_perftrack(args, options());
    }
};

}  // namespace perftrack::testing
