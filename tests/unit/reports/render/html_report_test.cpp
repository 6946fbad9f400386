// Golden-structure tests of the HTML report: element counts, ids, the CSP and the embedded data,
// rather than byte snapshots (which would break on every style tweak and test nothing specific).
#include "reports/render/html_report.hpp"

#include <cmath>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/render/chart_data.hpp"
#include "reports/render/encoding.hpp"
#include "reports/render/html_assets.hpp"
#include "tests/support/chart_decoding.hpp"
#include "tests/support/synthetic_report.hpp"
#include "tests/support/text_search.hpp"

namespace perftrack::reports::render {
namespace {

using perftrack::testing::count_occurrences;

std::string between(const std::string& text, const std::string& open, const std::string& close) {
    const auto start = text.find(open);
    if (start == std::string::npos) return {};
    const auto end = text.find(close, start + open.size());
    if (end == std::string::npos) return {};
    return text.substr(start + open.size(), end - start - open.size());
}

std::vector<std::string> all_matches(const std::string& text, const std::string& pattern) {
    std::vector<std::string> out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it)
        out.push_back((*it)[1].str());
    return out;
}

nlohmann::json embedded_data(const std::string& html) {
    return nlohmann::json::parse(
        between(html, "<script type=\"application/json\" id=\"report-data\">", "</script>"));
}

std::vector<std::int64_t> running_sum(const std::vector<std::int64_t>& d) {
    std::vector<std::int64_t> out;
    std::int64_t acc = 0;
    for (auto v : d) out.push_back(acc += v);
    return out;
}

class HtmlReport : public ::testing::Test {
  protected:
    testing::SyntheticSpec spec;
    ReportModel model = testing::synthetic_report(spec);
    std::string html = render_html(model);
};

TEST_F(HtmlReport, IsOneSelfContainedDocument) {
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
    EXPECT_EQ(count_occurrences(html, "<script"), 2u);  // the data block and the one script
    EXPECT_EQ(count_occurrences(html, "<style"), 1u);
    // No reference to anything outside the file.
    EXPECT_EQ(count_occurrences(html, " src="), 0u);
    EXPECT_EQ(count_occurrences(html, "<link"), 0u);
    EXPECT_EQ(count_occurrences(html, "@import"), 0u);
    EXPECT_EQ(count_occurrences(html, "url("), 0u);
    EXPECT_EQ(count_occurrences(html, " style=\""), 0u);  // the CSP forbids inline style attributes
    EXPECT_EQ(count_occurrences(html, " on"),
              count_occurrences(html, " only") + count_occurrences(html, " one") +
                  count_occurrences(html, " on ") +
                  count_occurrences(html, " once"));  // no inline event handlers
}

TEST_F(HtmlReport, ContentSecurityPolicyComesFirstAndHashesTheInlineCode) {
    const auto head = between(html, "<head>\n", "</head>");
    ASSERT_FALSE(head.empty());
    EXPECT_EQ(head.find("<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\""),
              0u);
    const std::string policy =
        between(html, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
    EXPECT_NE(policy.find("default-src &#39;none&#39;"), std::string::npos);
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos);
    const std::string script = between(html, "</script>\n<script>", "</script>");
    const std::string style = between(html, "<style>", "</style>");
    ASSERT_FALSE(script.empty());
    ASSERT_FALSE(style.empty());
    EXPECT_EQ(script, std::string(report_js()));
    auto quoted = [](std::string s) { return std::regex_replace(s, std::regex("'"), "&#39;"); };
    // The hashes the build computed (cmake/EmbedAssets.cmake) against OpenSSL's.
    EXPECT_EQ(report_js_csp_source(), testing::csp_hash_source(script));
    EXPECT_EQ(report_css_csp_source(), testing::csp_hash_source(style));
    EXPECT_NE(policy.find("script-src " + quoted(testing::csp_hash_source(script))),
              std::string::npos);
    EXPECT_NE(policy.find("style-src " + quoted(testing::csp_hash_source(style))),
              std::string::npos);
    EXPECT_EQ(script.find('\r'), std::string::npos);
    EXPECT_EQ(style.find('\r'), std::string::npos);
}

TEST_F(HtmlReport, OneArticleAndChartContainerPerSeriesWithUniqueIds) {
    const auto ids = all_matches(html, "<article class=\"series\" id=\"(s-[0-9]+)\"");
    ASSERT_EQ(ids.size(), model.series.size());
    for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], "s-" + std::to_string(i));
    EXPECT_EQ(count_occurrences(html, "<div class=\"chart\" data-i=\""), model.series.size());
    const auto all_ids = all_matches(html, " id=\"([^\"]+)\"");
    const std::set<std::string> unique(all_ids.begin(), all_ids.end());
    EXPECT_EQ(unique.size(), all_ids.size()) << "duplicate id";
    for (const char* id : {"verdict", "trends", "compare", "alerts", "flagged", "flagged-filter",
                           "flagged-status", "series-search", "pivot", "tooltip", "report-data"})
        EXPECT_EQ(unique.count(id), 1u) << id;
}

