#pragma once
// The real PostgreSQL of the integration tests. ci/test.sh starts a throwaway server and sets
// PERFTRACK_TEST_DSN; each test works in its own schema so tests never see each other's rows.

#include <string>

namespace perftrack::testing {

// PERFTRACK_TEST_DSN. Fails the calling test with instructions when it is unset: integration
// tests never skip silently.
std::string test_dsn();

// A fresh schema (dropped at destruction); dsn() points search_path at it, so every perftrack
// table of the test lives there. Migrated to this binary's version unless asked for empty (a
// shared database is migrated by `perftrack db migrate`, which the tests do not repeat).
class TestSchema {
  public:
    enum class Content { migrated, empty };
    explicit TestSchema(Content content = Content::migrated);
    ~TestSchema();
    TestSchema(const TestSchema&) = delete;
    TestSchema& operator=(const TestSchema&) = delete;
    const std::string& dsn() const { return m_dsn; }
    const std::string& name() const { return m_name; }
    // Runs SQL in this schema and returns the first column of the first row as text ("" when no
    // rows).
    std::string scalar(const std::string& sql) const;

  private:
    std::string m_name;
    std::string m_dsn;
};

// Appends options='-c search_path=SCHEMA' to a keyword DSN or ?options=... to a URL.
std::string dsn_with_search_path(const std::string& dsn, const std::string& schema);

}  // namespace perftrack::testing
