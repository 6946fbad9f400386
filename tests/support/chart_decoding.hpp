#pragma once
// Reading the report's compact chart data back, as the page does (varints() in
// reports/render/assets/report.js), so tests can check what a chart will draw. Test code only:
// the report itself only encodes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perftrack::testing {

// Padded standard base64; nullopt when the text is not that.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// The inverse of reports::render::encode_varints; nullopt when `text` is not a complete
// encoding (bad base64, or a value whose continuation byte never comes).
std::optional<std::vector<std::int64_t>> decode_varints(std::string_view text);

// The SHA-256 Content-Security-Policy source of `content` ("'sha256-<base64 digest>'"),
// computed with OpenSSL, to check the hashes the build computed.
std::string csp_hash_source(std::string_view content);

}  // namespace perftrack::testing
