// The HTML report in a real browser: headless Chromium loads a rendered page, runs its script,
// and the test reads the resulting DOM. Sorting and filtering are driven through the page's URL
// fragment (#sort=..., #status=..., #filter=..., #q=..., #draw=all), because --dump-dom cannot
// click; the fragment handler calls the same functions as the buttons and inputs.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "core/display.hpp"
#include "reports/render/html_report.hpp"
#include "tests/support/headless_chromium.hpp"
#include "tests/support/synthetic_report.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text_search.hpp"

namespace perftrack::reports::render {
namespace {

namespace fs = std::filesystem;

// Opening tags matching `tag_pattern` (e.g. "tr class=\"row-"), in document order.
std::vector<std::string> tags(const std::string& dom, const std::string& tag_pattern) {
    std::vector<std::string> out;
    const std::regex re("<" + tag_pattern + "[^>]*>");
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), re); it != std::sregex_iterator();
         ++it)
        out.push_back(it->str());
    return out;
}

std::string attribute(const std::string& tag, const std::string& name) {
    std::smatch m;
    if (std::regex_search(tag, m, std::regex(" " + name + "=\"([^\"]*)\""))) return m[1].str();
    return {};
}

bool is_hidden(const std::string& tag) {
    return tag.find(" hidden") != std::string::npos;
}

using perftrack::testing::count_occurrences;

class ReportInBrowser : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        model = new ReportModel(testing::synthetic_report({}));
        dir = new fs::path(testing::test_output_dir("browser"));
        std::ofstream(*dir / "report.html", std::ios::binary) << render_html(*model);
    }
    static void TearDownTestSuite() {
        delete model;
        delete dir;
        model = nullptr;
        dir = nullptr;
    }
    void SetUp() override { PERFTRACK_REQUIRE_CHROMIUM(); }

    static testing::BrowserResult load(const std::string& fragment = {}) {
        auto r = testing::dump_dom(testing::file_url(*dir / "report.html") + fragment);
        EXPECT_EQ(r.exit_code, 0);
        EXPECT_NE(r.dom.find("data-ready=\"1\""), std::string::npos)
            << "the page script did not finish";
        EXPECT_TRUE(page_errors(r).empty()) << page_errors(r).front();
        return r;
    }

    std::vector<std::string> row_series(const std::string& dom, bool visible_only) const {
        std::vector<std::string> out;
        for (const auto& t : tags(dom, "tr class=\"row-"))
            if (!visible_only || !is_hidden(t)) out.push_back(attribute(t, "data-series"));
        return out;
    }

    static ReportModel* model;
    static fs::path* dir;
};
ReportModel* ReportInBrowser::model = nullptr;
fs::path* ReportInBrowser::dir = nullptr;

