#include "alerts/signature.hpp"

#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace perftrack::alerts {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // HMAC() with an empty key needs a non-null pointer.
    static const unsigned char k_empty = 0;
    const void* key_data = key.empty() ? &k_empty : static_cast<const void*>(key.data());
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    if (HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()), data, message.size(), digest,
             &length) == nullptr)
        throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        out += k_hex[digest[i] >> 4];
        out += k_hex[digest[i] & 0x0f];
    }
    return out;
}

std::string signature_header_value(std::string_view secret, std::string_view body) {
    return "sha256=" + hmac_sha256_hex(secret, body);
}

}  // namespace perftrack::alerts
