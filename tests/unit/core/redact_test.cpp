#include "core/redact.hpp"

#include <gtest/gtest.h>

namespace perftrack::core {
namespace {

TEST(Redact, HidesPasswordsInEveryUrlForm) {
    EXPECT_EQ(redact_database_url("postgresql://alice:s3cret@db.example:5432/perf"),
              "postgresql://alice:***@db.example:5432/perf");
    EXPECT_EQ(redact_database_url("postgres://alice:p%40ss@h/db?sslmode=require"),
              "postgres://alice:***@h/db?sslmode=require");
    EXPECT_EQ(redact_database_url("host=h user=u password=s3cret dbname=d"),
              "host=h user=u password=*** dbname=d");
    EXPECT_EQ(redact_database_url("host=h password='a b\\'c' dbname=d"),
              "host=h password=*** dbname=d");
    EXPECT_EQ(redact_database_url("postgresql://h/db?user=u&password=s3cret&x=1"),
              "postgresql://h/db?user=u&password=***&x=1");
    EXPECT_EQ(redact_database_url("postgresql://alice@h/db"), "postgresql://alice@h/db");
}

TEST(Redact, PasswordRangesAreTheTextAsWritten) {
    const std::string url = "postgresql://alice:p%40ss@h/db?password='x y'&user=u";
    const auto ranges = password_ranges(url);
    ASSERT_EQ(ranges.size(), 2u);
    EXPECT_EQ(url.substr(ranges[0].first, ranges[0].second - ranges[0].first), "p%40ss");
    EXPECT_EQ(url.substr(ranges[1].first, ranges[1].second - ranges[1].first), "'x y'");
    EXPECT_TRUE(password_ranges("host=h user=u dbname=d").empty());
    // A user name containing ':' and '@' in the password: the last '@' ends the user info.
    EXPECT_EQ(redact_database_url("postgresql://alice:p@ss@h/db"), "postgresql://alice:***@h/db");
}

TEST(Redact, ScrubsSecretsFromText) {
    EXPECT_EQ(redact_secrets("token abc123 and abc123", {"abc123", ""}), "token *** and ***");
}

}  // namespace
}  // namespace perftrack::core