TEST_F(ReportInBrowser, FlaggedTableRowsMatchTheModel) {
    const auto r = load();
    const auto flagged = flagged_series(*model);
    const auto rows = row_series(r.dom, true);
    ASSERT_EQ(rows.size(), flagged.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
        EXPECT_EQ(rows[k], "s-" + std::to_string(flagged[k]));
    EXPECT_NE(r.dom.find(std::to_string(flagged.size()) + " of " + std::to_string(flagged.size()) +
                         " shown"),
              std::string::npos);
}

TEST_F(ReportInBrowser, OneChartPerVisibleSeries) {
    const auto all = load("#draw=all");
    const auto articles = tags(all.dom, "article class=\"series\"");
    ASSERT_EQ(articles.size(), model->series.size());
    EXPECT_EQ(count_occurrences(all.dom, "<svg class=\"chart-svg\""), model->series.size());
    // Each chart container holds exactly one chart.
    EXPECT_EQ(count_occurrences(all.dom, "data-drawn=\"1\""), model->series.size());

    // Searching hides series; only the visible ones get charts.
    const auto some = load("#q=model_1%20throughput&draw=all");
    std::size_t visible = 0;
    for (const auto& t : tags(some.dom, "article class=\"series\""))
        visible += is_hidden(t) ? 0 : 1;
    std::size_t expected = 0;
    for (const auto& s : model->series)
        expected +=
            s.id.benchmark.find("model_1") != std::string::npos && s.id.metric == "throughput";
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(visible, expected);
    EXPECT_EQ(count_occurrences(some.dom, "<svg class=\"chart-svg\""), expected);
    EXPECT_NE(some.dom.find(std::to_string(expected) + " of " +
                            std::to_string(model->series.size()) + " series match"),
              std::string::npos);
}

TEST_F(ReportInBrowser, ChartsCarryAxesBandAndChangePointMarkers) {
    const auto r = load("#draw=all");
    std::size_t change_points = 0;
    for (const auto& s : model->series) change_points += s.change_points.size();
    ASSERT_GT(change_points, 0u);
    EXPECT_EQ(count_occurrences(r.dom, "<g class=\"cp cp-"), change_points);
    EXPECT_EQ(count_occurrences(r.dom, "class=\"median\""), model->series.size());
    EXPECT_EQ(count_occurrences(r.dom, "class=\"spread\""), model->series.size());
    EXPECT_GE(count_occurrences(r.dom, "class=\"band\""), model->series.size());
    EXPECT_EQ(count_occurrences(r.dom, "class=\"unit-label\""), model->series.size());
    // Units are scaled readably on the axes: the synthetic levels span ns to ms and items/s.
    EXPECT_NE(r.dom.find(">\u00b5s  \u2193 lower is better<"), std::string::npos);
    EXPECT_NE(r.dom.find(">ms  \u2193 lower is better<"), std::string::npos);
    EXPECT_NE(r.dom.find("M items/s  \u2191 higher is better<"), std::string::npos);
    // Change-point labels name the change, the commit and worse/better in words.
    EXPECT_NE(r.dom.find("\u25b2 +20.0% @ "), std::string::npos);
}

TEST_F(ReportInBrowser, TooltipShowsTheCommitAndLinksToIt) {
    // A series with a change point; pin the tooltip on the change point's run.
    std::size_t series = model->series.size();
    for (std::size_t i = 0; i < model->series.size() && series == model->series.size(); ++i)
        if (!model->series[i].change_points.empty()) series = i;
    ASSERT_LT(series, model->series.size());
    const auto run = model->series[series].change_points[0].position;
    const auto& r = model->commits[run];
    const auto dom = load("#point=" + std::to_string(series) + ":" + std::to_string(run)).dom;
    const auto start = dom.find("<div id=\"tooltip\"");
    ASSERT_NE(start, std::string::npos);
    const auto tip = dom.substr(start, dom.find("</div>", start) - start);
    EXPECT_EQ(tip.find(" hidden"), std::string::npos) << tip;
    EXPECT_NE(tip.find(r.commit.substr(0, 7)), std::string::npos);
    EXPECT_NE(tip.find(r.subject), std::string::npos);
    EXPECT_NE(tip.find("2024-05-01 " + std::string(run < 10 ? "0" : "") + std::to_string(run) +
                       ":00 UTC"),
              std::string::npos)
        << tip;
    EXPECT_NE(tip.find("change point: " +
                       core::format_change(model->series[series].change_points[0].change)),
              std::string::npos)
        << tip;
    EXPECT_NE(tip.find("href=\"https://github.com/example/project/commit/" + r.commit + "\""),
              std::string::npos);
    EXPECT_NE(tip.find("median "), std::string::npos);
    EXPECT_NE(tip.find("baseline "), std::string::npos);
}

TEST_F(ReportInBrowser, SortingAColumnChangesTheOrder) {
    const auto asc_dom = load("#sort=change&dir=asc").dom;
    const auto asc = row_series(asc_dom, true);
    // Expected: ascending by the change fraction (the default order is flagged_series()).
    auto expected = flagged_series(*model);
    std::vector<std::string> before;
    for (const auto i : expected) before.push_back("s-" + std::to_string(i));
    std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) {
        return *model->series[a].verdict->change < *model->series[b].verdict->change;
    });
    ASSERT_EQ(asc.size(), expected.size());
    EXPECT_NE(asc, before);
    for (std::size_t k = 0; k < asc.size(); ++k)
        EXPECT_EQ(asc[k], "s-" + std::to_string(expected[k]));
    EXPECT_NE(
        asc_dom.find("data-key=\"change\" data-type=\"num\" class=\"num\" aria-sort=\"ascending\""),
        std::string::npos);
    const auto desc = row_series(load("#sort=change&dir=desc").dom, true);
    EXPECT_EQ(desc, std::vector<std::string>(asc.rbegin(), asc.rend()));
}

TEST_F(ReportInBrowser, FilteringHidesRows) {
    const auto counts = count_verdicts(*model);
    const auto r = load("#status=improvement");
    const auto rows = tags(r.dom, "tr class=\"row-");
    std::size_t visible = 0;
    for (const auto& t : rows) {
        if (is_hidden(t)) {
            EXPECT_EQ(attribute(t, "data-status"), "regression");
        } else {
            EXPECT_EQ(attribute(t, "data-status"), "improvement");
            ++visible;
        }
    }
    EXPECT_EQ(visible, counts.improvements);
    EXPECT_NE(r.dom.find(std::to_string(counts.improvements) + " of " +
                         std::to_string(rows.size()) + " shown"),
              std::string::npos);

    const auto text = load("#filter=tensorflow%20compiled");
    std::size_t expected = 0;
    for (const auto i : flagged_series(*model)) {
        const auto& p = model->series[i].id.params;
        expected += p["framework"] == "tensorflow" && p["mode"] == "compiled";
    }
    EXPECT_EQ(row_series(text.dom, true).size(), expected);
    EXPECT_LT(expected, rows.size());
}

