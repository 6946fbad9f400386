#include "store/pg/dashboard_queries.hpp"

namespace perftrack::store::pg {

// Not prepared in statements.cpp: each runs once per page, and keeping them here leaves the
// shared statement list alone.

std::vector<ProjectSummary> read_projects(pqxx::connection& conn) {
    pqxx::read_transaction tx(conn);
    const auto r = tx.exec(
        "SELECT p.name, p.public, (SELECT count(*) FROM run r WHERE r.project_id = p.id) "
        "FROM project p ORDER BY p.name");
    tx.commit();
    std::vector<ProjectSummary> out;
    out.reserve(r.size());
    for (const auto& row : r)
        out.push_back({row[0].as<std::string>(), row[1].as<bool>(), row[2].as<std::int64_t>()});
    return out;
}

std::vector<BranchHead> read_branch_heads(pqxx::connection& conn, const std::string& project) {
    pqxx::read_transaction tx(conn);
    // The newest run per testbed x branch in the order load_history uses (commit time, then
    // start time, then id), with the pair's run count.
    const auto r = tx.exec_params(
        "SELECT t.name, b.name, h.sha, h.ct, h.runs FROM ("
        " SELECT DISTINCT ON (r.testbed_id, r.branch_id) r.testbed_id, r.branch_id, c.sha,"
        "  (extract(epoch FROM COALESCE(c.commit_time, r.started_at)) * 1e6)::bigint AS ct,"
        "  count(*) OVER (PARTITION BY r.testbed_id, r.branch_id) AS runs"
        " FROM run r JOIN commit c ON c.id = r.commit_id"
        " WHERE r.project_id = (SELECT id FROM project WHERE name = $1)"
        " ORDER BY r.testbed_id, r.branch_id, COALESCE(c.commit_time, r.started_at) DESC,"
        "  r.started_at DESC, r.id DESC"
        ") h JOIN testbed t ON t.id = h.testbed_id JOIN branch b ON b.id = h.branch_id "
        "ORDER BY t.name, b.name",
        project);
    tx.commit();
    std::vector<BranchHead> out;
    out.reserve(r.size());
    for (const auto& row : r)
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                       row[3].as<std::int64_t>(), row[4].as<std::int64_t>()});
    return out;
}

std::optional<std::string> read_data_version(pqxx::connection& conn, const std::string& project) {
    pqxx::read_transaction tx(conn);
    // Ids only grow and prune only deletes, so (count, max id) of runs and resets changes with
    // every insert and delete; run parts add samples to an existing run.
    const auto r = tx.exec_params(
        "SELECT p.id,"
        " (SELECT count(*) || ':' || COALESCE(max(id), 0) FROM run WHERE project_id = p.id),"
        " (SELECT COALESCE(extract(epoch FROM max(rp.ingested_at))::text, '') FROM run_part rp"
        "  JOIN run r ON r.id = rp.run_id WHERE r.project_id = p.id),"
        " (SELECT count(*) || ':' || COALESCE(max(id), 0) FROM baseline_reset"
        "  WHERE project_id = p.id) "
        "FROM project p WHERE p.name = $1",
        project);
    tx.commit();
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>() + "/" + r[0][1].as<std::string>() + "/" +
           r[0][2].as<std::string>() + "/" + r[0][3].as<std::string>();
}

}  // namespace perftrack::store::pg
