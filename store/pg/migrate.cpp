// Schema migrations: each store/migrations/NNNN_name.sql is applied once, in order, in its own
// transaction, and recorded in schema_migrations together with whether it was additive. A
// session-level advisory lock serialises concurrent migrators (eight CI jobs starting at once);
// the lock dies with the session, so a killed migrator never blocks the next one.
//
// Who migrates (store/migrations/README.md): the embedded database migrates itself on connect;
// a shared database only through `perftrack db migrate`. Every other connection only checks
// that the schema is one this binary can use (check_schema).
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

bool additive_column_exists(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return tx
        .exec(
            "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = "
            "to_regclass('schema_migrations') AND attname = 'additive' AND NOT attisdropped)")[0][0]
        .as<bool>();
}

// The first migration above `known` that older binaries cannot live with (its file name), or
// "" when every one of them was recorded as additive. Databases migrated before perftrack
// recorded this count as not additive.
std::string first_breaking_after(pqxx::connection& conn, int known) {
    const bool recorded = additive_column_exists(conn);
    pqxx::nontransaction tx(conn);
    const auto rows = tx.exec_params(
        recorded ? "SELECT name FROM schema_migrations WHERE version > $1 AND NOT additive "
                   "ORDER BY version LIMIT 1"
                 : "SELECT name FROM schema_migrations WHERE version > $1 ORDER BY version LIMIT 1",
        known);
    return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

SchemaVersionError newer_than_known(int database_version, const std::string& breaking) {
    const int known = latest_schema_version();
    return SchemaVersionError(
        fmt::format("the database schema is version {}, newer than this perftrack understands "
                    "(version {}): {} changed it in a way older releases cannot use",
                    database_version, known, breaking),
        fmt::format("upgrade perftrack to a release that knows schema version {}",
                    database_version),
        database_version, known);
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

int check_schema(pqxx::connection& conn) {
    const int known = latest_schema_version();
    const int version = current_schema_version(conn);
    if (version == known) return version;
    if (version == 0)
        throw SchemaVersionError(
            fmt::format("the database has no perftrack schema yet (this perftrack uses schema "
                        "version {})",
                        known),
            "create it once with 'perftrack db migrate' (with the same --db or PERFTRACK_DB); "
            "commands never change a shared database's schema on their own",
            version, known);
    if (version < known)
        throw SchemaVersionError(
            fmt::format("the database schema is version {}; this perftrack needs version {}",
                        version, known),
            fmt::format("upgrade the schema once with 'perftrack db migrate' from this perftrack "
                        "(with the same --db or PERFTRACK_DB); releases that know version {} "
                        "keep working where the new migrations are additive",
                        version),
            version, known);
    if (const std::string breaking = first_breaking_after(conn, known); !breaking.empty())
        throw newer_than_known(version, breaking);
    return version;  // newer, but only by additive migrations: usable as it is
}

MigrationReport apply_migrations(pqxx::connection& conn) {
    MigrationReport report;
    const int latest = latest_schema_version();
    // Fast path: already current (one or two round trips on every command).
    report.from_version = current_schema_version(conn);
    report.to_version = report.from_version;
    if (report.from_version > latest) {
        if (const std::string breaking = first_breaking_after(conn, latest); !breaking.empty())
            throw newer_than_known(report.from_version, breaking);
        return report;
    }
    if (report.from_version == latest && additive_column_exists(conn)) return report;

    {
        pqxx::nontransaction tx(conn);
        tx.exec(fmt::format("SELECT pg_advisory_lock({})", k_migration_lock_id));
    }
    try {
        {
            pqxx::work tx(conn);
            tx.exec(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            // Whether each migration left the database usable by older releases; the rows of
            // migrations applied before this was recorded are filled in from what we know.
            tx.exec(
                "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS additive boolean NOT "
                "NULL DEFAULT false");
            for (const auto& m : migrations())
                tx.exec_params(
                    "UPDATE schema_migrations SET additive = $2 WHERE version = $1 AND "
                    "additive <> $2",
                    m.version, m.additive);
            tx.commit();
        }
        const int now_at = current_schema_version(conn);  // another process may have migrated
        report.from_version = now_at;
        for (const auto& m : migrations()) {
            if (m.version <= now_at) continue;
            pqxx::work tx(conn);
            tx.exec(std::string(m.sql));
            tx.exec_params(
                "INSERT INTO schema_migrations (version, name, additive) VALUES ($1, "
                "$2, $3)",
                m.version, std::string(m.file_name), m.additive);
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
