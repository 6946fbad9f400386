#include "tests/support/chart_decoding.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace perftrack::testing {

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<std::uint8_t> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes.
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

std::optional<std::vector<std::int64_t>> decode_varints(std::string_view text) {
    auto bytes = base64_decode(text);
    if (!bytes) return std::nullopt;
    std::vector<std::int64_t> out;
    std::uint64_t z = 0;
    int shift = 0;
    bool pending = false;
    for (const std::uint8_t b : *bytes) {
        if (shift > 63) return std::nullopt;
        z |= std::uint64_t{b & 0x7Fu} << shift;
        pending = true;
        if ((b & 0x80) != 0) {
            shift += 7;
            continue;
        }
        out.push_back(static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1));
        z = 0;
        shift = 0;
        pending = false;
    }
    if (pending) return std::nullopt;
    return out;
}

std::string csp_hash_source(std::string_view content) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest);
    unsigned char encoded[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
    EVP_EncodeBlock(encoded, digest, SHA256_DIGEST_LENGTH);
    return "'sha256-" + std::string(reinterpret_cast<const char*>(encoded)) + "'";
}

}  // namespace perftrack::testing
