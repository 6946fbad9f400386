#pragma once
// ../shared/fixtures (beside the checkout) holds real tool outputs and histories. CI always has
// it; a user's fresh clone does not, and then the tests over it skip and say so.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace perftrack::testing {

// $PERFTRACK_SHARED_DIR, else <source>/../shared, when it exists.
std::optional<std::filesystem::path> shared_dir();

// The files (recursively, sorted) of ../shared/fixtures/formats/<folder>; empty when absent.
std::vector<std::filesystem::path> shared_format_files(const std::string& folder);

// The project's own fixtures: <source>/tests/fixtures/<relative>.
std::filesystem::path project_fixture(const std::string& relative);

}  // namespace perftrack::testing

// Skips the current test with a plain message when ../shared is not beside the checkout.
#define PERFTRACK_REQUIRE_SHARED()                                                             \
    do {                                                                                       \
        if (!::perftrack::testing::shared_dir())                                               \
            GTEST_SKIP() << "SKIPPED: ../shared is not beside this checkout (CI has it); the " \
                            "tests over its fixtures did not run";                             \
    } while (0)