TEST_F(ReportInBrowser, PivotMarksOneBestCellPerRow) {
    const auto r = load();
    ASSERT_NE(r.dom.find("id=\"pivot-table\""), std::string::npos);
    const auto table = r.dom.substr(r.dom.find("id=\"pivot-table\""));
    const auto body = table.substr(0, table.find("</table>"));
    const std::size_t rows = count_occurrences(body, "<tr>") - 1;  // minus the header row
    ASSERT_GT(rows, 0u);
    EXPECT_EQ(count_occurrences(body, "class=\"num cell best\""), rows);
    EXPECT_EQ(count_occurrences(body, "\u2605 best"), rows);
    EXPECT_NE(body.find("framework=pytorch"), std::string::npos);  // columns by a param
}

TEST_F(ReportInBrowser, ScreenshotForPeopleToLookAt) {
    const auto png = *dir / "report.png";
    fs::remove(png);
    const auto r = testing::screenshot(testing::file_url(*dir / "report.html"), png, 1280, 2200);
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_TRUE(fs::exists(png));
    EXPECT_GT(fs::file_size(png), 50000u);  // a blank page is a few kB
    const std::string head = testing::read_file(png).substr(0, 8);
    EXPECT_EQ(head, "\x89PNG\r\n\x1a\n");
}

TEST(LargeReportInBrowser, ChartsAreDrawnOnlyNearTheViewport) {
    PERFTRACK_REQUIRE_CHROMIUM();
    testing::SyntheticSpec spec;
    spec.suites = 6;
    spec.benchmarks_per_suite = 4;
    const auto model = testing::synthetic_report(spec);  // 192 series
    ASSERT_EQ(model.series.size(), 192u);
    HtmlOptions options;
    options.open_all_suites_up_to = 1000;  // every suite open: the page is long
    const auto dir = testing::test_output_dir("browser");
    std::ofstream(dir / "large.html", std::ios::binary) << render_html(model, options);
    // A plain anchor scrolls to series 100, in the middle of the page.
    const auto r = testing::dump_dom(testing::file_url(dir / "large.html") + "#s-100");
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_TRUE(page_errors(r).empty());
    auto drawn = [&](int i) {
        return r.dom.find("data-i=\"" + std::to_string(i) + "\" data-drawn=\"1\"") !=
               std::string::npos;
    };
    EXPECT_TRUE(drawn(100));
    EXPECT_FALSE(drawn(0));
    EXPECT_FALSE(drawn(191));
    EXPECT_TRUE(drawn(101));  // its neighbour is in view too
    const std::size_t total = count_occurrences(r.dom, "<svg class=\"chart-svg\"");
    EXPECT_LT(total, 30u) << "charts far from the viewport should wait until scrolled to";
    EXPECT_EQ(count_occurrences(r.dom, "<article class=\"series\""), model.series.size());
}

TEST(HostileReportInBrowser, InjectedMarkupStaysText) {
    PERFTRACK_REQUIRE_CHROMIUM();
    const auto model = testing::hostile_report();
    const auto dir = testing::test_output_dir("browser");
    std::ofstream(dir / "hostile.html", std::ios::binary) << render_html(model);
    const auto r = testing::dump_dom(testing::file_url(dir / "hostile.html") + "#draw=all");
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_TRUE(page_errors(r).empty()) << (page_errors(r).empty() ? "" : page_errors(r).front());
    EXPECT_NE(r.dom.find("data-ready=\"1\""), std::string::npos);
    // No injected element: no <img>, no <b>/<i>, and the only scripts are the page's own two.
    EXPECT_EQ(r.dom.find("<img"), std::string::npos);
    EXPECT_EQ(r.dom.find("<b>"), std::string::npos);
    EXPECT_EQ(r.dom.find("<i>"), std::string::npos);
    EXPECT_EQ(count_occurrences(r.dom, "<script"), 2u);
    EXPECT_EQ(r.dom.find("onerror=\""), std::string::npos);
    // The text shows literally, in server-rendered parts and in parts the script built.
    EXPECT_GE(count_occurrences(r.dom, "&lt;img src=x onerror=alert(1)&gt;"),
              3u);  // table, chart title, alert
    EXPECT_NE(r.dom.find("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
              std::string::npos);
    EXPECT_NE(r.dom.find("Trend of &lt;img src=x onerror=alert(1)&gt;"),
              std::string::npos);  // aria-label
    EXPECT_NE(r.dom.find("Fix \"quotes\" &amp; 'apostrophes' &lt;in&gt; subject"),
              std::string::npos);
    EXPECT_NE(r.dom.find("&lt;b&gt;proj&lt;/b&gt;"), std::string::npos);
    EXPECT_NE(r.dom.find("&lt;script&gt;alert(3)&lt;/script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace perftrack::reports::render
