#include "store/pg/pg_store.hpp"

#include <fmt/format.h>

#include "core/redact.hpp"
#include "store/pg/connection_secrets.hpp"
#include "store/pg/dashboard_queries.hpp"
#include "store/pg/pg_internal.hpp"
#include "store/pg/statements.hpp"

namespace perftrack::store::pg {

namespace {

// libpq puts the problem after "connection to server ... failed: "; keep messages one line.
std::string one_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (char& c : text)
        if (c == '\n') c = ' ';
    return text;
}

class PgStore final : public Store, public DashboardReader {
  public:
    PgStore(const std::string& conninfo, const ConnectOptions& options)
        : m_secrets(options.secrets),
          m_conn(guarded(m_secrets, [&] { return std::make_unique<pqxx::connection>(conninfo); })) {
        guarded(m_secrets, [&] {
            bool usable = true;
            if (options.migrate) {
                apply_migrations(*m_conn);
            } else if (options.check_schema) {
                check_schema(*m_conn);
            } else {
                try {
                    check_schema(*m_conn);
                } catch (const SchemaVersionError&) {
                    usable = false;  // status() still reports what there is
                }
            }
            if (usable) sql::prepare_all(*m_conn);
            return 0;
        });
    }

    IngestOutcome ingest(const RunToStore& run) override {
        return guarded(m_secrets, [&] { return ingest_run(*m_conn, run); });
    }
    History load_history(const HistoryQuery& query) override {
        return guarded(m_secrets, [&] { return read_history(*m_conn, query); });
    }
    StoreStatus status() override {
        return guarded(m_secrets, [&] { return read_status(*m_conn); });
    }
    AlertRecorded record_alert(const AlertObservation& observation) override {
        return guarded(m_secrets, [&] { return pg::record_alert(*m_conn, observation); });
    }
    std::vector<Alert> list_alerts(const AlertQuery& query) override {
        return guarded(m_secrets, [&] { return pg::list_alerts(*m_conn, query); });
    }
    AlertUpdate acknowledge_alert(std::int64_t id, const std::string& note) override {
        return guarded(m_secrets, [&] { return pg::acknowledge_alert(*m_conn, id, note); });
    }
    AlertUpdate resolve_alert(std::int64_t id, AlertResolution resolution,
                              std::optional<std::int64_t> baseline_reset_id) override {
        return guarded(m_secrets, [&] {
            return pg::resolve_alert(*m_conn, id, resolution, baseline_reset_id);
        });
    }
    void record_delivery(std::int64_t alert_id, const std::string& channel, bool delivered,
                         int attempts, const std::string& error) override {
        guarded(m_secrets, [&] {
            pg::record_delivery(*m_conn, alert_id, channel, delivered, attempts, error);
            return 0;
        });
    }
    std::vector<RunInfo> list_runs(const HistoryQuery& query) override {
        return guarded(m_secrets, [&] { return read_runs(*m_conn, query); });
    }
    std::vector<StoredFailure> load_failures(const HistoryQuery& query,
                                             const std::string& commit) override {
        return guarded(m_secrets, [&] { return read_failures(*m_conn, query, commit); });
    }
    std::optional<std::string> load_detector_state(const DetectorStateKey& key) override {
        return guarded(m_secrets, [&] { return read_detector_state(*m_conn, key); });
    }
    void save_detector_state(const DetectorStateKey& key, const std::string& states) override {
        guarded(m_secrets, [&] {
            write_detector_state(*m_conn, key, states);
            return 0;
        });
    }
    std::optional<BaselineReset> add_baseline_reset(const BaselineResetRequest& request) override {
        return guarded(m_secrets, [&] { return insert_baseline_reset(*m_conn, request); });
    }

    TokenInfo create_token(const NewToken& token) override {
        return guarded(m_secrets, [&] { return pg::create_token(*m_conn, token); });
    }
    std::optional<TokenInfo> find_token(const std::string& hash_hex) override {
        return guarded(m_secrets, [&] { return pg::find_token(*m_conn, hash_hex); });
    }
    std::vector<TokenInfo> list_tokens(const std::optional<std::string>& project) override {
        return guarded(m_secrets, [&] { return pg::list_tokens(*m_conn, project); });
    }
    bool revoke_token(std::int64_t id) override {
        return guarded(m_secrets, [&] { return pg::revoke_token(*m_conn, id); });
    }
    std::optional<bool> project_public(const std::string& project) override {
        return guarded(m_secrets, [&] { return pg::project_public(*m_conn, project); });
    }
    bool set_project_public(const std::string& project, bool is_public) override {
        return guarded(m_secrets,
                       [&] { return pg::set_project_public(*m_conn, project, is_public); });
    }

