#include "reports/render/encoding.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "reports/render/sha256.hpp"

namespace perftrack::reports::render {
namespace {

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

TEST(Base64, RejectsMalformedText) {
    EXPECT_FALSE(base64_decode("Zm9").has_value());       // not a multiple of 4
    EXPECT_FALSE(base64_decode("Zm9v!A==").has_value());  // bad character
    EXPECT_FALSE(base64_decode("Z=9v").has_value());      // padding in the middle
    EXPECT_FALSE(base64_decode("Zg==Zm9v").has_value());  // data after padding
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

std::string hex(const std::array<std::uint8_t, 32>& d) {
    static const char* k = "0123456789abcdef";
    std::string out;
    for (auto b : d) {
        out += k[b >> 4];
        out += k[b & 15];
    }
    return out;
}

TEST(Sha256, Fips180Vectors) {
    EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(hex(sha256(std::string(1000000, 'a'))),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingBoundaries) {
    // 55 bytes fit the length in the same block; 56 and 64 need a second padding block.
    EXPECT_EQ(hex(sha256(std::string(55, 'a'))),
              "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    EXPECT_EQ(hex(sha256(std::string(56, 'a'))),
              "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    EXPECT_EQ(hex(sha256(std::string(64, 'a'))),
              "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(CspHashSource, Base64OfTheDigestInQuotes) {
    EXPECT_EQ(csp_hash_source("abc"), "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
}

}  // namespace
}  // namespace perftrack::reports::render
