#pragma once
// The dashboard's own pages (the report and series pages are reports/render's render_html):
// the project list, a project, and the message pages (login, not found, errors). Pure
// functions of their data; every untrusted string is escaped here. The pages use the report's
// stylesheet (allowed by its CSP hash) and no script: they are plain tables, links and forms.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/render/report_model.hpp"
#include "store/dashboard_reader.hpp"
#include "store/store.hpp"

namespace perftrack::server::dashboard {

// The policy of every dashboard page (sent as a header, also as <meta>): the report's, with
// forms allowed to post to this site only and no framing.
std::string page_csp();

struct ProjectsPage {
    std::vector<store::ProjectSummary> projects;  // those this browser may read
    std::size_t hidden = 0;                       // private projects not listed
    std::string version;
};
std::string projects_page(const ProjectsPage& page);

// The check of one testbed x branch at its newest commit.
struct HeadVerdict {
    bool evaluated = false;
    std::size_t regressions = 0;
    std::size_t improvements = 0;
    std::size_t unchanged = 0;
    std::size_t other = 0;  // insufficient data or new
    std::string note;       // why nothing was evaluated
};

struct HeadRow {
    store::BranchHead head;
    HeadVerdict verdict;
};

struct ProjectPage {
    std::string project;
    bool is_public = false;
    std::vector<HeadRow> heads;
    std::vector<store::Alert> alerts;  // active ones
    bool signed_in = false;            // the browser holds a token cookie for the project
    bool admin = false;                // ... with scope admin: the ack forms are shown
    std::string csrf;                  // the forms' CSRF field (admin only)
    std::string flash;                 // one line of feedback ("alert 3 acknowledged")
    std::string version;
};
std::string project_page(const ProjectPage& page);

// A page with one message; `login_project`: add the token form for that project.
std::string message_page(const std::string& title, const std::string& message,
                         const std::string& login_project = {});

// The series page's extra section: every commit of the one series of `model` (its whole
// history) with median, spread, repetitions and change points, each commit linked to the
// report at that commit; the row of `point` (a sha) is marked and has id "c-SHA".
std::string series_history_table(const reports::render::ReportModel& model,
                                 const std::string& point);

}  // namespace perftrack::server::dashboard
