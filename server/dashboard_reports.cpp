#include "server/dashboard_reports.hpp"

#include <mutex>

#include <fmt/format.h>

#include "core/time.hpp"
#include "core/version.hpp"
#include "reports/detect/check.hpp"
#include "reports/render/html_report.hpp"
#include "reports/render/report_builder.hpp"
#include "server/dashboard_cache.hpp"
#include "server/dashboard_response.hpp"
#include "server/dashboard_urls.hpp"

namespace perftrack::server::dashboard {

namespace {

namespace render = reports::render;

// Report models of 2,000 series x 500 commits take ~200 MiB: a few branches' worth.
constexpr std::size_t k_report_entries = 4;
constexpr std::size_t k_verdict_entries = 256;

// A built report: the model without alerts (they change without a new run: acknowledged from
// the page) and the page last rendered from it, with the alerts it showed.
struct CachedReport {
    render::ReportRequest request;
    render::ReportModel model;
    std::mutex mutex;  // guards model.alerts, html and alerts_signature
    std::string html;
    std::string alerts_signature;
};

std::string cache_key(const BranchKey& k, const std::string& commit) {
    // U+001F never occurs in names (the decoder refuses control characters).
    return k.project + '\x1f' + k.testbed + '\x1f' + k.branch + '\x1f' + commit;
}

std::string alerts_signature(const std::vector<store::Alert>& alerts) {
    std::string out;
    for (const auto& a : alerts)
        out += fmt::format("{}:{}:{}:{};", a.id, store::to_string(a.status),
                           a.resolved_at_us.value_or(0), a.last_seen_at_us);
    return out;
}

std::vector<store::Alert> branch_alerts(store::Store& db, const BranchKey& key) {
    store::AlertQuery q;
    q.project = key.project;
    q.testbed = key.testbed;
    q.branch = key.branch;
    return db.list_alerts(q);
}

}  // namespace

struct ReportPages::Impl {
    VersionedCache<CachedReport> reports{k_report_entries};
    VersionedCache<HeadVerdict> verdicts{k_verdict_entries};

    std::shared_ptr<CachedReport> report(store::Store& db, const BranchKey& key,
                                         const std::string& commit,
                                         const std::optional<std::string>& version) {
        const std::string k = cache_key(key, commit);
        if (version)
            if (auto hit = reports.find(k, *version)) return hit;
        auto built = std::make_shared<CachedReport>();
        auto& r = built->request;
        r.project = key.project;
        r.testbed = key.testbed;
        r.branch = key.branch;
        r.commit = commit;
        r.baseline_branch = key.branch;
        r.commit_url_template = report_url(key.project, key.testbed, key.branch, "{sha}");
        r.generated_at_us = core::now_epoch_us();
        r.perftrack_version = core::k_version;
        // Alerts are added per request (below); the builder's own read of them is skipped.
        auto model = render::build_report(db, nullptr, r);
        if (!model) page_fail(404, "Not found", model.error().message);
        built->model = std::move(*model);
        if (version) reports.put(k, *version, built);
        return built;
    }
};

ReportPages::ReportPages() : m_impl(std::make_unique<Impl>()) {}
ReportPages::~ReportPages() = default;

std::string ReportPages::report_html(store::Store& db, const BranchKey& key,
                                     const std::string& commit,
                                     const std::optional<std::string>& version) {
    const auto cached = m_impl->report(db, key, commit, version);
    const auto alerts = branch_alerts(db, key);
    const std::string signature = alerts_signature(alerts);
    const std::lock_guard lock(cached->mutex);
    if (!cached->html.empty() && cached->alerts_signature == signature) return cached->html;
    cached->model.alerts = render::alerts_section(alerts, cached->model, cached->request);
    render::HtmlOptions options;
    options.title = fmt::format("perftrack: {} ({}, {})", key.project, key.branch, key.testbed);
    options.breadcrumbs = {{"Projects", "/"},
                           {key.project, project_url(key.project)},
                           {key.branch + " \u00b7 " + key.testbed, ""}};
    options.series_href = [&key](const render::SeriesReport& s) {
        return series_url(key.project, key.testbed, key.branch, s.id);
    };
    cached->html = render::render_html(cached->model, options);
    cached->alerts_signature = signature;
    return cached->html;
}

std::string ReportPages::series_html(store::Store& db, const BranchKey& key,
                                     const core::SeriesId& want, bool match_unit,
                                     const std::string& point,
                                     const std::optional<std::string>& version) {
    const auto cached = m_impl->report(db, key, "", version);
    const auto& full = cached->model;
    const render::SeriesReport* found = nullptr;
    for (const auto& s : full.series) {
        if (s.id.suite == want.suite && s.id.benchmark == want.benchmark &&
            s.id.params == want.params && (want.metric.empty() || s.id.metric == want.metric) &&
            (!match_unit || s.id.unit == want.unit)) {
            found = &s;
            break;
        }
    }
    if (!found)
        page_fail(404, "No such series",
                  fmt::format("branch {} on testbed {} of project {} has no series of benchmark "
                              "{} with these params and metric",
                              key.branch, key.testbed, key.project, want.benchmark));
    // The same page as the report, narrowed to the one series: its chart (whole history,
    // change points, baseline band), its verdict and its alerts, plus every commit as a table.
    render::ReportModel one;
    one.header = full.header;
    one.commits = full.commits;
    one.series = {*found};
    one.verdict = full.verdict;
    one.notes = full.notes;
    std::vector<store::Alert> alerts;
    for (auto& a : branch_alerts(db, key))
        if (a.series == found->id) alerts.push_back(std::move(a));
    one.alerts = render::alerts_section(alerts, one, cached->request);
    render::HtmlOptions options;
    options.title = fmt::format("perftrack: {} {} ({}, {})", key.project, found->id.benchmark,
                                key.branch, key.testbed);
    options.breadcrumbs = {{"Projects", "/"},
                           {key.project, project_url(key.project)},
                           {key.branch + " \u00b7 " + key.testbed,
                            report_url(key.project, key.testbed, key.branch, "")},
                           {found->id.benchmark + " \u00b7 " + found->id.metric, ""}};
    options.appendix_html = series_history_table(one, point);
    return render::render_html(one, options);
}

HeadVerdict ReportPages::head_verdict(store::Store& db, const BranchKey& key,
                                      const std::string& commit,
                                      const std::optional<std::string>& version) {
    const std::string k = cache_key(key, commit);
    if (version)
        if (auto hit = m_impl->verdicts.find(k, *version)) return *hit;
    reports::detect::CheckRequest request;
    request.project = key.project;
    request.testbed = key.testbed;
    request.branch = key.branch;
    request.commit = commit;
    request.baseline_branch = key.branch;
    HeadVerdict v;
    const auto result = reports::detect::run_check(db, request, {});
    if (!result) {
        v.note = result.error().message;
    } else {
        using reports::detect::Status;
        v.evaluated = true;
        v.regressions = result->count(Status::regression);
        v.improvements = result->count(Status::improvement);
        v.unchanged = result->count(Status::unchanged);
        v.other = result->count(Status::insufficient_data) + result->count(Status::new_series);
    }
    if (version) m_impl->verdicts.put(k, *version, std::make_shared<HeadVerdict>(v));
    return v;
}

}  // namespace perftrack::server::dashboard
