#pragma once
// The dashboard's URLs, built in one place so that every link on every page has the same shape
// (stable, shareable): /, /p/{project}, /p/{project}/report?..., /p/{project}/series?...
// Every part is percent-encoded; the results are site-relative paths, still to be escaped for
// the attribute they go into.

#include <string>

#include "core/series_id.hpp"

namespace perftrack::server::dashboard {

std::string project_url(const std::string& project);

// commit: empty for the newest commit of the branch; "{sha}" is kept literally (a commit URL
// template for the report's links).
std::string report_url(const std::string& project, const std::string& testbed,
                       const std::string& branch, const std::string& commit);

// point: a commit sha to pin (empty: none).
std::string series_url(const std::string& project, const std::string& testbed,
                       const std::string& branch, const core::SeriesId& id,
                       const std::string& point = {});

std::string ack_url(const std::string& project, std::int64_t alert_id);
std::string login_url(const std::string& project);
std::string logout_url(const std::string& project);

}  // namespace perftrack::server::dashboard
