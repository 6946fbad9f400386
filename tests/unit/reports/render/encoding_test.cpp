#include "reports/render/encoding.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/chart_decoding.hpp"

namespace perftrack::reports::render {
namespace {

using testing::base64_decode;
using testing::decode_varints;

std::vector<std::uint8_t> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

TEST(Base64, Rfc4648TestVectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(bytes_of(plain)), encoded) << plain;
        const auto back = base64_decode(encoded);
        ASSERT_TRUE(back.has_value()) << encoded;
        EXPECT_EQ(*back, bytes_of(plain));
    }
}

TEST(Base64, EveryByteValueAndLength) {
    std::vector<std::uint8_t> bytes;
    for (int i = 0; i < 256 * 3 + 2; ++i) {
        const auto back = base64_decode(base64_encode(bytes));
        ASSERT_TRUE(back.has_value()) << bytes.size();
        ASSERT_EQ(*back, bytes) << bytes.size();
        bytes.push_back(static_cast<std::uint8_t>(i * 7));
    }
}

TEST(Varints, RoundTripSignedValuesOfEverySize) {
    const std::vector<std::int64_t> values = {
        0,           1,   -1,  63,   -64,     64,         -65,
        127,         128, 300, -300, 1 << 20, -(1 << 20), (1ll << 53) - 1,
        -(1ll << 53)};
    const auto text = encode_varints(values);
    const auto back = decode_varints(text);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, values);
}

TEST(Varints, SmallMagnitudesTakeOneByte) {
    // Zigzag maps -64..63 to 0..127: one byte each, so 3 values are 3 bytes = 4 base64 chars.
    EXPECT_EQ(encode_varints(std::vector<std::int64_t>{-64, 0, 63}).size(), 4u);
    EXPECT_EQ(encode_varints(std::vector<std::int64_t>{}), "");
}

TEST(Varints, RejectsATruncatedValue) {
    // 0x80 announces a continuation byte that never comes.
    EXPECT_FALSE(decode_varints(base64_encode(std::vector<std::uint8_t>{0x80})).has_value());
}

TEST(Deltas, FirstValueThenDifferences) {
    EXPECT_EQ(deltas(std::vector<std::int64_t>{5, 7, 7, 2}),
              (std::vector<std::int64_t>{5, 2, 0, -5}));
}

}  // namespace
}  // namespace perftrack::reports::render