TEST_F(HtmlReport, SuitesAreCollapsibleSections) {
    EXPECT_EQ(count_occurrences(html, "<details class=\"suite\""), spec.suites);
    // 48 series <= the default threshold of 60: every suite starts open.
    EXPECT_EQ(count_occurrences(html, "<details class=\"suite\" id=\"suite-0\" open>"), 1u);
    HtmlOptions options;
    options.open_all_suites_up_to = 10;
    auto quiet = testing::synthetic_report(spec);
    for (auto& s : quiet.series) s.verdict.reset();
    // Nothing flagged: only the first suite opens, so some charts are in view.
    const auto collapsed = render_html(quiet, options);
    EXPECT_EQ(count_occurrences(collapsed, "<details class=\"suite\" id=\"suite-0\" open>"), 1u);
    EXPECT_EQ(count_occurrences(collapsed, " open>"), 1u);
    // Something flagged: exactly the suites holding flagged series open.
    const auto flagged_view = render_html(model, options);
    std::set<std::string> flagged_suites;
    for (const auto i : flagged_series(model)) flagged_suites.insert(model.series[i].id.suite);
    ASSERT_FALSE(flagged_suites.empty());
    EXPECT_EQ(count_occurrences(flagged_view, "<details class=\"suite\""), spec.suites);
    std::size_t open = 0;
    for (std::size_t k = 0; k < spec.suites; ++k)
        open += count_occurrences(flagged_view, fmt::format("id=\"suite-{}\" open>", k));
    EXPECT_EQ(open, flagged_suites.size());
}

