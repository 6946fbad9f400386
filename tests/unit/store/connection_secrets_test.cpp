// Passwords of connection strings never reach a message: not as written (percent-encoded,
// quoted) and not as libpq decodes them.
#include "store/pg/connection_secrets.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "store/pg/pg_internal.hpp"
#include "store/pg/pg_store.hpp"

namespace perftrack::store::pg {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string scrubbed(const std::string& message, const std::string& conninfo) {
    return translate(std::runtime_error(message), connection_secrets(conninfo)).what();
}

TEST(ConnectionSecrets, UrlPasswordAsWrittenAndDecoded) {
    const std::string url = "postgresql://alice:p%40ss@db.example:5432/perf";
    const auto secrets = connection_secrets(url);
    EXPECT_TRUE(contains(secrets, "p%40ss"));
    EXPECT_TRUE(contains(secrets, "p@ss")) << "libpq decodes %40 to @";
    EXPECT_EQ(secrets.back(), url);

    // A library message quoting the decoded password alone, and one echoing the URL.
    const std::string m =
        scrubbed("password p@ss rejected for postgresql://alice:p%40ss@db.example:5432/perf", url);
    EXPECT_EQ(m.find("p@ss"), std::string::npos) << m;
    EXPECT_EQ(m.find("p%40ss"), std::string::npos) << m;
    EXPECT_NE(m.find("postgresql://alice:***@db.example:5432/perf"), std::string::npos) << m;
}

TEST(ConnectionSecrets, UrlQueryPassword) {
    const std::string url =
        "postgresql://db.example/perf?user=alice&password=s%20cret&sslmode=require";
    const auto secrets = connection_secrets(url);
    EXPECT_TRUE(contains(secrets, "s%20cret"));
    EXPECT_TRUE(contains(secrets, "s cret"));
    const std::string m = scrubbed("failed: s cret / " + url, url);
    EXPECT_EQ(m.find("s cret"), std::string::npos) << m;
    EXPECT_EQ(m.find("s%20cret"), std::string::npos) << m;
}

TEST(ConnectionSecrets, KeywordFormQuotedAndPlain) {
    const std::string quoted = "host=h user=u password='p@ss \\'word' dbname=d";
    const auto secrets = connection_secrets(quoted);
    EXPECT_TRUE(contains(secrets, "'p@ss \\'word'"));
    EXPECT_TRUE(contains(secrets, "p@ss 'word")) << "libpq undoes the quoting";
    const std::string m = scrubbed("bad password p@ss 'word in " + quoted, quoted);
    EXPECT_EQ(m.find("p@ss"), std::string::npos) << m;
    EXPECT_NE(m.find("host=h user=u password=*** dbname=d"), std::string::npos) << m;

    const std::string plain = "host=h password=p@ss dbname=d";
    EXPECT_TRUE(contains(connection_secrets(plain), "p@ss"));
    EXPECT_EQ(scrubbed("x p@ss y", plain), "database error: x *** y");
}

TEST(ConnectionSecrets, WithoutAPasswordOnlyTheStringItself) {
    const std::string url = "postgresql://alice@h/db";
    EXPECT_EQ(connection_secrets(url), std::vector<std::string>{url});
}

TEST(ConnectionSecrets, AStringLibpqCannotParseIsStillScrubbedAsWritten) {
    // A bad percent escape: PQconninfoParse refuses it, the raw form is still found.
    const std::string url = "postgresql://alice:se%zzcret@h/db";
    const auto secrets = connection_secrets(url);
    EXPECT_TRUE(contains(secrets, "se%zzcret"));
    EXPECT_EQ(scrubbed("token se%zzcret", url).find("se%zzcret"), std::string::npos);
}

TEST(ConnectionSecrets, ARealConnectionFailureNamesNoPassword) {
    for (const std::string& dsn :
         {std::string("postgresql://alice:p%40ss@/perf?host=/nonexistent-perftrack-socket-dir&"
                      "connect_timeout=2"),
          std::string("host=/nonexistent-perftrack-socket-dir user=alice password='p@ss' "
                      "connect_timeout=2")}) {
        try {
            connect(dsn);
            FAIL() << "connected to a socket directory that does not exist";
        } catch (const StoreError& e) {
            const std::string m = e.what();
            EXPECT_TRUE(e.unavailable()) << m;
            EXPECT_EQ(m.find("p@ss"), std::string::npos) << m;
            EXPECT_EQ(m.find("p%40ss"), std::string::npos) << m;
        }
    }
}

}  // namespace
}  // namespace perftrack::store::pg
