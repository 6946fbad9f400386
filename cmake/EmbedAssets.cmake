# Generates a C++ file holding the HTML report's stylesheet and script as string constants, so
# the report is one self-contained file and the binary needs no files beside it.
# Usage: cmake -DCSS=... -DJS=... -DOUTPUT=... -P EmbedAssets.cmake
file(READ ${CSS} css)
file(READ ${JS} js)
# The script is embedded verbatim inside <script>...</script>: a "</script" or "<!--" in it
# would end or confuse the element, so refuse to build rather than ship a broken page.
foreach(text_name IN ITEMS css js)
  string(TOLOWER "${${text_name}}" lowered)
  foreach(bad IN ITEMS "</script" "</style" "<!--")
    string(FIND "${lowered}" "${bad}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "report asset ${text_name} contains '${bad}'")
    endif()
  endforeach()
  string(FIND "${${text_name}}" ")perftrack_asset" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "report asset ${text_name} contains the raw-string delimiter")
  endif()
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from reports/render/assets/ by cmake/EmbedAssets.cmake. Do not edit.
#include \"reports/render/html_assets.hpp\"

namespace perftrack::reports::render {
std::string_view report_css() {
    return R\"perftrack_asset(${css})perftrack_asset\";
}
std::string_view report_js() {
    return R\"perftrack_asset(${js})perftrack_asset\";
}
}  // namespace perftrack::reports::render
")
configure_file(${OUTPUT}.tmp ${OUTPUT} COPYONLY)
