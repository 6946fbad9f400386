// The dashboard's pure parts: URLs, cookies, CSRF tokens and the escaping of its own pages.
#include <gtest/gtest.h>

#include "server/dashboard_pages.hpp"
#include "server/dashboard_session.hpp"
#include "server/dashboard_urls.hpp"

namespace perftrack::server::dashboard {
namespace {

const std::string k_hostile = "<script>alert(\"x\")</script>&'y' \u00fc";

TEST(DashboardUrls, EveryPartIsPercentEncoded) {
    EXPECT_EQ(project_url("a b/<c>"), "/p/a%20b%2F%3Cc%3E");
    EXPECT_EQ(report_url("p", "ci", "feat/x&y", ""), "/p/p/report?testbed=ci&branch=feat%2Fx%26y");
    EXPECT_EQ(report_url("p", "ci", "main", "{sha}"),
              "/p/p/report?testbed=ci&branch=main&commit={sha}");
    core::SeriesId id;
    id.benchmark = "BM<1>";
    id.params = {{"n", 1}};
    id.metric = "t";
    id.unit = "ns";
    EXPECT_EQ(
        series_url("p", "ci", "main", id, "abc"),
        "/p/p/series?testbed=ci&branch=main&suite=&benchmark=BM%3C1%3E&params=%7B%22n%22%3A1%7D"
        "&metric=t&unit=ns&point=abc#point=abc");
}

TEST(DashboardSession, CookiesAreFoundByNameOnly) {
    Request r;
    r.headers["cookie"] = "a=1; perftrack_t_x=ptk_ab ;b=2";
    EXPECT_EQ(cookie_value(r, "perftrack_t_x"), "ptk_ab");
    EXPECT_EQ(cookie_value(r, "b"), "2");
    EXPECT_FALSE(cookie_value(r, "perftrack_t"));
    EXPECT_EQ(cookie_name("p").size(), std::string("perftrack_t_").size() + 16);
    EXPECT_NE(cookie_name("p"), cookie_name("q"));
}

TEST(DashboardSession, CookieFlagsAndCsrf) {
    Request r;
    const auto set = token_cookie(r, "p", "ptk_1");
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
    EXPECT_EQ(set.find("Secure"), std::string::npos);
    r.headers["x-forwarded-proto"] = "https";
    EXPECT_NE(token_cookie(r, "p", "ptk_1").find("; Secure"), std::string::npos);
    EXPECT_NE(clear_cookie(r, "p").find("Max-Age=0"), std::string::npos);
    const auto csrf = csrf_token("ptk_1");
    EXPECT_EQ(csrf.size(), 64u);
    EXPECT_EQ(csrf.find("ptk_1"), std::string::npos);
    EXPECT_TRUE(csrf_matches("ptk_1", csrf));
    EXPECT_FALSE(csrf_matches("ptk_2", csrf));
    EXPECT_FALSE(csrf_matches("", csrf_token("")));
    EXPECT_FALSE(csrf_matches("ptk_1", ""));
}

TEST(DashboardPages, HostileNamesAreEscaped) {
    ProjectPage page;
    page.project = k_hostile;
    page.admin = true;
    page.signed_in = true;
    page.csrf = csrf_token("ptk_1");
    store::BranchHead head{k_hostile, k_hostile, "abc", 0, 1};
    page.heads.push_back({head, {}});
    store::Alert alert;
    alert.id = 7;
    alert.project = k_hostile;
    alert.testbed = k_hostile;
    alert.branch = k_hostile;
    alert.series.benchmark = k_hostile;
    alert.note = k_hostile;
    page.alerts.push_back(alert);
    page.flash = k_hostile;
    ProjectsPage list;
    list.projects.push_back({k_hostile, true, 1});
    for (const auto& html :
         {project_page(page), projects_page(list), message_page(k_hostile, k_hostile, k_hostile)}) {
        EXPECT_EQ(html.find("<script>"), std::string::npos);
        EXPECT_EQ(html.find("'y'"), std::string::npos);
        EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
        EXPECT_EQ(html.find("ptk_1"), std::string::npos);
    }
    EXPECT_NE(project_page(page).find("name=\"csrf\" value=\"" + page.csrf + "\""),
              std::string::npos);
}

}  // namespace
}  // namespace perftrack::server::dashboard
