// The dashboard of `perftrack serve` over HTTP, against a real PostgreSQL: every page answers,
// hostile names come back escaped (never as markup), private projects need a token that the
// browser exchanges for an HttpOnly SameSite=Strict cookie, and acknowledging an alert needs an
// admin token and the CSRF field (anything else: 403 and nothing written).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "reports/render/html_escape.hpp"
#include "tests/support/dashboard_fixture.hpp"

namespace perftrack::testing {
namespace {

using reports::render::escape_html_text;

class DashboardTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { data = new DashboardData(); }
    static void TearDownTestSuite() {
        delete data;
        data = nullptr;
    }
    httplib::Client client() { return httplib::Client("127.0.0.1", data->server().port()); }
    static std::string project_path(const std::string& project) {
        return "/p/" + url_encode(project);
    }
    // The Set-Cookie of `?token=` as a Cookie header.
    std::string cookie_for(const std::string& project, const std::string& token) {
        auto r = client().Get(project_path(project) + "?token=" + token);
        EXPECT_TRUE(r);
        EXPECT_EQ(r->status, 303);
        const auto set = r->get_header_value("Set-Cookie");
        return set.substr(0, set.find(';'));
    }
    static std::string csrf_of(const std::string& page) {
        const std::string marker = "name=\"csrf\" value=\"";
        const auto at = page.find(marker);
        if (at == std::string::npos) return {};
        return page.substr(at + marker.size(), 64);
    }
    static void expect_no_raw_hostile(const std::string& body) {
        for (const char* raw : {"<img src=x", "<script>alert", "<i>\"", "<b>&amp;"})
            EXPECT_EQ(body.find(raw), std::string::npos) << raw;
    }
    static DashboardData* data;
};
DashboardData* DashboardTest::data = nullptr;

TEST_F(DashboardTest, EveryPageRendersWithHostileNamesEscaped) {
    auto c = client();
    const auto projects = c.Get("/");
    ASSERT_TRUE(projects);
    EXPECT_EQ(projects->status, 200);
    EXPECT_NE(projects->body.find(escape_html_text(k_hostile_project)), std::string::npos);
    // The private project is not listed without its token.
    EXPECT_EQ(projects->body.find(escape_html_text(k_private_project)), std::string::npos);
    EXPECT_NE(projects->body.find("id=\"projects-hidden\""), std::string::npos);
    expect_no_raw_hostile(projects->body);
    EXPECT_NE(projects->get_header_value("Content-Security-Policy").find("default-src 'none'"),
              std::string::npos);

    const auto project = c.Get(project_path(k_hostile_project));
    ASSERT_TRUE(project);
    ASSERT_EQ(project->status, 200) << project->body;
    EXPECT_NE(project->body.find("id=\"branches-table\""), std::string::npos);
    EXPECT_NE(project->body.find(escape_html_text(k_hostile_branch)), std::string::npos);
    EXPECT_NE(project->body.find(fmt::format("id=\"alert-{}\"", data->alert_id())),
              std::string::npos);
    // No admin token: no acknowledge form.
    EXPECT_EQ(project->body.find("form class=\"inline ack\""), std::string::npos);
    expect_no_raw_hostile(project->body);

    const std::string report = project_path(k_hostile_project) + "/report?testbed=ci&branch=main";
    const auto r = c.Get(report);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_NE(r->body.find(escape_html_text(k_hostile_benchmark)), std::string::npos);
    expect_no_raw_hostile(r->body);
    // Commit links lead to the dashboard's report at that commit, series to the series page.
    EXPECT_NE(
        r->body.find("/report?testbed=ci&amp;branch=main&amp;commit=" + DashboardData::sha(0)),
        std::string::npos);
    EXPECT_NE(r->body.find("class=\"series-link\" href=\"/p/"), std::string::npos);

    const auto at_commit = c.Get(report + "&commit=" + DashboardData::sha(3));
    ASSERT_TRUE(at_commit);
    EXPECT_EQ(at_commit->status, 200);
    EXPECT_NE(at_commit->body.find("title=\"" + DashboardData::sha(3) + "\""), std::string::npos);
    const auto unknown = c.Get(report + "&commit=" + std::string(40, 'f'));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);

    const std::string series = project_path(k_hostile_project) +
                               "/series?testbed=ci&branch=main&suite=" + url_encode("s<1>") +
                               "&benchmark=" + url_encode(k_hostile_benchmark) +
                               "&params=" + url_encode(R"({"mode":"a&b \"c\"","n":1024})") +
                               "&metric=real_time&point=" + DashboardData::sha(k_dashboard_step);
    const auto s = c.Get(series);
    ASSERT_TRUE(s);
    ASSERT_EQ(s->status, 200) << s->body;
    EXPECT_NE(s->body.find("id=\"history-table\""), std::string::npos);
    EXPECT_NE(s->body.find("<tr id=\"c-" + DashboardData::sha(k_dashboard_step) +
                           "\" class=\"pinned\" data-change=\"1\">"),
              std::string::npos);
    expect_no_raw_hostile(s->body);

    const auto feature = c.Get(project_path(k_hostile_project) +
                               "/report?testbed=ci&branch=" + url_encode(k_hostile_branch));
    ASSERT_TRUE(feature);
    EXPECT_EQ(feature->status, 200);
    expect_no_raw_hostile(feature->body);
}

