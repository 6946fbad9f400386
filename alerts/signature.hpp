#pragma once
// Signing webhook bodies so a receiver can tell perftrack's requests from forged ones.

#include <string>
#include <string_view>

namespace perftrack::alerts {

// The header that carries the signature, as GitHub's own webhooks name theirs
// (X-Hub-Signature-256): "sha256=<lower-case hex HMAC-SHA256 of the exact body bytes>".
inline constexpr const char* k_signature_header = "X-Perftrack-Signature";

// Lower-case hex HMAC-SHA256 (RFC 2104) of `message` under `key` (OpenSSL).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// "sha256=" + hmac_sha256_hex(secret, body): the value of X-Perftrack-Signature.
std::string signature_header_value(std::string_view secret, std::string_view body);

}  // namespace perftrack::alerts
