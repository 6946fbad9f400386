// --max-input-size through the real binary: binary units, and a size that does not fit in 64
// bits is a usage error (exit 2), not a silently wrapped small limit.
#include <string>

#include <gtest/gtest.h>

#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::cli {
namespace {

constexpr const char* k_unreachable_db = "postgresql://127.0.0.1:1/none";

testing::ProcessResult ingest_with_limit(const testing::TempDir& dir, const std::string& limit,
                                         const std::filesystem::path& file) {
    testing::ProcessOptions options;
    options.env["PERFTRACK_HOME"] = (dir / "home").string();
    return testing::run_perftrack({"ingest", "--db", k_unreachable_db, "--format", "perftrack",
                                   "--max-input-size", limit, file.string()},
                                  options);
}

TEST(ByteSizeOption, AValueThatOverflowsIsAUsageError) {
    testing::TempDir dir;
    const auto file = dir.write("r.json", "{}");
    // 2^64 bytes, and far beyond: before CLI11's checked multiplication, 16EiB wrapped to 0.
    for (const char* limit :
         {"16EiB", "17179869184GiB", "99999999999999999999", "18446744073709551616"}) {
        const auto r = ingest_with_limit(dir, limit, file);
        EXPECT_EQ(r.exit_code, 2) << limit << ": " << r.err;
        EXPECT_NE(r.err.find("--max-input-size"), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "");
    }
}

TEST(ByteSizeOption, BinaryUnitsAreApplied) {
    testing::TempDir dir;
    const auto file = dir.write("r.json", std::string(3000, ' ') + "{}");
    for (const char* limit : {"2KiB", "2k", "2K", "2KB", "2048", "2048B"}) {
        const auto r = ingest_with_limit(dir, limit, file);
        EXPECT_EQ(r.exit_code, 2) << limit;
        EXPECT_NE(r.err.find("larger than"), std::string::npos) << limit << ": " << r.err;
    }
    for (const char* limit : {"bogus", "12XB", "-1"}) {
        const auto r = ingest_with_limit(dir, limit, file);
        EXPECT_EQ(r.exit_code, 2) << limit;
        EXPECT_NE(r.err.find("--max-input-size"), std::string::npos) << limit << ": " << r.err;
    }
}

}  // namespace
}  // namespace perftrack::cli
