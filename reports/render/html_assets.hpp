#pragma once
// The report page's stylesheet and script (reports/render/assets/), compiled in by
// cmake/EmbedAssets.cmake, which refuses assets containing "</script", "</style" or "<!--".

#include <string_view>

namespace perftrack::reports::render {

std::string_view report_css();
std::string_view report_js();

}  // namespace perftrack::reports::render
