#include "core/file_io.hpp"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace perftrack::core {
namespace {

TEST(ReadFileTail, ReadsOnlyWhatFollowsTheOffsetAndAtMostTheLimit) {
    testing::TempDir dir;
    const std::string text = "0123456789abcdefghij";
    const auto file = dir.write("log", text);
    EXPECT_EQ(read_file_tail(file, 0, 100), text);
    EXPECT_EQ(read_file_tail(file, 15, 100), "fghij");
    EXPECT_EQ(read_file_tail(file, 0, 4), "ghij") << "the end, capped";
    EXPECT_EQ(read_file_tail(file, 18, 4), "ij");
    EXPECT_EQ(read_file_tail(file, 20, 4), "");
    EXPECT_EQ(read_file_tail(file, 25, 4), "") << "the file shrank since the offset was taken";
    EXPECT_EQ(read_file_tail(dir / "missing", 0, 4), "");
}

TEST(ReadFileTail, ALargeFileCostsOnlyTheLimit) {
    testing::TempDir dir;
    const auto file = dir.write("big.log", std::string(64u << 20, 'x') + "last line\n");
    const std::string tail = read_file_tail(file, 0, 4096);
    EXPECT_EQ(tail.size(), 4096u);
    EXPECT_EQ(tail.substr(tail.size() - 10), "last line\n");
}

}  // namespace
}  // namespace perftrack::core
