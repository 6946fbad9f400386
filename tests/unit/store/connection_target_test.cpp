// Which database a command uses (--db, then PERFTRACK_DB, then DATABASE_URL, then the embedded
// cluster) and where PERFTRACK_HOME is.
#include "store/connection_target.hpp"

#include <cstdlib>
#include <map>
#include <optional>

#include <gtest/gtest.h>

namespace perftrack::store {
namespace {

// Sets (or unsets, with nullopt) environment variables for one test and restores them after.
class Environment {
  public:
    Environment() = default;
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;
    ~Environment() {
        for (const auto& [name, value] : m_saved) apply(name, value);
    }
    Environment& set(const std::string& name, const std::optional<std::string>& value) {
        if (m_saved.count(name) == 0) {
            const char* old = std::getenv(name.c_str());
            m_saved[name] = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
        }
        apply(name, value);
        return *this;
    }

  private:
    static void apply(const std::string& name, const std::optional<std::string>& value) {
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
    std::map<std::string, std::optional<std::string>> m_saved;
};

TEST(ConnectionTarget, FlagThenPerftrackDbThenDatabaseUrlThenEmbedded) {
    Environment env;
    env.set("PERFTRACK_DB", "postgresql://a/one")
        .set("DATABASE_URL", "postgresql://b/two")
        .set("PERFTRACK_HOME", "/tmp/pt-home");
    auto t = resolve_connection_target(std::string("postgresql://c/three"));
    EXPECT_FALSE(t.embedded);
    EXPECT_EQ(t.url, "postgresql://c/three");
    EXPECT_EQ(t.source, "--db");
    EXPECT_EQ(t.home, "/tmp/pt-home");

    t = resolve_connection_target(std::nullopt);
    EXPECT_EQ(t.url, "postgresql://a/one");
    EXPECT_EQ(t.source, "PERFTRACK_DB");

    env.set("PERFTRACK_DB", std::nullopt);
    t = resolve_connection_target(std::string());  // an empty --db counts as not given
    EXPECT_EQ(t.url, "postgresql://b/two");
    EXPECT_EQ(t.source, "DATABASE_URL");

    env.set("DATABASE_URL", "");  // empty counts as unset
    t = resolve_connection_target(std::nullopt);
    EXPECT_TRUE(t.embedded);
    EXPECT_EQ(t.source, "embedded");
    EXPECT_EQ(t.url, "");
}

TEST(PerftrackHome, EnvironmentThenXdgThenHome) {
    Environment env;
    env.set("PERFTRACK_HOME", "relative/home")
        .set("XDG_DATA_HOME", "/xdg")
        .set("HOME", "/home/someone");
    EXPECT_EQ(perftrack_home(), std::filesystem::absolute("relative/home"));
    env.set("PERFTRACK_HOME", std::nullopt);
    EXPECT_EQ(perftrack_home(), "/xdg/perftrack");
    env.set("XDG_DATA_HOME", std::nullopt);
    EXPECT_EQ(perftrack_home(), "/home/someone/.local/share/perftrack");
}

}  // namespace
}  // namespace perftrack::store
