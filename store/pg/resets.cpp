// Baseline resets: "this change is intended; start the baseline here".
#include "store/pg/pg_internal.hpp"
#include "store/pg/statements.hpp"

namespace perftrack::store::pg {

std::optional<BaselineReset> insert_baseline_reset(pqxx::connection& conn,
                                                   const BaselineResetRequest& request) {
    pqxx::work tx(conn);
    auto project = tx.exec_prepared(sql::k_project_select, request.project);
    if (project.empty()) return std::nullopt;
    const auto project_id = project[0][0].as<std::int64_t>();
    std::optional<std::int64_t> testbed_id;
    if (request.testbed) {
        auto testbed = tx.exec_prepared(sql::k_testbed_select, project_id, *request.testbed);
        if (testbed.empty()) return std::nullopt;
        testbed_id = testbed[0][0].as<std::int64_t>();
    }
    // The commit: known from its runs, else recorded now (with its time when given).
    auto commit = tx.exec_prepared(sql::k_commit_insert, project_id, request.commit,
                                   request.commit_time_us, std::string(), std::string());
    if (commit.empty()) commit = tx.exec_prepared(sql::k_commit_select, project_id, request.commit);
    const auto commit_id = commit[0][0].as<std::int64_t>();
    auto row = tx.exec_prepared(sql::k_baseline_reset_insert, project_id, testbed_id,
                                request.benchmark_glob, request.metric, commit_id, request.reason);
    tx.commit();
    BaselineReset b;
    b.id = row[0][0].as<std::int64_t>();
    b.benchmark_glob = row[0][1].as<std::string>();
    if (!row[0][2].is_null()) b.metric = row[0][2].as<std::string>();
    b.commit = row[0][3].as<std::string>();
    b.commit_time_us = row[0][4].as<std::int64_t>();
    b.reason = row[0][5].as<std::string>();
    b.created_at_us = row[0][6].as<std::int64_t>();
    return b;
}

}  // namespace perftrack::store::pg
