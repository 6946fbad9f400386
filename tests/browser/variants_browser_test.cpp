// The report's variant tables in headless Chromium: the server-rendered tables, the metric
// selector the script adds (driven through "#variants=METRIC", since --dump-dom cannot click),
// the marks, hostile framework and mode names shown literally, no CSP violation or script
// error, and a screenshot for people to look at (<build>/test-output/browser/variants.png).
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "reports/render/html_report.hpp"
#include "reports/render/variants_builder.hpp"
#include "tests/support/headless_chromium.hpp"
#include "tests/support/synthetic_report.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text_search.hpp"

namespace perftrack::reports::render {
namespace {

namespace fs = std::filesystem;

const std::string k_hostile_framework = "<img src=x onerror=alert(1)>";
const std::string k_hostile_mode = "\"><script>alert(2)</script>";

core::Measurement measurement(const std::string& framework, const std::string& mode,
                              const std::string& model, const std::string& metric, double centre,
                              int n) {
    core::Measurement m;
    m.series.benchmark = metric == "step_time" ? "train_step" : "inference";
    m.series.params = {{"framework", framework},
                       {"mode", mode},
                       {"model", model},
                       {"batch_size", metric == "step_time" ? 32 : 1}};
    m.series.metric = metric;
    m.series.unit = "ns";
    // A fixed spread of +-2 % around the centre, in a stable order.
    for (int i = 0; i < n; ++i)
        m.samples.push_back(centre * (0.98 + 0.04 * static_cast<double>((i * 7) % n) / n));
    return m;
}

ReportModel variants_report() {
    auto model = testing::synthetic_report({});
    std::vector<core::Measurement> ms;
    for (const std::string model_name : {"mlp", "cnn"}) {
        const double scale = model_name == "mlp" ? 1.0 : 3.0;
        for (const std::string metric : {"step_time", "p95_latency"}) {
            const int n = metric == "step_time" ? 40 : 6;
            ms.push_back(measurement("pytorch", "eager", model_name, metric, 2e6 * scale, n));
            ms.push_back(
                measurement("pytorch", "torch.compile", model_name, metric, 1.5e6 * scale, n));
            ms.push_back(measurement("tensorflow", "eager", model_name, metric, 9e6 * scale, n));
            ms.push_back(
                measurement("tensorflow", "tf.function", model_name, metric, 2e6 * scale, n));
            ms.push_back(measurement("jax", "jit", model_name, metric, 1e6 * scale, n));
            ms.push_back(
                measurement(k_hostile_framework, "eager", model_name, metric, 4e6 * scale, n));
            ms.push_back(measurement(k_hostile_framework, k_hostile_mode, model_name, metric,
                                     5e6 * scale, n));
        }
    }
    store::StoredFailure failure;
    failure.benchmark = "inference";
    failure.params = {
        {"framework", "tensorflow"}, {"mode", "tflite"}, {"model", "mlp"}, {"batch_size", 1}};
    failure.message = "equivalence check failed: <b>logits</b> differ";
    VariantsRequest request;
    request.metrics = {"step_time", "p95_latency"};
    auto variants = build_variants(ms, {failure}, request, std::string(40, 'a'), 6);
    EXPECT_TRUE(variants);
    model.variants = *variants;
    return model;
}

using perftrack::testing::count_occurrences;

// The opening tag of the element with this id.
std::string tag_of(const std::string& dom, const std::string& id) {
    std::smatch m;
    if (std::regex_search(dom, m, std::regex("<[a-z]+ [^>]*id=\"" + id + "\"[^>]*>")))
        return m.str();
    return {};
}

class VariantsInBrowser : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir = new fs::path(testing::test_output_dir("browser"));
        std::ofstream(*dir / "variants.html", std::ios::binary) << render_html(variants_report());
    }
    static void TearDownTestSuite() {
        delete dir;
        dir = nullptr;
    }
    void SetUp() override { PERFTRACK_REQUIRE_CHROMIUM(); }
    static testing::BrowserResult load(const std::string& fragment) {
        auto r = testing::dump_dom(testing::file_url(*dir / "variants.html") + fragment);
        EXPECT_EQ(r.exit_code, 0);
        EXPECT_NE(r.dom.find("data-ready=\"1\""), std::string::npos)
            << "the page script did not finish";
        const auto errors = page_errors(r);
        EXPECT_TRUE(errors.empty()) << errors.front();
        return r;
    }
    static fs::path* dir;
};
fs::path* VariantsInBrowser::dir = nullptr;

TEST_F(VariantsInBrowser, SelectorShowsOneMetricAtATime) {
    const auto first = load("");
    EXPECT_EQ(tag_of(first.dom, "variants-picker").find("hidden"), std::string::npos)
        << "the script reveals the selector";
    EXPECT_EQ(tag_of(first.dom, "variants-step_time").find("hidden"), std::string::npos);
    EXPECT_NE(tag_of(first.dom, "variants-p95_latency").find("hidden"), std::string::npos);

    const auto p95 = load("#variants=p95_latency");
    EXPECT_NE(tag_of(p95.dom, "variants-step_time").find("hidden"), std::string::npos);
    EXPECT_EQ(tag_of(p95.dom, "variants-p95_latency").find("hidden"), std::string::npos);
    const auto anchored = load("#variants-p95_latency");
    EXPECT_EQ(tag_of(anchored.dom, "variants-p95_latency").find("hidden"), std::string::npos);
}

TEST_F(VariantsInBrowser, TablesCarryTheMarks) {
    const auto r = load("");
    EXPECT_EQ(count_occurrences(r.dom, "<table class=\"data variants-table\">"), 2u);
    // Two rows per table, one best cell each.
    EXPECT_EQ(count_occurrences(r.dom, "\u2605</span>"), 4u);
    EXPECT_GE(count_occurrences(r.dom, ">REF</span>"), 8u);
    EXPECT_NE(r.dom.find("\u25BC faster"), std::string::npos);
    EXPECT_NE(r.dom.find("\u25B2 slower"), std::string::npos);
    EXPECT_NE(r.dom.find("no eager reference"), std::string::npos);
    EXPECT_NE(r.dom.find("\u2717 failed:"), std::string::npos);
    EXPECT_NE(r.dom.find("\u2014"), std::string::npos);
    EXPECT_NE(r.dom.find("href=\"#variants\">Variants</a>"), std::string::npos);
}

TEST_F(VariantsInBrowser, HostileNamesStayText) {
    const auto r = load("");
    EXPECT_EQ(r.dom.find("<img"), std::string::npos);
    EXPECT_EQ(r.dom.find("<b>"), std::string::npos);
    EXPECT_EQ(count_occurrences(r.dom, "<script"), 2u) << "only the page's data and script";
    EXPECT_NE(r.dom.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
    EXPECT_NE(r.dom.find("\"&gt;&lt;script&gt;alert(2)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(r.dom.find("&lt;b&gt;logits&lt;/b&gt;"), std::string::npos);
}

TEST_F(VariantsInBrowser, Screenshot) {
    for (const std::string metric : {"step_time", "p95_latency"}) {
        const auto png = *dir / ("variants-" + metric + ".png");
        fs::remove(png);
        const auto r = testing::screenshot(
            testing::file_url(*dir / "variants.html") + "#variants=" + metric, png, 1280, 1800);
        EXPECT_EQ(r.exit_code, 0);
        ASSERT_TRUE(fs::exists(png));
        EXPECT_GT(fs::file_size(png), 50000u);  // a blank page is a few kB
    }
}

}  // namespace
}  // namespace perftrack::reports::render
