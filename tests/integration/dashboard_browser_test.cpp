// The dashboard in headless Chromium, driven through the DevTools protocol: sign in with
// `?token=`, navigate project -> report -> series by clicking the links, acknowledge an alert
// through its form, with names that try to inject markup shown literally, no console error or
// CSP refusal on any page, and the tables there without JavaScript. Screenshots land in
// <build>/test-output/dashboard/ for people to look at.
#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/support/chromium_session.hpp"
#include "tests/support/dashboard_fixture.hpp"
#include "tests/support/headless_chromium.hpp"

namespace perftrack::testing {
namespace {

// No element the hostile names could have created, and the names present as text.
void expect_no_injection(ChromiumSession& b) {
    EXPECT_EQ(b.eval("document.querySelectorAll('img, [onerror]').length").get<int>(), 0);
    EXPECT_EQ(b.eval("Array.from(document.scripts).filter(s => s.textContent.includes('alert(')"
                     " && s.type !== 'application/json').length")
                  .get<int>(),
              0);
}

TEST(DashboardBrowserTest, NavigatesAcknowledgesAndShowsHostileNamesLiterally) {
    PERFTRACK_REQUIRE_CHROMIUM();
    DashboardData data;
    const auto out = test_output_dir("dashboard");
    ChromiumSession b;
    const std::string project = data.base() + "/p/" + url_encode(k_hostile_project);

    // ?token= becomes a cookie; the address bar no longer holds the token.
    b.navigate(project + "?token=" + data.tokens().admin);
    EXPECT_EQ(b.eval("location.search").get<std::string>(), "");
    EXPECT_EQ(b.eval("document.querySelector('h1 .project').textContent").get<std::string>(),
              k_hostile_project);
    EXPECT_EQ(b.eval("document.querySelectorAll('#branches-table tbody tr').length").get<int>(), 2);
    EXPECT_EQ(b.eval("document.querySelector('#alerts-table td:nth-child(3) a').textContent")
                  .get<std::string>(),
              k_hostile_benchmark);
    EXPECT_EQ(b.eval("document.cookie").get<std::string>(), "");  // HttpOnly
    expect_no_injection(b);
    b.screenshot(out / "project.png");

    // The feature branch's row links to its report.
    b.eval_and_wait(
        "Array.from(document.querySelectorAll('#branches-table tbody tr'))"
        ".find(r => r.dataset.branch.startsWith('feat/')).querySelector('a').click()");
    EXPECT_EQ(b.eval("document.querySelector('#fact-branch dd').textContent").get<std::string>(),
              k_hostile_branch);
    expect_no_injection(b);

    // main's report: charts drawn by the report's script, commit links into the dashboard.
    b.navigate(project + "/report?testbed=ci&branch=main");
    EXPECT_GT(b.eval("document.querySelectorAll('.chart svg').length").get<int>(), 0);
    EXPECT_EQ(b.eval("document.querySelector('#fact-commits a').getAttribute('href')"
                     ".startsWith('/p/')")
                  .get<bool>(),
              true);
    EXPECT_EQ(b.eval("document.querySelector('.series .bench').textContent").get<std::string>(),
              k_hostile_benchmark);
    expect_no_injection(b);
    b.screenshot(out / "report.png", false);

    // Its series page, by the title's link; then the pinned point of the change.
    b.eval_and_wait(
        "Array.from(document.querySelectorAll('article.series')).find(a => "
        "a.querySelector('.bench').textContent.startsWith('<script>'))"
        ".querySelector('a.series-link').click()");
    EXPECT_EQ(b.eval("document.querySelectorAll('#history-table tbody tr').length").get<int>(),
              k_dashboard_commits);
    EXPECT_EQ(
        b.eval("document.querySelector('#history-table tr[data-change]').id").get<std::string>(),
        "c-" + DashboardData::sha(k_dashboard_step));
    b.eval_and_wait("document.getElementById('c-" + DashboardData::sha(k_dashboard_step) +
                    "').querySelector('td:last-child a').click()");
    EXPECT_EQ(b.eval("document.querySelector('tr.pinned').id").get<std::string>(),
              "c-" + DashboardData::sha(k_dashboard_step));
    EXPECT_EQ(b.eval("location.hash").get<std::string>(),
              "#point=" + DashboardData::sha(k_dashboard_step));
    EXPECT_EQ(b.eval("!document.getElementById('tooltip').hidden").get<bool>(), true);
    expect_no_injection(b);
    b.screenshot(out / "series.png", false);

    // Acknowledge through the form (the admin cookie and the page's CSRF field).
    b.navigate(project);
    ASSERT_EQ(data.alert_status(), "open");
    b.eval_and_wait(
        "const f = document.querySelector('form.ack'); f.note.value = 'seen <b>'; "
        "f.requestSubmit()");
    EXPECT_EQ(data.alert_status(), "acknowledged")
        << b.eval("document.title + ' ' + location.href + ' ' + document.body.innerText")
               .get<std::string>();
    EXPECT_EQ(b.eval("document.getElementById('flash').textContent").get<std::string>(),
              fmt::format("Alert #{} acknowledged.", data.alert_id()));
    EXPECT_EQ(b.eval("document.querySelector('#alerts-table tbody td:nth-child(9)').textContent")
                  .get<std::string>(),
              "seen <b>");
    expect_no_injection(b);

    EXPECT_TRUE(b.errors().empty()) << ::testing::PrintToString(b.errors());
}

TEST(DashboardBrowserTest, AcknowledgeWithoutAnAdminTokenShowsNoFormAndIsRefused) {
    PERFTRACK_REQUIRE_CHROMIUM();
    DashboardData data;
    ChromiumSession b;
    const std::string project = data.base() + "/p/" + url_encode(k_hostile_project);
    b.navigate(project + "?token=" + data.tokens().read);
    EXPECT_EQ(b.eval("document.querySelectorAll('form.ack').length").get<int>(), 0);
    EXPECT_EQ(b.eval("document.getElementById('ack-note') !== null").get<bool>(), true);
    // A hand-made form with the read session: 403, nothing written.
    b.eval_and_wait(fmt::format(
        "const f = document.createElement('form'); f.method = 'post'; f.action = "
        "location.pathname + '/alerts/{}/ack'; const n = document.createElement('input'); "
        "n.name = 'note'; n.value = 'x'; f.appendChild(n); document.body.appendChild(f); "
        "f.submit()",
        data.alert_id()));
    EXPECT_EQ(b.eval("document.title").get<std::string>(), "perftrack: Forbidden");
    EXPECT_EQ(data.alert_status(), "open");
}

TEST(DashboardBrowserTest, TablesAndLinksWorkWithoutJavaScript) {
    PERFTRACK_REQUIRE_CHROMIUM();
    DashboardData data;
    ChromiumSession b;
    b.set_scripts_enabled(false);
    const std::string project = data.base() + "/p/" + url_encode(k_hostile_project);
    b.navigate(data.base() + "/");
    EXPECT_NE(b.html().find("id=\"projects-table\""), std::string::npos);
    b.navigate(project);
    const std::string page = b.html();
    EXPECT_NE(page.find("id=\"branches-table\""), std::string::npos);
    EXPECT_NE(page.find("id=\"alerts-table\""), std::string::npos);
    b.navigate(project + "/report?testbed=ci&branch=main");
    const std::string report = b.html();
    EXPECT_NE(report.find("id=\"flagged\""), std::string::npos);
    EXPECT_NE(report.find("id=\"alerts-table\""), std::string::npos);
    b.navigate(project + "/series?testbed=ci&branch=main&suite=" + url_encode("s<1>") +
               "&benchmark=BM_Steady&metric=real_time");
    const std::string series = b.html();
    const auto rows = std::count(series.begin(), series.end(), '\n');
    EXPECT_GT(rows, 0);
    EXPECT_NE(series.find("id=\"history-table\""), std::string::npos);
    EXPECT_NE(series.find("<tr id=\"c-" + DashboardData::sha(0) + "\""), std::string::npos);
}

}  // namespace
}  // namespace perftrack::testing
