#include "tests/support/test_database.hpp"

#include <cstdlib>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "store/pg/pg_store.hpp"

namespace perftrack::testing {

std::string test_dsn() {
    const char* dsn = std::getenv("PERFTRACK_TEST_DSN");
    if (dsn == nullptr || *dsn == '\0') {
        ADD_FAILURE() << "PERFTRACK_TEST_DSN is not set. Integration tests need a real PostgreSQL: "
                         "run them through ci/test.sh (which starts one), or start a server and "
                         "export PERFTRACK_TEST_DSN='host=/path/to/socket port=5432 user=postgres "
                         "dbname=postgres'.";
        throw std::runtime_error("PERFTRACK_TEST_DSN is not set");
    }
    return dsn;
}

std::string dsn_with_search_path(const std::string& dsn, const std::string& schema) {
    if (dsn.find("://") != std::string::npos) {
        const char sep = dsn.find('?') == std::string::npos ? '?' : '&';
        return fmt::format("{}{}options=-csearch_path%3D{}", dsn, sep, schema);
    }
    return fmt::format("{} options='-csearch_path={}'", dsn, schema);
}

TestSchema::TestSchema(Content content) {
    std::random_device rd;
    m_name = fmt::format("pt_test_{:08x}{:08x}", rd(), rd());
    const std::string base = test_dsn();
    pqxx::connection conn(base);
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE SCHEMA " + tx.quote_name(m_name));
    m_dsn = dsn_with_search_path(base, m_name);
    if (content == Content::migrated) store::pg::migrate(m_dsn);
}

TestSchema::~TestSchema() {
    const char* keep = std::getenv("PERFTRACK_KEEP_TEST_DIRS");
    if (keep != nullptr && std::string(keep) == "1") return;
    try {
        pqxx::connection conn(test_dsn());
        pqxx::nontransaction tx(conn);
        tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(m_name) + " CASCADE");
    } catch (...) {
        // The server may have been stopped on purpose by the test; the schema dies with it.
    }
}

std::string TestSchema::scalar(const std::string& sql) const {
    pqxx::connection conn(m_dsn);
    pqxx::nontransaction tx(conn);
    auto r = tx.exec(sql);
    if (r.empty() || r[0][0].is_null()) return "";
    return r[0][0].as<std::string>();
}

}  // namespace perftrack::testing
