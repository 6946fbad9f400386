#include "server/token.hpp"

#include <array>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace perftrack::server {

namespace {
constexpr std::size_t k_token_bytes = 32;   // 256 bits: unguessable, and no rate limit needed
constexpr std::size_t k_prefix_chars = 12;  // "ptk_" + 8 hex digits: tells tokens apart only

std::string hex(const unsigned char* data, std::size_t size) {
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) out += fmt::format("{:02x}", data[i]);
    return out;
}
}  // namespace

std::string generate_token() {
    std::array<unsigned char, k_token_bytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("the random number generator failed; no token was created");
    return "ptk_" + hex(bytes.data(), bytes.size());
}

std::string token_hash_hex(std::string_view token) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), token.data(), token.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), digest.data(), &size) != 1)
        throw std::runtime_error("SHA-256 failed");
    return hex(digest.data(), size);
}

bool same_hash(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string token_prefix(std::string_view token) {
    return std::string(token.substr(0, k_prefix_chars));
}

}  // namespace perftrack::server
