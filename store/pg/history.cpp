// History reads: the runs of one project x testbed x branch, then every sample array of those
// runs through one COPY ... TO STDOUT (the fastest way out of PostgreSQL), then the names of
// the benchmarks and metrics involved.
#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "store/pg/copy_text.hpp"
#include "store/pg/pg_internal.hpp"
#include "store/pg/statements.hpp"

namespace perftrack::store::pg {

namespace {

std::string bigint_array_literal(const std::vector<std::int64_t>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "}";
}

struct PairHash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& p) const {
        return std::hash<std::int64_t>()(p.first * 1000003 + p.second);
    }
};

// The sample rows of some runs. Integers only are spliced in (COPY takes no parameters); they
// are our own ids, formatted by us. One primary-key range per run (LATERAL): with
// `run_id = ANY(...)` PostgreSQL reads the whole table as soon as the runs are a sizeable part
// of it (a report over the main branch), so the read would grow with every other branch and
// testbed stored; by key it costs the rows read, wherever they are. OFFSET 0 keeps the planner
// from flattening the subquery back into a hash join over the whole table.
std::string sample_rows_query(const std::vector<std::int64_t>& run_ids) {
    return fmt::format(
        "SELECT s.run_id, s.benchmark_id, s.metric_id, s.samples "
        "FROM unnest('{}'::bigint[]) AS r(id) CROSS JOIN LATERAL "
        "(SELECT run_id, benchmark_id, metric_id, samples FROM sample WHERE run_id = r.id "
        "OFFSET 0) s",
        bigint_array_literal(run_ids));
}

// A bigint column of the COPY (our own ids: always digits).
std::int64_t parse_id(const std::string& text) {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size())
        throw StoreError("unexpected id in sample table: " + text.substr(0, 40), "", false);
    return v;
}

std::string sql_literal(const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : std::string("NULL");
}

}  // namespace

namespace {

RunInfo run_from_row(const pqxx::row& row, const std::string& branch) {
    RunInfo r;
    r.id = row[0].as<std::int64_t>();
    r.run_key = row[1].as<std::string>();
    r.branch = branch;
    r.commit = row[2].as<std::string>();
    r.commit_time_us = row[3].as<std::int64_t>();
    r.commit_subject = row[4].as<std::string>();
    r.started_at_us = row[5].as<std::int64_t>();
    r.partial = row[6].as<bool>();
    return r;
}

}  // namespace

std::vector<RunInfo> read_runs(pqxx::connection& conn, const HistoryQuery& query) {
    std::vector<RunInfo> runs;
    pqxx::work tx(conn);
    auto ids = tx.exec_prepared(sql::k_ids_for_history, query.project, query.testbed, query.branch);
    if (ids.empty()) return runs;
    std::optional<std::int64_t> limit;
    if (query.last_runs) limit = static_cast<std::int64_t>(*query.last_runs);
    for (const auto& row : tx.exec_prepared(
             sql::k_history_runs, ids[0][0].as<std::int64_t>(), ids[0][1].as<std::int64_t>(),
             ids[0][2].as<std::int64_t>(), query.until_commit_time_us, limit))
        runs.push_back(run_from_row(row, query.branch));
    tx.commit();
    return runs;
}

std::vector<StoredFailure> read_failures(pqxx::connection& conn, const HistoryQuery& query,
                                         const std::string& commit) {
    std::vector<StoredFailure> out;
    pqxx::work tx(conn);
    auto ids = tx.exec_prepared(sql::k_ids_for_history, query.project, query.testbed, query.branch);
    if (ids.empty()) return out;
    for (const auto& row :
         tx.exec_prepared(sql::k_history_failures, ids[0][0].as<std::int64_t>(),
                          ids[0][1].as<std::int64_t>(), ids[0][2].as<std::int64_t>(), commit)) {
        StoredFailure f;
        f.commit = row[0].as<std::string>();
        f.run_key = row[1].as<std::string>();
        f.suite = row[2].as<std::string>();
        f.benchmark = row[3].as<std::string>();
        f.params = nlohmann::json::parse(row[4].as<std::string>());
        f.message = row[5].as<std::string>();
        out.push_back(std::move(f));
    }
    tx.commit();
    return out;
}

