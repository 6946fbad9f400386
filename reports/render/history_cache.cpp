#include "reports/render/history_cache.hpp"

namespace perftrack::reports::render {

namespace {

// The runs [begin, end) of `full` that `query` selects.
std::pair<std::size_t, std::size_t> selected(const store::History& full,
                                             const store::HistoryQuery& query) {
    std::size_t end = full.runs.size();
    if (query.until_commit_time_us) {
        // History runs are in commit-time order: the selected runs are a prefix.
        end = 0;
        while (end < full.runs.size() &&
               full.runs[end].commit_time_us <= *query.until_commit_time_us)
            ++end;
    }
    std::size_t begin = 0;
    if (query.last_runs && *query.last_runs < end) begin = end - *query.last_runs;
    return {begin, end};
}

}  // namespace

std::vector<store::RunInfo> runs_subset(const store::History& full,
                                        const store::HistoryQuery& query) {
    const auto [begin, end] = selected(full, query);
    return {full.runs.begin() + static_cast<std::ptrdiff_t>(begin),
            full.runs.begin() + static_cast<std::ptrdiff_t>(end)};
}

store::History history_subset(const store::History& full, const store::HistoryQuery& query) {
    const auto [begin, end] = selected(full, query);
    store::History out;
    out.resets = full.resets;
    out.runs.assign(full.runs.begin() + static_cast<std::ptrdiff_t>(begin),
                    full.runs.begin() + static_cast<std::ptrdiff_t>(end));
    for (const auto& s : full.series) {
        store::SeriesHistory subset;
        for (const auto& p : s.points)
            if (p.run >= begin && p.run < end)
                subset.points.push_back({static_cast<std::uint32_t>(p.run - begin), p.samples});
        if (subset.points.empty()) continue;
        subset.id = s.id;
        subset.benchmark_id = s.benchmark_id;
        subset.metric_id = s.metric_id;
        out.series.push_back(std::move(subset));
    }
    return out;
}

std::vector<store::RunInfo> CachedHistoryReader::list_runs(const store::HistoryQuery& query) {
    if (query.project != m_key.project || query.testbed != m_key.testbed ||
        query.branch != m_key.branch)
        return m_fallback.list_runs(query);
    return runs_subset(m_full, query);
}

store::History CachedHistoryReader::load_history(const store::HistoryQuery& query) {
    if (query.project != m_key.project || query.testbed != m_key.testbed ||
        query.branch != m_key.branch)
        return m_fallback.load_history(query);
    return history_subset(m_full, query);
}

}  // namespace perftrack::reports::render
