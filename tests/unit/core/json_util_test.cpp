// parse_json_document: nlohmann's SAX parser with a depth limit; every error names the line and
// column of its cause.
#include "core/json_util.hpp"

#include <gtest/gtest.h>

namespace perftrack::core {
namespace {

std::string error_of(std::string_view text) {
    auto r = parse_json_document(text, "f.json");
    EXPECT_FALSE(r) << text;
    return r ? "" : r.error().message;
}

TEST(ParseJsonDocument, NestingDeeperThanTheLimitNamesTheBracket) {
    // 256 levels are fine; the 257th opening bracket is refused where it stands.
    const std::string ok = "{\"a\":" + std::string(255, '[') + std::string(255, ']') + "}";
    EXPECT_TRUE(parse_json_document(ok, "f.json"));
    const std::string deep = "{\"a\":\n  " + std::string(300, '[') + std::string(300, ']') + "}";
    EXPECT_EQ(error_of(deep),
              "f.json: invalid JSON at line 2, column 258: nested more than 256 levels deep");
}

TEST(ParseJsonDocument, NumberOverflowNamesTheLiteralWhereItIs) {
    // The same digits appear earlier inside a string: the position is the literal's own.
    EXPECT_EQ(error_of("{\"note\": \"1e999\",\n \"x\": 1e999}"),
              "f.json: invalid JSON at line 2, column 7: number 1e999 is out of range for a "
              "double");
}

TEST(ParseJsonDocument, SyntaxErrorsTruncationAndNaN) {
    EXPECT_EQ(error_of("{\"a\": 1,\n \"b\": x}"),
              "f.json: invalid JSON at line 2, column 7: invalid literal; last read: '\"b\": x'");
    EXPECT_EQ(error_of("{\"a\": [1, 2"),
              "f.json: invalid JSON at line 1, column 12: unexpected end of input: the file is "
              "truncated");
    EXPECT_EQ(error_of("[1, -Infinity]"),
              "f.json: invalid JSON at line 1, column 5: NaN and Infinity are not valid JSON "
              "numbers (a benchmark produced no value?)");
    EXPECT_EQ(error_of(" \n "), "f.json: file is empty, expected JSON");
    EXPECT_EQ(error_of("{} {}").find("f.json: invalid JSON at line 1, column 4"), 0u);
}

TEST(ParseJsonDocument, ParsesWhatIsValid) {
    auto r = parse_json_document(R"({"a": [1, 2.5, "x", null, true], "b": {}})", "f.json");
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)["a"][1], 2.5);
    EXPECT_TRUE((*r)["b"].is_object());
}

}  // namespace
}  // namespace perftrack::core
