// The report's variant tables on hand-built data with known answers: an exact 2x slowdown, an
// identical variant, one sample (too few for an interval), a framework without the reference
// mode, a failed variant, a missing one; the cells equal what compare_rows gives for the same
// rows, and names are escaped in the HTML.
#include "reports/render/variants_builder.hpp"

#include <gtest/gtest.h>

#include "reports/compare/grouping.hpp"
#include "reports/render/variants_html.hpp"
#include "reports/render/variants_json.hpp"

namespace perftrack::reports::render {
namespace {

core::Measurement measurement(const std::string& framework, const std::string& mode,
                              const std::string& model, std::vector<double> samples,
                              const std::string& metric = "step_time") {
    core::Measurement m;
    m.series.suite = "ml";
    m.series.benchmark = "train_step";
    m.series.params = {
        {"framework", framework}, {"mode", mode}, {"model", model}, {"batch_size", 32}};
    m.series.metric = metric;
    m.series.unit = metric == "throughput" ? "items/s" : "ns";
    m.series.direction = metric == "throughput" ? core::Direction::higher : core::Direction::lower;
    m.samples = std::move(samples);
    return m;
}

std::vector<double> ramp(double start, double step, int n = 10) {
    std::vector<double> x;
    for (int i = 0; i < n; ++i) x.push_back(start + step * i);
    return x;
}

struct Fixture {
    std::vector<core::Measurement> ms;
    std::vector<store::StoredFailure> failures;
};

Fixture ml_fixture() {
    Fixture f;
    f.ms.push_back(measurement("pytorch", "eager", "mlp", ramp(100, 1)));
    f.ms.push_back(measurement("pytorch", "torch.compile", "mlp", ramp(200, 2)));  // exactly 2x
    f.ms.push_back(measurement("pytorch", "torchscript", "mlp", ramp(100, 1)));    // identical
    f.ms.push_back(measurement("tensorflow", "eager", "mlp", ramp(100, 1)));
    f.ms.push_back(measurement("tensorflow", "xla", "mlp", {90}));  // one sample
    f.ms.push_back(measurement("jax", "jit", "mlp", ramp(50, 1)));  // no eager mode
    f.ms.push_back(measurement("pytorch", "eager", "cnn", ramp(300, 1)));
    // Not a variant: no framework param.
    core::Measurement plain = measurement("x", "eager", "mlp", ramp(1, 1));
    plain.series.params.erase("framework");
    f.ms.push_back(plain);
    store::StoredFailure failed;
    failed.commit = "c0ffee";
    failed.suite = "ml";
    failed.benchmark = "train_step";
    failed.params = {
        {"framework", "tensorflow"}, {"mode", "tflite"}, {"model", "mlp"}, {"batch_size", 32}};
    failed.message = "equivalence check failed: logits differ by 3.2";
    f.failures.push_back(failed);
    return f;
}

VariantsSection build(const Fixture& f, VariantsRequest r = {}) {
    auto s = build_variants(f.ms, f.failures, r, "c0ffee00", 1);
    EXPECT_TRUE(s) << s.error().message;
    return *s;
}

const VariantCell& cell(const VariantTable& t, const std::string& model,
                        const std::vector<std::string>& column) {
    for (const auto& row : t.rows) {
        if (row.params.at("model") != model) continue;
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            if (t.columns[i].values == column) return row.cells[i];
    }
    ADD_FAILURE() << "no cell " << model << " " << column[0] << "/" << column[1];
    static const VariantCell none;
    return none;
}

TEST(VariantsBuilder, ColumnsPutTheReferenceFirstInEachFramework) {
    const auto s = build(ml_fixture());
    ASSERT_TRUE(s.enabled);
    ASSERT_EQ(s.tables.size(), 1u);
    const auto& t = s.tables[0];
    EXPECT_EQ(t.metric, "step_time");
    EXPECT_EQ(t.anchor, "variants-step_time");
    std::vector<std::vector<std::string>> columns;
    for (const auto& c : t.columns) columns.push_back(c.values);
    EXPECT_EQ(columns, (std::vector<std::vector<std::string>>{{"jax", "jit"},
                                                              {"pytorch", "eager"},
                                                              {"pytorch", "torch.compile"},
                                                              {"pytorch", "torchscript"},
                                                              {"tensorflow", "eager"},
                                                              {"tensorflow", "tflite"},
                                                              {"tensorflow", "xla"}}));
    EXPECT_TRUE(t.columns[1].reference);
    EXPECT_FALSE(t.columns[2].reference);
    ASSERT_EQ(t.rows.size(), 2u) << "cnn and mlp; the series without a framework is left out";
    EXPECT_EQ(t.rows[0].params.at("model"), "cnn");
    EXPECT_FALSE(t.rows[0].params.contains("framework"));
    EXPECT_EQ(t.rows[0].params.at("batch_size"), 32);
}

TEST(VariantsBuilder, KnownAnswers) {
    const auto s = build(ml_fixture());
    const auto& t = s.tables[0];

    const auto& ref = cell(t, "mlp", {"pytorch", "eager"});
    EXPECT_EQ(ref.kind, VariantCellKind::reference);
    EXPECT_DOUBLE_EQ(*ref.median, 104.5);
    EXPECT_EQ(ref.n, 10u);

    const auto& compiled = cell(t, "mlp", {"pytorch", "torch.compile"});
    EXPECT_EQ(compiled.kind, VariantCellKind::compared);
    EXPECT_DOUBLE_EQ(*compiled.median, 209.0);
    ASSERT_TRUE(compiled.ratio);
    EXPECT_NEAR(*compiled.ratio, 2.0, 1e-12) << "every candidate is twice its reference";
    EXPECT_GT(compiled.ci_low, 1.8);
    EXPECT_LT(compiled.ci_high, 2.2);
    EXPECT_EQ(compiled.verdict, compare::Verdict::worse);
    EXPECT_EQ(compiled.verdict_words, "slower");
    EXPECT_FALSE(compiled.interval_unbounded);

    const auto& same = cell(t, "mlp", {"pytorch", "torchscript"});
    EXPECT_NEAR(*same.ratio, 1.0, 1e-12);
    EXPECT_EQ(same.verdict, compare::Verdict::no_difference);

    const auto& one = cell(t, "mlp", {"tensorflow", "xla"});
    EXPECT_EQ(one.kind, VariantCellKind::compared);
    EXPECT_EQ(one.n, 1u);
    EXPECT_TRUE(one.interval_unbounded) << "1 against 10 samples: no 95% interval";
    EXPECT_EQ(one.verdict, compare::Verdict::no_difference);

    const auto& jax = cell(t, "mlp", {"jax", "jit"});
    EXPECT_EQ(jax.kind, VariantCellKind::unreferenced);
    EXPECT_EQ(jax.note, "no eager reference");
    EXPECT_FALSE(jax.ratio);
    EXPECT_TRUE(jax.best) << "the lowest median of the row (54.5 ns)";
    int best = 0;
    for (const auto& c : t.rows[1].cells) best += c.best ? 1 : 0;
    EXPECT_EQ(best, 1);

    const auto& failed = cell(t, "mlp", {"tensorflow", "tflite"});
    EXPECT_EQ(failed.kind, VariantCellKind::failed);
    EXPECT_EQ(failed.failure, "equivalence check failed: logits differ by 3.2");

    const auto& missing = cell(t, "cnn", {"pytorch", "torch.compile"});
    EXPECT_EQ(missing.kind, VariantCellKind::missing);
    EXPECT_FALSE(cell(t, "cnn", {"pytorch", "eager"}).best) << "alone in its row";

    EXPECT_EQ(t.counts.worse, 1u);
    EXPECT_EQ(t.counts.no_difference, 2u);
    EXPECT_EQ(t.counts.better, 0u);
}

// The cells are compare's rows: the same ratios, intervals, p and q (one BH family per table).
TEST(VariantsBuilder, CellsEqualCompareRows) {
    const auto f = ml_fixture();
    const auto s = build(f);
    auto grouping = compare::rows_by_param(f.ms, "mode", "eager");
    ASSERT_TRUE(grouping);
    auto comparison = compare::compare_rows(grouping->rows, {});
    ASSERT_TRUE(comparison);
    ASSERT_EQ(comparison->rows.size(), 3u);
    for (const auto& row : comparison->rows) {
        const std::string mode = row.candidate_label.substr(std::string("mode=").size());
        const auto& c = cell(s.tables[0], row.series.params.at("model").get<std::string>(),
                             {row.series.params.at("framework").get<std::string>(), mode});
        EXPECT_EQ(c.ratio, row.ratio);
        EXPECT_EQ(c.ci_low, row.ci_low);
        EXPECT_EQ(c.ci_high, row.ci_high);
        EXPECT_EQ(c.p_value, row.p_value);
        EXPECT_EQ(c.q_value, row.q_value);
        EXPECT_EQ(c.verdict, row.verdict);
    }
}

TEST(VariantsBuilder, HigherIsBetterMetricsMarkTheLargestAndSayFaster) {
    Fixture f;
    f.ms.push_back(measurement("pytorch", "eager", "mlp", ramp(100, 1), "throughput"));
    f.ms.push_back(measurement("pytorch", "torch.compile", "mlp", ramp(200, 2), "throughput"));
    const auto s = build(f);
    const auto& c = cell(s.tables[0], "mlp", {"pytorch", "torch.compile"});
    EXPECT_EQ(c.verdict, compare::Verdict::better);
    EXPECT_EQ(c.verdict_words, "faster");
    EXPECT_TRUE(c.best);
}

TEST(VariantsBuilder, MetricsFollowTheRequestAndMissingOnesAreNoted) {
    Fixture f = ml_fixture();
    f.ms.push_back(measurement("pytorch", "eager", "mlp", ramp(100, 1), "throughput"));
    VariantsRequest r;
    r.metrics = {"throughput", "compile_time", "step_time"};
    const auto s = build(f, r);
    ASSERT_EQ(s.tables.size(), 2u);
    EXPECT_EQ(s.tables[0].metric, "throughput");
    EXPECT_EQ(s.tables[1].metric, "step_time");
    ASSERT_EQ(s.notes.size(), 1u);
    EXPECT_NE(s.notes[0].find("compile_time"), std::string::npos);
}

TEST(VariantsBuilder, NoSeriesWithTheParamsDisablesTheSection) {
    Fixture f = ml_fixture();
    VariantsRequest r;
    r.by = {"compiler", "mode"};
    const auto s = build(f, r);
    EXPECT_FALSE(s.enabled);
    std::string html;
    append_variants(html, s);
    EXPECT_EQ(html, "");
}

TEST(VariantsBuilder, RequestChecks) {
    VariantsRequest r;
    r.reference_param = "backend";
    EXPECT_FALSE(check_variants_request(r));
    r = {};
    r.by = {"mode", "mode"};
    EXPECT_FALSE(check_variants_request(r));
    EXPECT_TRUE(check_variants_request(VariantsRequest{}));
    EXPECT_FALSE(parse_variants_reference("eager"));
    EXPECT_FALSE(parse_variants_reference("mode="));
    EXPECT_EQ(parse_variants_reference("mode=a=b")->second, "a=b");
    EXPECT_FALSE(parse_variants_by("framework,,mode"));
    EXPECT_EQ(parse_variants_by("framework,mode")->size(), 2u);
    const auto bad = parse_variants_reference("eager");
    EXPECT_EQ(bad.error().kind, core::ErrorKind::usage);
}

TEST(VariantsBuilder, AnchorsAreSafeAndDistinct) {
    EXPECT_EQ(variants_anchor("p95_latency"), "variants-p95_latency");
    EXPECT_EQ(variants_anchor("a b\"<x>"), "variants-a.20b.22.3cx.3e");
    EXPECT_NE(variants_anchor("a.2e"), variants_anchor("a.."));
}

TEST(VariantsHtml, MarksAndEscaping) {
    Fixture f = ml_fixture();
    f.ms.push_back(measurement("<script>alert(1)</script>", "eager", "mlp", ramp(100, 1)));
    f.ms.push_back(
        measurement("<script>alert(1)</script>", "x\"><img src=x>", "mlp", ramp(120, 1)));
    f.failures[0].message = "</td><script>bad()</script>";
    const auto s = build(f);
    std::string html;
    append_variants(html, s);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("\u2717 failed:</span> &lt;/td&gt;&lt;script&gt;bad()"), std::string::npos);
    EXPECT_NE(html.find(">REF</span>"), std::string::npos);
    EXPECT_NE(html.find("\u25B2 slower"), std::string::npos);
    EXPECT_NE(html.find("= not significant"), std::string::npos);
    EXPECT_NE(html.find("too few samples for an interval"), std::string::npos);
    EXPECT_NE(html.find("no eager reference"), std::string::npos);
    EXPECT_NE(html.find("\u2605"), std::string::npos);
    EXPECT_NE(html.find("\u2014"), std::string::npos);
    EXPECT_NE(html.find("id=\"variants-step_time\""), std::string::npos);
    EXPECT_NE(html.find("href=\"#variants-step_time\""), std::string::npos);
}

TEST(VariantsJson, CarriesTheCells) {
    const auto s = build(ml_fixture());
    const auto j = variants_json(s);
    EXPECT_TRUE(j["enabled"].get<bool>());
    EXPECT_EQ(j["reference"]["value"], "eager");
    const auto& t = j["tables"][0];
    EXPECT_EQ(t["columns"][2]["values"]["mode"], "torch.compile");
    const auto& mlp = t["rows"][1];
    EXPECT_EQ(mlp["params"]["model"], "mlp");
    EXPECT_EQ(mlp["cells"][1]["kind"], "reference");
    EXPECT_EQ(mlp["cells"][2]["verdict"], "worse");
    EXPECT_NEAR(mlp["cells"][2]["ratio"].get<double>(), 2.0, 1e-12);
    EXPECT_TRUE(mlp["cells"][6]["ci"][1].is_null()) << "the unbounded end";
    EXPECT_EQ(mlp["cells"][5]["kind"], "failed");
}

}  // namespace
}  // namespace perftrack::reports::render
