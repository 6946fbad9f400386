#pragma once
// The report page's stylesheet and script (reports/render/assets/), compiled in by
// cmake/EmbedAssets.cmake, which refuses assets containing "</script", "</style" or "<!--" and
// removes carriage returns (the browser would, before checking the hashes).

#include <string_view>

namespace perftrack::reports::render {

std::string_view report_css();
std::string_view report_js();

// "'sha256-<base64 of the SHA-256 of the text>'": the Content-Security-Policy source that
// allows exactly report_css() / report_js(), computed at build time.
std::string_view report_css_csp_source();
std::string_view report_js_csp_source();

}  // namespace perftrack::reports::render
