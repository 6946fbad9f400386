#include "reports/render/html_escape.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace perftrack::reports::render {
namespace {

TEST(EscapeHtmlText, EscapesTheFiveSpecialCharacters) {
    EXPECT_EQ(escape_html_text("<img src=x onerror=alert(1)>"),
              "&lt;img src=x onerror=alert(1)&gt;");
    EXPECT_EQ(escape_html_text("\"'&<>"), "&quot;&#39;&amp;&lt;&gt;");
    EXPECT_EQ(escape_html_text("a &amp; b"), "a &amp;amp; b");  // no double-decoding tricks
    EXPECT_EQ(escape_html_text("plain \xC2\xB5s text"), "plain \xC2\xB5s text");
    EXPECT_EQ(escape_html_text("line\nbreak"), "line\nbreak");
}

TEST(EscapeHtmlAttribute, KeepsTheValueOnOneLine) {
    EXPECT_EQ(escape_html_attribute("a\"b onmouseover='x'"), "a&quot;b onmouseover=&#39;x&#39;");
    EXPECT_EQ(escape_html_attribute("a\nb\tc\r"), "a&#10;b&#9;c&#13;");
}

TEST(ValidUtf8, ReplacesInvalidSequencesAndNul) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(valid_utf8("ok \xE2\x82\xAC"), "ok \xE2\x82\xAC");           // euro sign
    EXPECT_EQ(valid_utf8("\xC0\xBC"), fffd + fffd);                        // overlong '<'
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), fffd + fffd + fffd);             // surrogate U+D800
    EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
    EXPECT_EQ(valid_utf8("ab\xE2\x82"), "ab" + fffd + fffd);               // truncated
    EXPECT_EQ(valid_utf8(std::string("a\0b", 3)), "a" + fffd + "b");
    EXPECT_EQ(valid_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");  // emoji stays
}

TEST(EscapeHtmlText, InvalidUtf8CannotSwallowTheNextCharacter) {
    // A lead byte followed by '<' must not combine with it into one "character".
    EXPECT_EQ(escape_html_text("\xE2<b>"), "\xEF\xBF\xBD&lt;b&gt;");
}

TEST(EscapeScriptJson, NoSequenceCanEndOrConfuseTheScriptElement) {
    const nlohmann::json data = {
        {"bench", "</script><script>alert(2)</script>"},
        {"subject", "<!-- comment \xE2\x80\xA8 and \xE2\x80\xA9 & more -->"},
    };
    const std::string raw = data.dump();
    const std::string escaped = escape_script_json(raw);
    EXPECT_EQ(escaped.find('<'), std::string::npos);
    EXPECT_EQ(escaped.find('>'), std::string::npos);
    EXPECT_EQ(escaped.find('&'), std::string::npos);
    EXPECT_EQ(escaped.find("\xE2\x80\xA8"), std::string::npos);
    EXPECT_EQ(escaped.find("\xE2\x80\xA9"), std::string::npos);
    EXPECT_NE(escaped.find("\\u003c/script\\u003e"), std::string::npos);
    EXPECT_NE(escaped.find("\\u2028"), std::string::npos);
    // The same data comes back out.
    EXPECT_EQ(nlohmann::json::parse(escaped), data);
}

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
    EXPECT_EQ(percent_encode("abc123-._~"), "abc123-._~");
    EXPECT_EQ(percent_encode("a/b?c=\"d\"&e"), "a%2Fb%3Fc%3D%22d%22%26e");
    EXPECT_EQ(percent_encode("\xC2\xB5"), "%C2%B5");
}

}  // namespace
}  // namespace perftrack::reports::render
