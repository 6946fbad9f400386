#pragma once
// API tokens: random, shown once, stored only as their SHA-256 (OpenSSL EVP). A database copy
// then holds nothing that authenticates; lookups hash the presented token and compare the
// stored hash in constant time.

#include <string>
#include <string_view>

namespace perftrack::server {

// "ptk_" and 64 hex digits of RAND_bytes (256 bits). Throws std::runtime_error when the
// random source fails (never silently weak).
std::string generate_token();

// Lowercase hex SHA-256 of the token (64 digits).
std::string token_hash_hex(std::string_view token);

// Constant-time equality of two hashes (CRYPTO_memcmp); false when the lengths differ.
bool same_hash(std::string_view a, std::string_view b);

// The first characters of a token, kept for `token list` ("ptk_1a2b3c4d").
std::string token_prefix(std::string_view token);

}  // namespace perftrack::server