TEST_F(HtmlReport, FlaggedTableRowsMatchTheModel) {
    const auto flagged = flagged_series(model);
    ASSERT_FALSE(flagged.empty());
    const auto rows = all_matches(
        html, "<tr class=\"row-[a-z]+\" data-status=\"[a-z]+\" data-series=\"(s-[0-9]+)\"");
    ASSERT_EQ(rows.size(), flagged.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
        EXPECT_EQ(rows[k], "s-" + std::to_string(flagged[k]));
    const auto counts = count_verdicts(model);
    const auto cards = all_matches(html, "data-count=\"([0-9]+)\"");
    ASSERT_EQ(cards.size(), 5u);
    EXPECT_EQ(cards[0], std::to_string(counts.regressions));
    EXPECT_EQ(cards[1], std::to_string(counts.improvements));
    EXPECT_EQ(cards[2], std::to_string(counts.unchanged));
    EXPECT_EQ(cards[3], std::to_string(counts.insufficient_data));
    EXPECT_EQ(cards[4], std::to_string(counts.new_series));
    // Words and arrows, not colour alone.
    EXPECT_EQ(count_occurrences(html, "</span> regression</span>"),
              counts.regressions * 2);  // table + chart title
    EXPECT_GE(count_occurrences(html, "\u25B2 +"), 1u);
}

TEST_F(HtmlReport, EmbeddedDataDecodesToTheModel) {
    const auto data = embedded_data(html);
    ASSERT_EQ(data["series"].size(), model.series.size());
    ASSERT_EQ(data["commits"]["sha"].size(), model.commits.size());
    EXPECT_EQ(data["commits"]["sha"][3], model.commits[3].commit);
    EXPECT_EQ(data["commits"]["time"][3], model.commits[3].commit_time_us / 1000000);
    EXPECT_EQ(data["commitUrl"], model.header.commit_url_template);
    for (std::size_t i = 0; i < model.series.size(); ++i) {
        const auto& s = model.series[i];
        const auto& d = data["series"][i];
        EXPECT_EQ(d["bench"], s.id.benchmark);
        EXPECT_EQ(d["params"], s.id.params);
        const double step = std::pow(10.0, d["qe"].get<int>());
        std::vector<std::int64_t> runs;
        const auto stretches = *testing::decode_varints(d["at"].get<std::string>());
        for (std::size_t k = 0, next = 0; k < stretches.size(); ++k) {
            if (k % 2 == 0) {
                next += static_cast<std::size_t>(stretches[k]);
                continue;
            }
            for (std::int64_t c = 0; c < stretches[k]; ++c)
                runs.push_back(static_cast<std::int64_t>(next++));
        }
        const auto med = running_sum(*testing::decode_varints(d["med"].get<std::string>()));
        const auto lo = *testing::decode_varints(d["lo"].get<std::string>());
        const auto hi = *testing::decode_varints(d["hi"].get<std::string>());
        ASSERT_EQ(med.size(), s.points.size());
        std::size_t with_band = 0;
        for (std::size_t k = 0; k < s.points.size(); ++k) {
            EXPECT_EQ(runs[k], s.points[k].position);
            // Quantised to 4 significant digits of the series' largest value.
            EXPECT_NEAR(static_cast<double>(med[k]) * step, s.points[k].median, step);
            EXPECT_NEAR(static_cast<double>(med[k] - lo[k]) * step, s.points[k].min, 1.5 * step);
            EXPECT_NEAR(static_cast<double>(med[k] + hi[k]) * step, s.points[k].max, 1.5 * step);
            if (s.points[k].baseline) ++with_band;
        }
        const auto band_at = *testing::decode_varints(d["bandAt"].get<std::string>());
        std::int64_t total = 0, present = 0;
        for (std::size_t k = 0; k < band_at.size(); ++k) {
            total += band_at[k];
            if (k % 2 == 1) present += band_at[k];
        }
        EXPECT_EQ(total, static_cast<std::int64_t>(s.points.size()));
        EXPECT_EQ(present, static_cast<std::int64_t>(with_band));
        EXPECT_EQ(testing::decode_varints(d["bandMed"].get<std::string>())->size(), with_band);
        ASSERT_EQ(d["cps"].size(), s.change_points.size());
        for (std::size_t k = 0; k < s.change_points.size(); ++k) {
            EXPECT_EQ(d["cps"][k][0], s.change_points[k].position);
            EXPECT_DOUBLE_EQ(d["cps"][k][1].get<double>(), s.change_points[k].change);
        }
    }
    ASSERT_EQ(data["comparisons"].size(), model.comparisons.size());
    EXPECT_EQ(data["comparisons"][0]["entries"].size(), model.comparisons[0].entries.size());
}

TEST_F(HtmlReport, IsDeterministic) {
    EXPECT_EQ(render_html(model), html);
    EXPECT_NE(html.find("2024-05-02 17:00 UTC"), std::string::npos);  // the injected time
}

TEST_F(HtmlReport, CommitLinksUseTheTemplate) {
    const std::string last = model.commits.back().commit;
    EXPECT_NE(html.find("href=\"https://github.com/example/project/commit/" + last + "\""),
              std::string::npos);
    model.header.commit_url_template = "javascript:alert(1)//{sha}";
    const auto unsafe = render_html(model);
    EXPECT_EQ(unsafe.find("javascript:"), std::string::npos);
    EXPECT_EQ(embedded_data(unsafe)["commitUrl"], "");
}

TEST_F(HtmlReport, LazyChartsCanBeTurnedOff) {
    EXPECT_NE(html.find("<body data-lazy=\"1\">"), std::string::npos);
    HtmlOptions options;
    options.lazy_charts = false;
    EXPECT_NE(render_html(model, options).find("<body data-lazy=\"0\">"), std::string::npos);
}

TEST(HtmlReportHostile, UntrustedTextIsEscapedEverywhere) {
    const auto model = testing::hostile_report();
    const auto html = render_html(model);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>"), std::string::npos);
    EXPECT_EQ(html.find("<i>"), std::string::npos);
    EXPECT_EQ(html.find("<!--"), std::string::npos);
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_EQ(html.find("</script><script>"), std::string::npos);
    EXPECT_EQ(count_occurrences(html, "<script"), 2u);
    EXPECT_EQ(html.find("\xE2\x80\xA8"), std::string::npos);  // U+2028 only as \u2028 in data
    EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
    EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("&quot;&#39;&amp;&lt;&gt;"), std::string::npos);  // the testbed
    // The data still carries the exact text for the script to show.
    const auto data = embedded_data(html);
    EXPECT_EQ(data["series"][0]["bench"], "<img src=x onerror=alert(1)>");
    EXPECT_EQ(data["series"][0]["params"]["mode"], "</script><script>alert(2)</script>");
    EXPECT_EQ(data["commits"]["subject"][0], model.commits[0].subject);
}