History read_history(pqxx::connection& conn, const HistoryQuery& query) {
    History history;
    pqxx::work tx(conn);
    auto ids = tx.exec_prepared(sql::k_ids_for_history, query.project, query.testbed, query.branch);
    if (ids.empty()) return history;
    const auto project_id = ids[0][0].as<std::int64_t>();
    const auto testbed_id = ids[0][1].as<std::int64_t>();
    const auto branch_id = ids[0][2].as<std::int64_t>();

    std::optional<std::int64_t> limit;
    if (query.last_runs) limit = static_cast<std::int64_t>(*query.last_runs);
    auto runs = tx.exec_prepared(sql::k_history_runs, project_id, testbed_id, branch_id,
                                 query.until_commit_time_us, limit);
    std::unordered_map<std::int64_t, std::uint32_t> run_index;
    std::vector<std::int64_t> run_ids;
    history.runs.reserve(runs.size());
    for (const auto& row : runs) {
        RunInfo r;
        r.id = row[0].as<std::int64_t>();
        r.run_key = row[1].as<std::string>();
        r.branch = query.branch;
        r.commit = row[2].as<std::string>();
        r.commit_time_us = row[3].as<std::int64_t>();
        r.commit_subject = row[4].as<std::string>();
        r.started_at_us = row[5].as<std::int64_t>();
        r.partial = row[6].as<bool>();
        run_index.emplace(r.id, static_cast<std::uint32_t>(history.runs.size()));
        run_ids.push_back(r.id);
        history.runs.push_back(std::move(r));
    }

    auto resets = tx.exec_prepared(sql::k_history_resets, project_id, testbed_id);
    for (const auto& row : resets) {
        BaselineReset b;
        b.id = row[0].as<std::int64_t>();
        b.benchmark_glob = row[1].as<std::string>();
        if (!row[2].is_null()) b.metric = row[2].as<std::string>();
        b.commit = row[3].as<std::string>();
        b.commit_time_us = row[4].as<std::int64_t>();
        b.reason = row[5].as<std::string>();
        b.created_at_us = row[6].as<std::int64_t>();
        history.resets.push_back(std::move(b));
    }
    if (run_ids.empty()) return history;

    std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::size_t, PairHash> series_index;
    {
        pqxx::stream_from copy(tx, "(" + sample_rows_query(run_ids) + ")");
        std::string line;
        std::vector<std::string> fields;
        std::vector<double> values;
        while (copy.get_raw_line(line)) {
            if (!line.empty() && line.back() == '\n') line.pop_back();
            split_copy_line(line, fields);
            if (fields.size() != 4 || !parse_float_array(fields[3], values))
                throw StoreError("unexpected row in sample table: " + line.substr(0, 200), "",
                                 false);
            const std::int64_t run_id = parse_id(fields[0]);
            const std::int64_t benchmark_id = parse_id(fields[1]);
            const std::int64_t metric_id = parse_id(fields[2]);
            auto [it, inserted] = series_index.emplace(std::make_pair(benchmark_id, metric_id),
                                                       history.series.size());
            if (inserted) {
                SeriesHistory s;
                s.benchmark_id = benchmark_id;
                s.metric_id = metric_id;
                history.series.push_back(std::move(s));
            }
            history.series[it->second].points.push_back({run_index.at(run_id), values});
        }
        copy.complete();
    }

    std::vector<std::int64_t> benchmark_ids, metric_ids;
    for (const auto& s : history.series) {
        benchmark_ids.push_back(s.benchmark_id);
        metric_ids.push_back(s.metric_id);
    }
    std::sort(benchmark_ids.begin(), benchmark_ids.end());
    benchmark_ids.erase(std::unique(benchmark_ids.begin(), benchmark_ids.end()),
                        benchmark_ids.end());
    std::sort(metric_ids.begin(), metric_ids.end());
    metric_ids.erase(std::unique(metric_ids.begin(), metric_ids.end()), metric_ids.end());

    struct BenchmarkRow {
        std::string suite, name;
        core::Params params;
    };
    std::unordered_map<std::int64_t, BenchmarkRow> benchmarks;
    for (const auto& row :
         tx.exec_prepared(sql::k_history_benchmarks, bigint_array_literal(benchmark_ids))) {
        benchmarks[row[0].as<std::int64_t>()] = {row[1].as<std::string>(), row[2].as<std::string>(),
                                                 nlohmann::json::parse(row[3].as<std::string>())};
    }
    struct MetricRow {
        std::string name, unit;
        core::Direction direction;
    };
    std::unordered_map<std::int64_t, MetricRow> metrics;
    for (const auto& row :
         tx.exec_prepared(sql::k_history_metrics, bigint_array_literal(metric_ids))) {
        metrics[row[0].as<std::int64_t>()] = {
            row[1].as<std::string>(), row[2].as<std::string>(),
            core::parse_direction(row[3].as<std::string>()).value_or(core::Direction::lower)};
    }
    tx.commit();

    for (auto& s : history.series) {
        const auto& b = benchmarks.at(s.benchmark_id);
        const auto& m = metrics.at(s.metric_id);
        s.id = {b.suite, b.name, b.params, m.name, m.unit, m.direction};
        std::sort(s.points.begin(), s.points.end(),
                  [](const SeriesPoint& a, const SeriesPoint& b2) { return a.run < b2.run; });
    }
    // Deterministic order: suite, benchmark, params, metric, unit (SeriesId's order).
    std::sort(history.series.begin(), history.series.end(),
              [](const SeriesHistory& a, const SeriesHistory& b) { return a.id < b.id; });
    return history;
}

std::vector<std::string> explain_history_reads(pqxx::connection& conn, const HistoryQuery& query) {
    std::vector<std::string> plans;
    pqxx::work tx(conn);
    auto ids = tx.exec_prepared(sql::k_ids_for_history, query.project, query.testbed, query.branch);
    if (ids.empty()) return plans;
    std::optional<std::int64_t> limit;
    if (query.last_runs) limit = static_cast<std::int64_t>(*query.last_runs);
    auto plan_of = [&](const std::string& statement) {
        std::string text;
        for (const auto& row : tx.exec("EXPLAIN (FORMAT JSON) " + statement))
            text += row[0].as<std::string>();
        return text;
    };
    const auto project_id = ids[0][0].as<std::int64_t>();
    const auto testbed_id = ids[0][1].as<std::int64_t>();
    const auto branch_id = ids[0][2].as<std::int64_t>();
    std::vector<std::int64_t> run_ids;
    for (const auto& row : tx.exec_prepared(sql::k_history_runs, project_id, testbed_id, branch_id,
                                            query.until_commit_time_us, limit))
        run_ids.push_back(row[0].as<std::int64_t>());
    // The prepared statement itself (libpqxx prepares it on first use, just above), with the
    // values load_history binds (our own integers).
    plans.push_back(plan_of(
        fmt::format("EXECUTE {}({}, {}, {}, {}, {})", sql::k_history_runs, project_id, testbed_id,
                    branch_id, sql_literal(query.until_commit_time_us), sql_literal(limit))));
    plans.push_back(plan_of(sample_rows_query(run_ids)));
    tx.commit();
    return plans;
}

}  // namespace perftrack::store::pg
