#pragma once
// Escaping of untrusted text (benchmark names, params, commit subjects, branch names come from
// pull requests) for each place it can appear in the HTML report. Every function also turns
// invalid UTF-8 into U+FFFD, so a broken byte sequence cannot shift the parser's view of what
// follows it.

#include <string>
#include <string_view>

namespace perftrack::reports::render {

// `text` with every invalid UTF-8 sequence (overlong forms, surrogates, truncated sequences,
// values above U+10FFFF) replaced by U+FFFD, and NUL replaced by U+FFFD too.
std::string valid_utf8(std::string_view text);

// For HTML text content (between tags): & < > " ' become character references.
std::string escape_html_text(std::string_view text);

// For an attribute value inside double quotes: the same references as text, plus line breaks
// and tabs as references, so an attribute value always stays on its line.
std::string escape_html_attribute(std::string_view text);

// For JSON text embedded in <script type="application/json">: `json` must be valid JSON (as
// nlohmann::json::dump produces). "<", ">" and "&" become \u003c, \u003e, \u0026, so neither
// "</script>" nor "<!--" nor "<script" can appear; U+2028 and U+2029 become \u2028 and \u2029
// (raw they end a line in JavaScript sources). In valid JSON these characters occur only inside
// strings, where the \u forms mean the same, so JSON.parse returns identical data.
std::string escape_script_json(std::string_view json);

// Percent-encodes everything but RFC 3986 unreserved characters: for values put into URLs.
std::string percent_encode(std::string_view text);

}  // namespace perftrack::reports::render