TEST(HtmlReportEmpty, RendersWithoutRunsOrSeries) {
    ReportModel m;
    m.header.project = "empty";
    m.verdict.note = "No runs of main on this testbed yet.";
    const auto html = render_html(m);
    EXPECT_NE(html.find("No runs of main on this testbed yet."), std::string::npos);
    EXPECT_NE(html.find("No series in this report."), std::string::npos);
    EXPECT_NE(html.find("Nothing to compare"), std::string::npos);
    EXPECT_NE(html.find("This store keeps no alerts."), std::string::npos);
    EXPECT_EQ(embedded_data(html)["series"].size(), 0u);
}

TEST(HtmlReportAlerts, OneRowPerAlert) {
    const auto model = testing::synthetic_report({});
    ASSERT_EQ(model.alerts.items.size(), 2u);
    const auto html = render_html(model);
    EXPECT_EQ(count_occurrences(html, "<tr data-state=\"open\">"), 1u);
    EXPECT_EQ(count_occurrences(html, "<tr data-state=\"resolved\">"), 1u);
}

TEST(ChartData, QuantisationKeepsFourSignificantDigits) {
    EXPECT_EQ(quantisation_exponent(1234.5, 800), 0);
    EXPECT_EQ(quantisation_exponent(9999, 5000), 0);
    EXPECT_EQ(quantisation_exponent(10000, 9000), 1);
    EXPECT_EQ(quantisation_exponent(0.0123, 0.01), -5);
    EXPECT_EQ(quantisation_exponent(0, 0), 0);
}

TEST(ChartData, AStableSeriesGetsAtLeastAHundredLevels) {
    // 1000.0 .. 1010.0 at 4 digits would be 10 levels (a staircase); 0.1 steps give 100.
    EXPECT_EQ(quantisation_exponent(1010, 10), -1);
    EXPECT_EQ(quantisation_exponent(1000.4, 0.4), -3);
    EXPECT_EQ(quantisation_exponent(5, 0), -3);  // a constant series
}

TEST(ChartData, RunsAreRunLengthCoded) {
    ReportModel m;
    for (int r = 0; r < 10; ++r) m.commits.push_back({"c" + std::to_string(r), "", 0, 1, false});
    SeriesReport full, gaps;
    for (std::uint32_t r = 0; r < 10; ++r)
        full.points.push_back({r, 1, 1, 1, 1, 1, 1, std::nullopt});
    for (std::uint32_t r : {3u, 4u, 5u, 8u})
        gaps.points.push_back({r, 1, 1, 1, 1, 1, 1, std::nullopt});
    m.series = {full, gaps};
    const auto data = chart_data(m);
    EXPECT_EQ(*testing::decode_varints(data["series"][0]["at"].get<std::string>()),
              (std::vector<std::int64_t>{0, 10}));
    EXPECT_EQ(*testing::decode_varints(data["series"][1]["at"].get<std::string>()),
              (std::vector<std::int64_t>{3, 3, 2, 1}));
}

}  // namespace
}  // namespace perftrack::reports::render
