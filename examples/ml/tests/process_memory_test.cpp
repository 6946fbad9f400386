#include "examples/ml/process_memory.hpp"

#include <cstring>
#include <memory>

#include <gtest/gtest.h>

namespace perftrack::examples::ml {
namespace {

constexpr std::size_t k_block_bytes = 64 * 1024 * 1024;

// Allocates and touches a block, so it becomes resident, then frees it.
void touch_and_free_block() {
    auto block = std::make_unique<char[]>(k_block_bytes);
    std::memset(block.get(), 1, k_block_bytes);
    volatile char sink = block[k_block_bytes - 1];
    (void)sink;
}

TEST(ProcessMemory, PeakIsReadFromProc) {
    const auto peak = peak_resident_bytes();
    ASSERT_TRUE(peak.has_value());
    EXPECT_GT(*peak, 0);
}

TEST(ProcessMemory, ResetForgetsAnEarlierPeak) {
    if (!reset_peak_resident())
        GTEST_SKIP() << "/proc/self/clear_refs is not writable here, so the peak cannot be reset";
    const std::int64_t before = peak_resident_bytes().value();
    touch_and_free_block();
    const std::int64_t with_block = peak_resident_bytes().value();
    EXPECT_GE(with_block, before + static_cast<std::int64_t>(k_block_bytes) * 9 / 10);

    ASSERT_TRUE(reset_peak_resident());
    const std::int64_t after_reset = peak_resident_bytes().value();
    EXPECT_LT(after_reset, with_block - static_cast<std::int64_t>(k_block_bytes) / 2);
}

}  // namespace
}  // namespace perftrack::examples::ml
