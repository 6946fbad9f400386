// Every input that fuzzing found to break a parser (tests/fixtures/formats/<format>/fuzz-*,
// where the folder is the --format name and "perftrack" the native format) is parsed again by
// that format's adapter and must give an acceptable result by the fuzz targets' own rules
// (fuzz/fuzz_checks.hpp). Memory errors among them are caught under ASan by ci/fuzz.sh, which
// replays these files first as seeds.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "fuzz/fuzz_checks.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/unit/formats/adapter_test_util.hpp"

namespace perftrack::formats {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> fuzz_inputs() {
    std::vector<fs::path> files;
    for (const auto& dir : fs::directory_iterator(testing::project_fixture("formats")))
        if (dir.is_directory())
            for (const auto& f : fs::directory_iterator(dir.path()))
                if (f.path().filename().string().rfind("fuzz-", 0) == 0) files.push_back(f.path());
    std::sort(files.begin(), files.end());
    return files;
}

TEST(FuzzRegressions, EveryFoundInputIsHandled) {
    const auto files = fuzz_inputs();
    ASSERT_FALSE(files.empty()) << "no fuzz-* inputs under tests/fixtures/formats/";
    for (const auto& file : files) {
        const std::string format = file.parent_path().filename().string();
        ASSERT_NE(find_adapter(format), nullptr)
            << file << ": the folder must be named after its format";
        const std::string text = test::read_fixture(file);
        // The same source name as the fuzz target (criterion names estimates by their path).
        const std::string source = "target/criterion/fuzz/new/estimates.json";
        const auto result = parse_results(format, text, source, {});
        EXPECT_EQ(fuzz::check_result(result, source), "") << file;
        (void)find_adapter(format)->sniff(text);
    }
}

}  // namespace
}  // namespace perftrack::formats
