// Saved detector states (store.hpp: load_detector_state, save_detector_state): one text per
// project x testbed x branch x fingerprint x replay window x end position, table detector_state
// (migration 0004). A cache: on a read replica, saving is skipped.
#include "store/pg/pg_internal.hpp"

namespace perftrack::store::pg {

namespace {

constexpr const char* k_ids =
    "SELECT p.id, t.id, b.id FROM project p "
    "JOIN testbed t ON t.project_id = p.id AND t.name = $2 "
    "JOIN branch b ON b.project_id = p.id AND b.name = $3 WHERE p.name = $1";

// SQLSTATEs after which nothing is saved and the check goes on: a write in a read-only
// transaction (a hot standby), and two checks of the branch saving at once (a deadlock or a
// serialization failure; the other one's states are as good).
bool skip_saving(const std::string& sqlstate) {
    return sqlstate == "25006" || sqlstate == "40P01" || sqlstate == "40001";
}

}  // namespace

std::optional<std::string> read_detector_state(pqxx::connection& conn,
                                               const DetectorStateKey& key) {
    pqxx::work tx(conn);
    const auto rows = tx.exec_params(
        "SELECT s.states FROM detector_state s JOIN (" + std::string(k_ids) +
            ") AS ids(project_id, testbed_id, branch_id) USING (project_id, testbed_id, "
            "branch_id) WHERE s.fingerprint = $4 AND s.window_start = $5 AND s.end_position = $6",
        key.project, key.testbed, key.branch, key.fingerprint, key.window_start, key.end_position);
    tx.commit();
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::string>();
}

void write_detector_state(pqxx::connection& conn, const DetectorStateKey& key,
                          const std::string& states) {
    try {
        pqxx::work tx(conn);
        const auto ids = tx.exec_params(k_ids, key.project, key.testbed, key.branch);
        if (ids.empty()) return;
        const auto project_id = ids[0][0].as<std::int64_t>();
        const auto testbed_id = ids[0][1].as<std::int64_t>();
        const auto branch_id = ids[0][2].as<std::int64_t>();
        tx.exec_params(
            "INSERT INTO detector_state (project_id, testbed_id, branch_id, fingerprint, "
            "window_start, end_position, states) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (project_id, testbed_id, branch_id, fingerprint, window_start, "
            "end_position) DO UPDATE SET states = EXCLUDED.states, written_at = now()",
            project_id, testbed_id, branch_id, key.fingerprint, key.window_start, key.end_position,
            states);
        // What a check of this commit or the next one can use stays; older positions go, under
        // every fingerprint (settings no longer in use leave nothing behind for long).
        tx.exec_params(
            "DELETE FROM detector_state WHERE project_id = $1 AND testbed_id = $2 AND "
            "branch_id = $3 AND end_position < $4",
            project_id, testbed_id, branch_id, key.end_position - 1);
        tx.commit();
    } catch (const pqxx::sql_error& e) {
        // A cache: the check is right either way.
        if (skip_saving(e.sqlstate())) return;
        throw;
    }
}

}  // namespace perftrack::store::pg
