// Schema migrations: each store/migrations/NNNN_name.sql is applied once, in order, in its own
// transaction, and recorded in schema_migrations. A session-level advisory lock serialises
// concurrent migrators (eight CI jobs starting at once); the lock dies with the session, so a
// killed migrator never blocks the next one.
#include <fmt/format.h>

#include "store/migrations.hpp"
#include "store/pg/pg_internal.hpp"
#include "store/pg/pg_store.hpp"

namespace perftrack::store::pg {

namespace {
// An arbitrary constant naming perftrack's migration lock among other advisory locks.
constexpr long long k_migration_lock_id = 0x70657266747261;  // "perftra"

bool migrations_table_exists(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL")[0][0].as<bool>();
}
}  // namespace

int latest_schema_version() {
    int latest = 0;
    for (const auto& m : migrations()) latest = std::max(latest, m.version);
    return latest;
}

int current_schema_version(pqxx::connection& conn) {
    if (!migrations_table_exists(conn)) return 0;
    pqxx::nontransaction tx(conn);
    return tx.exec("SELECT COALESCE(max(version), 0) FROM schema_migrations")[0][0].as<int>();
}

MigrationReport apply_migrations(pqxx::connection& conn) {
    MigrationReport report;
    const int latest = latest_schema_version();
    // Fast path: already current (one or two round trips on every command).
    report.from_version = current_schema_version(conn);
    report.to_version = report.from_version;
    if (report.from_version > latest)
        throw StoreError(fmt::format("the database schema is version {}, newer than this "
                                     "perftrack understands ({}); upgrade perftrack",
                                     report.from_version, latest),
                         "", false);
    if (report.from_version == latest) return report;

    {
        pqxx::nontransaction tx(conn);
        tx.exec(fmt::format("SELECT pg_advisory_lock({})", k_migration_lock_id));
    }
    try {
        {
            pqxx::work tx(conn);
            tx.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                    "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            tx.commit();
        }
        const int now_at = current_schema_version(conn);  // another process may have migrated
        report.from_version = now_at;
        for (const auto& m : migrations()) {
            if (m.version <= now_at) continue;
            pqxx::work tx(conn);
            tx.exec(std::string(m.sql));
            tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                           m.version, std::string(m.file_name));
            tx.commit();
            report.applied.emplace_back(m.file_name);
            report.to_version = m.version;
        }
        if (report.applied.empty()) report.to_version = now_at;
    } catch (...) {
        try {
            pqxx::nontransaction tx(conn);
            tx.exec(fmt::format("SELECT pg_advisory_unlock({})", k_migration_lock_id));
        } catch (...) {
        }
        throw;
    }
    pqxx::nontransaction tx(conn);
    tx.exec(fmt::format("SELECT pg_advisory_unlock({})", k_migration_lock_id));
    return report;
}

}  // namespace perftrack::store::pg
