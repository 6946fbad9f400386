#pragma once
// SHA-256 (FIPS 180-4) for the Content-Security-Policy hashes of the report's inline script and
// stylesheet. Small and dependency-free: the reports library links no crypto library.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace perftrack::reports::render {

std::array<std::uint8_t, 32> sha256(std::string_view data);

// "'sha256-<base64 digest>'", the CSP source expression that allows exactly `content`.
std::string csp_hash_source(std::string_view content);

}  // namespace perftrack::reports::render