    // The dashboard's reads (store/dashboard_reader.hpp).
    std::vector<ProjectSummary> list_projects() override {
        return guarded(m_secrets, [&] { return read_projects(*m_conn); });
    }
    std::vector<BranchHead> branch_heads(const std::string& project) override {
        return guarded(m_secrets, [&] { return read_branch_heads(*m_conn, project); });
    }
    std::optional<std::string> data_version(const std::string& project) override {
        return guarded(m_secrets, [&] { return read_data_version(*m_conn, project); });
    }

  private:
    std::vector<std::string> m_secrets;
    std::unique_ptr<pqxx::connection> m_conn;
};

std::vector<std::string> secrets_of(const std::string& conninfo, std::vector<std::string> extra) {
    for (auto& secret : connection_secrets(conninfo)) extra.push_back(std::move(secret));
    return extra;
}

}  // namespace

StoreError translate(const std::exception& e, const std::vector<std::string>& secrets) {
    std::string message = one_line(core::redact_secrets(e.what(), secrets));
    if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr)
        return StoreError("database unavailable: " + message, "08000", true);
    if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr)
        return StoreError("lost the database connection while committing: " + message, "08007",
                          true);
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
        const std::string state = sql->sqlstate();
        // Connection failures (class 08 except 08P01, a protocol violation, which is a bug),
        // server shutdown (57P01-57P03) and "too many connections" (53300): the server cannot
        // take the data now; everything else is a real error.
        const bool unavailable = (state.rfind("08", 0) == 0 && state != "08P01") ||
                                 state.rfind("57P", 0) == 0 || state == "53300";
        return StoreError("database error: " + message, state, unavailable);
    }
    return StoreError("database error: " + message, "", false);
}

StoreStatus read_status(pqxx::connection& conn) {
    StoreStatus s;
    s.schema_version = current_schema_version(conn);
    if (s.schema_version == 0) return s;  // no tables to count
    pqxx::work tx(conn);
    auto r = tx.exec(
        "SELECT (SELECT count(*) FROM project), (SELECT count(*) FROM run), "
        "(SELECT count(*) FROM sample), (SELECT COALESCE(sum(cardinality(samples)), 0) FROM "
        "sample), "
        "pg_database_size(current_database())");
    s.projects = r[0][0].as<std::int64_t>();
    s.runs = r[0][1].as<std::int64_t>();
    s.series_values = r[0][2].as<std::int64_t>();
    s.samples = r[0][3].as<std::int64_t>();
    s.database_bytes = r[0][4].as<std::int64_t>();
    tx.commit();
    return s;
}

std::unique_ptr<Store> connect(const std::string& conninfo, const ConnectOptions& options) {
    ConnectOptions opts = options;
    opts.secrets = secrets_of(conninfo, options.secrets);
    return std::make_unique<PgStore>(conninfo, opts);
}

int verify_schema(const std::string& conninfo) {
    const auto secrets = secrets_of(conninfo, {});
    return guarded(secrets, [&] {
        pqxx::connection conn(conninfo);
        return check_schema(conn);
    });
}

PruneReport prune(const std::string& conninfo, const PruneRequest& request) {
    const auto secrets = secrets_of(conninfo, {});
    return guarded(secrets, [&] {
        pqxx::connection conn(conninfo);
        check_schema(conn);
        return prune_runs(conn, request);
    });
}

MigrationReport migrate(const std::string& conninfo) {
    const auto secrets = secrets_of(conninfo, {});
    return guarded(secrets, [&] {
        pqxx::connection conn(conninfo);
        return apply_migrations(conn);
    });
}

std::vector<std::string> explain_history_reads(const std::string& conninfo,
                                               const HistoryQuery& query) {
    const auto secrets = secrets_of(conninfo, {});
    return guarded(secrets, [&] {
        pqxx::connection conn(conninfo);
        check_schema(conn);
        sql::prepare_all(conn);
        return pg::explain_history_reads(conn, query);
    });
}

}  // namespace perftrack::store::pg