TEST_F(DashboardTest, PrivateProjectNeedsAReadTokenExchangedForACookie) {
    auto c = client();
    const std::string path = project_path(k_private_project);
    const auto anonymous = c.Get(path);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401);
    EXPECT_NE(anonymous->body.find("id=\"login\""), std::string::npos);
    const auto report = c.Get(path + "/report");
    ASSERT_TRUE(report);
    EXPECT_EQ(report->status, 401);

    const auto exchange = c.Get(path + "?token=" + data->tokens().private_read);
    ASSERT_TRUE(exchange);
    EXPECT_EQ(exchange->status, 303);
    // (httplib's client decodes Location.)
    EXPECT_EQ(exchange->get_header_value("Location"), "/p/" + k_private_project);
    const auto set = exchange->get_header_value("Set-Cookie");
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
    const std::string cookie = set.substr(0, set.find(';'));

    const auto page = c.Get(path, {{"Cookie", cookie}});
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_EQ(page->get_header_value("Cache-Control"), "private, no-store");
    EXPECT_EQ(page->body.find(data->tokens().private_read), std::string::npos);
    const auto private_report = c.Get(path + "/report", {{"Cookie", cookie}});
    ASSERT_TRUE(private_report);
    EXPECT_EQ(private_report->status, 200);
    EXPECT_EQ(private_report->body.find(data->tokens().private_read), std::string::npos);
    // Listed on / for this browser only.
    const auto listed = c.Get("/", {{"Cookie", cookie}});
    ASSERT_TRUE(listed);
    EXPECT_NE(listed->body.find(escape_html_text(k_private_project)), std::string::npos);

    // Another project's token reads nothing here; a wrong token is refused and its cookie
    // cleared.
    const auto other =
        c.Get(path, {{"Cookie", cookie_for(k_private_project, data->tokens().read)}});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 403);
    const auto wrong =
        c.Get(path, {{"Cookie", cookie_for(k_private_project, "ptk_" + std::string(64, '0'))}});
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401);
    EXPECT_NE(wrong->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
}

TEST_F(DashboardTest, AcknowledgeNeedsAnAdminTokenAndTheCsrfField) {
    auto c = client();
    const std::string path = project_path(k_hostile_project);
    const std::string ack = path + fmt::format("/alerts/{}/ack", data->alert_id());
    const auto admin_cookie = cookie_for(k_hostile_project, data->tokens().admin);
    const auto admin_page = c.Get(path, {{"Cookie", admin_cookie}});
    ASSERT_TRUE(admin_page);
    const std::string csrf = csrf_of(admin_page->body);
    ASSERT_EQ(csrf.size(), 64u) << admin_page->body;
    const std::string form = "csrf=" + csrf + "&note=checked";

    // Refused, with nothing written: no cookie; a read token (with its own valid CSRF); the
    // admin cookie with a missing, a wrong, or another token's CSRF field; another site's form.
    const auto read_cookie = cookie_for(k_hostile_project, data->tokens().read);
    const auto read_page = c.Get(path, {{"Cookie", read_cookie}});
    ASSERT_TRUE(read_page);
    EXPECT_EQ(read_page->body.find("form class=\"inline ack\""), std::string::npos);
    const struct {
        httplib::Headers headers;
        std::string body;
    } refused[] = {
        {{}, form},
        {{{"Cookie", read_cookie}}, "csrf=" + csrf_of(read_page->body) + "&note=x"},
        {{{"Cookie", admin_cookie}}, "note=checked"},
        {{{"Cookie", admin_cookie}}, "csrf=" + std::string(64, 'a') + "&note=checked"},
        {{{"Cookie", admin_cookie}}, "csrf=" + csrf_of(read_page->body) + "&note=checked"},
        {{{"Cookie", admin_cookie}, {"Origin", "https://evil.example"}}, form},
    };
    for (const auto& attempt : refused) {
        const auto r =
            c.Post(ack, attempt.headers, attempt.body, "application/x-www-form-urlencoded");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 403) << attempt.body;
        EXPECT_EQ(data->alert_status(), "open");
    }

    const auto ok =
        c.Post(ack, {{"Cookie", admin_cookie}}, form, "application/x-www-form-urlencoded");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 303);
    EXPECT_EQ(data->alert_status(), "acknowledged");
    EXPECT_EQ(data->schema().scalar(
                  fmt::format("SELECT note FROM alert WHERE id = {}", data->alert_id())),
              "checked");
    // Back to open for the other tests (the browser test acknowledges it through the form).
    data->schema().scalar(fmt::format(
        "UPDATE alert SET status = 'open', acknowledged_at = NULL, note = '' WHERE id = {} "
        "RETURNING id",
        data->alert_id()));
}

}  // namespace
}  // namespace perftrack::testing
