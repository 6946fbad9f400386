# Generates a C++ file holding the HTML report's stylesheet and script as string constants, so
# the report is one self-contained file and the binary needs no files beside it, together with
# their Content-Security-Policy hash sources ("'sha256-<base64 digest>'"). The assets are
# constants, so their hashes are computed here, at build time, and the reports library needs no
# SHA-256 code or crypto library.
# Usage: cmake -DCSS=... -DJS=... -DOUTPUT=... -P EmbedAssets.cmake
file(READ ${CSS} css)
file(READ ${JS} js)
# The HTML parser turns CR LF into LF before the browser checks the element's text against the
# hash: the assets are embedded (and hashed) without CR, whatever line endings the files have.
string(REPLACE "\r" "" css "${css}")
string(REPLACE "\r" "" js "${js}")
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

# Standard base64 (RFC 4648, padded) of the bytes spelled by `hex` (lower-case, even length).
function(hex_to_base64 hex out)
  set(alphabet "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  string(LENGTH "${hex}" hex_length)
  set(result "")
  set(offset 0)
  while(offset LESS hex_length)
    # Three bytes (six hex digits) become four base64 characters; a short last group is padded.
    math(EXPR left "${hex_length} - ${offset}")
    if(left GREATER_EQUAL 6)
      set(take 6)
    else()
      set(take ${left})
    endif()
    string(SUBSTRING "${hex}" ${offset} ${take} group)
    math(EXPR missing_digits "6 - ${take}")
    string(REPEAT "0" ${missing_digits} zeros)
    math(EXPR value "0x${group}${zeros}")
    math(EXPR emitted "${take} / 2 + 1")
    foreach(shift IN ITEMS 18 12 6 0)
      math(EXPR index "(${value} >> ${shift}) & 63")
      string(SUBSTRING "${alphabet}" ${index} 1 char)
      if(emitted GREATER 0)
        string(APPEND result "${char}")
      else()
        string(APPEND result "=")
      endif()
      math(EXPR emitted "${emitted} - 1")
    endforeach()
    math(EXPR offset "${offset} + ${take}")
  endwhile()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

string(SHA256 css_sha256 "${css}")
string(SHA256 js_sha256 "${js}")
hex_to_base64(${css_sha256} css_hash)
hex_to_base64(${js_sha256} js_hash)

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
std::string_view report_css_csp_source() { return \"'sha256-${css_hash}'\"; }
std::string_view report_js_csp_source() { return \"'sha256-${js_hash}'\"; }
}  // namespace perftrack::reports::render
")
configure_file(${OUTPUT}.tmp ${OUTPUT} COPYONLY)
