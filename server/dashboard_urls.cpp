#include "server/dashboard_urls.hpp"

#include "reports/render/html_escape.hpp"

namespace perftrack::server::dashboard {

namespace {
std::string enc(const std::string& text) {
    return reports::render::percent_encode(text);
}
}  // namespace

std::string project_url(const std::string& project) {
    return "/p/" + enc(project);
}

std::string report_url(const std::string& project, const std::string& testbed,
                       const std::string& branch, const std::string& commit) {
    std::string url =
        project_url(project) + "/report?testbed=" + enc(testbed) + "&branch=" + enc(branch);
    if (commit == "{sha}") {
        url += "&commit={sha}";
    } else if (!commit.empty()) {
        url += "&commit=" + enc(commit);
    }
    return url;
}

std::string series_url(const std::string& project, const std::string& testbed,
                       const std::string& branch, const core::SeriesId& id,
                       const std::string& point) {
    std::string url = project_url(project) + "/series?testbed=" + enc(testbed) +
                      "&branch=" + enc(branch) + "&suite=" + enc(id.suite) +
                      "&benchmark=" + enc(id.benchmark) + "&params=" + enc(id.params.dump()) +
                      "&metric=" + enc(id.metric) + "&unit=" + enc(id.unit);
    if (!point.empty()) url += "&point=" + enc(point) + "#point=" + enc(point);
    return url;
}

std::string ack_url(const std::string& project, std::int64_t alert_id) {
    return project_url(project) + "/alerts/" + std::to_string(alert_id) + "/ack";
}

std::string login_url(const std::string& project) {
    return project_url(project) + "/login";
}

std::string logout_url(const std::string& project) {
    return project_url(project) + "/logout";
}

}  // namespace perftrack::server::dashboard
