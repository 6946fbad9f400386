#pragma once
// The dashboard's report and series pages, and the newest verdict of a branch: built with
// reports/render (the same builder and renderer as `perftrack report`) and reports/detect, and
// cached per project data version (server/dashboard_cache.hpp) so that a warm page costs one
// small query plus rendering, not a history load and detection.

#include <memory>
#include <optional>
#include <string>

#include "server/dashboard_pages.hpp"
#include "server/router.hpp"
#include "store/dashboard_reader.hpp"
#include "store/store.hpp"

namespace perftrack::server::dashboard {

struct BranchKey {
    std::string project;
    std::string testbed;
    std::string branch;
};

class ReportPages {
  public:
    ReportPages();
    ~ReportPages();
    ReportPages(const ReportPages&) = delete;
    ReportPages& operator=(const ReportPages&) = delete;

    // `version`: the project's data version (nullopt: do not cache). Throw PageError.
    std::string report_html(store::Store& db, const BranchKey& key, const std::string& commit,
                            const std::optional<std::string>& version);
    std::string series_html(store::Store& db, const BranchKey& key, const core::SeriesId& want,
                            bool match_unit, const std::string& point,
                            const std::optional<std::string>& version);
    HeadVerdict head_verdict(store::Store& db, const BranchKey& key, const std::string& commit,
                             const std::optional<std::string>& version);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace perftrack::server::dashboard
