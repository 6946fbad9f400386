#include "reports/compare/grouping.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace perftrack::reports::compare {

namespace {

using Joined = std::map<core::SeriesId, std::vector<double>>;

void join(Joined& into, const core::SeriesId& id, const std::vector<double>& samples) {
    auto& s = into[id];
    s.insert(s.end(), samples.begin(), samples.end());
}

}  // namespace

std::string param_value_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

Grouping rows_by_series(const std::vector<core::Measurement>& reference,
                        const std::vector<core::Measurement>& candidate) {
    Joined ref, cand;
    // The direction is not part of the identity; keep the reference side's.
    std::map<core::SeriesId, core::SeriesId> ids;
    for (const auto& m : reference) {
        join(ref, m.series, m.samples);
        ids.emplace(m.series, m.series);
    }
    for (const auto& m : candidate) join(cand, m.series, m.samples);
    Grouping g;
    for (const auto& [id, samples] : ref) {
        const auto it = cand.find(id);
        if (it == cand.end()) {
            ++g.only_reference;
            continue;
        }
        g.rows.push_back(RowInput{ids.at(id), "", samples, it->second});
    }
    for (const auto& [id, samples] : cand)
        if (!ref.contains(id)) ++g.only_candidate;
    return g;
}

core::Result<Grouping> rows_by_param(const std::vector<core::Measurement>& measurements,
                                     std::string_view param, std::string_view reference_value) {
    // Keyed by the identity without the param; the value text tells the variants apart.
    std::map<core::SeriesId, std::map<std::string, std::vector<double>>> variants;
    std::set<std::string> seen;
    for (const auto& m : measurements) {
        const auto it = m.series.params.find(std::string(param));
        if (it == m.series.params.end()) continue;
        const std::string value = param_value_text(*it);
        seen.insert(value);
        core::SeriesId without = m.series;
        without.params.erase(std::string(param));
        auto& v = variants[without][value];
        v.insert(v.end(), m.samples.begin(), m.samples.end());
    }
    if (!seen.contains(std::string(reference_value))) {
        std::string values;
        for (const auto& v : seen) values += (values.empty() ? "" : ", ") + v;
        return core::fail(core::ErrorKind::input,
                          seen.empty() ? fmt::format("no series has the param '{}'", param)
                                       : fmt::format("no series has {}={} (values seen: {})", param,
                                                     reference_value, values));
    }
    Grouping g;
    for (const auto& [id, by_value] : variants) {
        const auto ref = by_value.find(std::string(reference_value));
        for (const auto& [value, samples] : by_value) {
            if (value == reference_value) continue;
            if (ref == by_value.end()) {
                ++g.only_candidate;
                continue;
            }
            g.rows.push_back(
                RowInput{id, fmt::format("{}={}", param, value), ref->second, samples});
        }
        if (ref != by_value.end() && by_value.size() == 1) ++g.only_reference;
    }
    return g;
}

core::Result<CommitMeasurements> measurements_at_commit(const store::History& history,
                                                        std::string_view commit,
                                                        std::string_view where) {
    // A commit stored under exactly this name is that commit, however short (commits given
    // by --commit when ingesting need not be git shas); otherwise a prefix of 4 or more.
    const bool exact = std::any_of(history.runs.begin(), history.runs.end(),
                                   [&](const store::RunInfo& r) { return r.commit == commit; });
    if (!exact && commit.size() < 4)
        return core::fail(core::ErrorKind::input,
                          fmt::format("commit '{}': give at least 4 characters", commit));
    std::set<std::string> matched;
    std::vector<bool> at(history.runs.size(), false);
    for (std::size_t i = 0; i < history.runs.size(); ++i) {
        if (exact ? history.runs[i].commit == commit : history.runs[i].commit.starts_with(commit)) {
            at[i] = true;
            matched.insert(history.runs[i].commit);
        }
    }
    if (matched.empty())
        return core::fail(core::ErrorKind::input,
                          fmt::format("no stored run at commit {} ({})", commit, where));
    if (matched.size() > 1)
        return core::fail(core::ErrorKind::input,
                          fmt::format("commit {} is ambiguous: {} and {} more ({})", commit,
                                      *matched.begin(), matched.size() - 1, where));
    CommitMeasurements out{*matched.begin(), {}};
    for (const auto& s : history.series) {
        core::Measurement m;
        m.series = s.id;
        for (const auto& p : s.points)
            if (p.run < at.size() && at[p.run])
                m.samples.insert(m.samples.end(), p.samples.begin(), p.samples.end());
        if (!m.samples.empty()) out.measurements.push_back(std::move(m));
    }
    return out;
}

}  // namespace perftrack::reports::compare
