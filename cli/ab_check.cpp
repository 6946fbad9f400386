#include "cli/ab_check.hpp"

#include <fmt/format.h>

#include "cli/read_target.hpp"
#include "core/exit_code.hpp"

namespace perftrack::cli {

namespace {
constexpr std::string_view k_ab_suffix = ":ab";
}  // namespace

std::string ab_testbed(const std::string& testbed) {
    const bool has_suffix =
        testbed.size() >= k_ab_suffix.size() &&
        testbed.compare(testbed.size() - k_ab_suffix.size(), k_ab_suffix.size(), k_ab_suffix) == 0;
    return has_suffix ? testbed : testbed + std::string(k_ab_suffix);
}

reports::ab::AbSettings ab_settings(const reports::detect::DetectionSettings& settings) {
    reports::ab::AbSettings out;
    out.alpha = settings.alpha;
    out.min_change_pct = 100.0 * settings.defaults.min_change;
    for (const auto& [metric, o] : settings.per_metric)
        if (o.min_change) out.min_change_pct_by_metric[metric] = 100.0 * *o.min_change;
    return out;
}

core::Result<bool> print_ab_check(const std::vector<core::Measurement>& measurements,
                                  const reports::ab::AbSettings& settings,
                                  const std::string& format) {
    auto report = reports::ab::compare_ab(measurements, settings);
    if (!report) return tl::unexpected(report.error());
    if (format == "json") {
        fmt::print("{}\n", reports::ab::render_ab_json(*report).dump(2));
    } else if (format == "markdown") {
        fmt::print("{}", reports::ab::render_ab_markdown(*report));
    } else {
        fmt::print("{}", reports::ab::render_ab_text(*report));
    }
    std::fflush(stdout);
    return report->count(reports::ab::AbStatus::regression) > 0;
}

core::Result<int> check_ab_in_store(const CommonOptions& common, const DetectionFlags& detection,
                                    const std::string& format, bool no_fail) {
    const auto settings = detection_settings(detection);
    if (!settings) return tl::unexpected(settings.error());
    const auto identity = resolve_identity(common, true, true);
    if (!identity) return tl::unexpected(identity.error());
    const SeriesIdentity& id = *identity;
    auto store = open_read_stores(common).store;
    store::HistoryQuery query;
    query.project = id.project;
    query.testbed = ab_testbed(id.testbed);
    query.branch = id.branch;
    const store::History history = store->load_history(query);
    // Runs come in commit order, then start time: the last one of the commit is the newest.
    std::optional<std::uint32_t> newest;
    for (std::uint32_t i = 0; i < history.runs.size(); ++i)
        if (history.runs[i].commit == id.commit) newest = i;
    if (!newest)
        return core::fail(
            core::ErrorKind::input,
            fmt::format("no A/B run of commit {} on branch {} (project {}, testbed {})", id.commit,
                        id.branch, id.project, query.testbed),
            "record one with 'perftrack run --ab BASELINE CANDIDATE'");
    std::vector<core::Measurement> measurements;
    for (const auto& series : history.series) {
        for (const auto& point : series.points) {
            if (point.run != *newest) continue;
            measurements.push_back({series.id, point.samples});
        }
    }
    const auto regression = print_ab_check(measurements, ab_settings(*settings), format);
    if (!regression) return tl::unexpected(regression.error());
    if (*regression && !no_fail) return static_cast<int>(core::ExitCode::regression);
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace perftrack::cli
