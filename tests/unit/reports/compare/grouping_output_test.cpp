// Which series perftrack compare sets side by side, and how the table reads in text, Markdown
// and JSON.
#include <gtest/gtest.h>

#include "core/display.hpp"
#include "reports/compare/compare_output.hpp"
#include "reports/compare/grouping.hpp"

namespace perftrack::reports::compare {
namespace {

core::Measurement measurement(const std::string& benchmark, core::Params params,
                              std::vector<double> samples,
                              const std::string& metric = "real_time") {
    core::Measurement m;
    m.series.suite = "ml";
    m.series.benchmark = benchmark;
    m.series.params = std::move(params);
    m.series.metric = metric;
    m.series.unit = "ns";
    m.samples = std::move(samples);
    return m;
}

TEST(CompareGrouping, RowsBySeriesAreTheSeriesInBothGroupsWithJoinedSamples) {
    const std::vector<core::Measurement> old_run = {
        measurement("a", {{"n", 1}}, {1, 2}), measurement("a", {{"n", 1}}, {3}),
        measurement("gone", {}, {1}), measurement("a", {{"n", 2}}, {5})};
    const std::vector<core::Measurement> new_run = {measurement("a", {{"n", 1}}, {4, 5}),
                                                    measurement("new", {}, {1}),
                                                    measurement("a", {{"n", 2}}, {6})};
    const auto g = rows_by_series(old_run, new_run);
    ASSERT_EQ(g.rows.size(), 2u);
    EXPECT_EQ(g.rows[0].series.params.dump(), R"({"n":1})");
    EXPECT_EQ(g.rows[0].reference, (std::vector<double>{1, 2, 3})) << "repeated series joined";
    EXPECT_EQ(g.rows[0].candidate, (std::vector<double>{4, 5}));
    EXPECT_EQ(g.rows[1].series.params.dump(), R"({"n":2})");
    EXPECT_EQ(g.only_reference, 1u);
    EXPECT_EQ(g.only_candidate, 1u);
}

TEST(CompareGrouping, RowsByParamPairEveryVariantWithItsReference) {
    const std::vector<core::Measurement> ms = {
        measurement("train", {{"mode", "eager"}, {"batch_size", 32}}, {10, 11}),
        measurement("train", {{"mode", "compile"}, {"batch_size", 32}}, {5, 6}),
        measurement("train", {{"mode", "script"}, {"batch_size", 32}}, {9}),
        measurement("train", {{"mode", "eager"}, {"batch_size", 64}}, {20}),
        measurement("train", {{"mode", "compile"}, {"batch_size", 8}}, {2}),  // no eager at 8
        measurement("other", {{"batch_size", 32}}, {1}),                      // no mode
    };
    auto g = rows_by_param(ms, "mode", "eager");
    ASSERT_TRUE(g) << g.error().message;
    ASSERT_EQ(g->rows.size(), 2u);
    EXPECT_EQ(g->rows[0].series.params.dump(), R"({"batch_size":32})") << "mode left out";
    EXPECT_EQ(g->rows[0].candidate_label, "mode=compile");
    EXPECT_EQ(g->rows[0].reference, (std::vector<double>{10, 11}));
    EXPECT_EQ(g->rows[0].candidate, (std::vector<double>{5, 6}));
    EXPECT_EQ(g->rows[1].candidate_label, "mode=script");
    EXPECT_EQ(g->only_candidate, 1u) << "compile at batch 8 has no eager";
    EXPECT_EQ(g->only_reference, 1u) << "eager at batch 64 has no other mode";

    auto numeric = rows_by_param(ms, "batch_size", "32");
    ASSERT_TRUE(numeric) << numeric.error().message;
    // eager at 64 against eager at 32, compile at 8 against compile at 32.
    ASSERT_EQ(numeric->rows.size(), 2u);
    EXPECT_EQ(numeric->rows[0].series.params.dump(), R"({"mode":"compile"})");
    EXPECT_EQ(numeric->rows[0].candidate_label, "batch_size=8");
    EXPECT_EQ(numeric->rows[1].candidate_label, "batch_size=64");

    auto missing = rows_by_param(ms, "mode", "xla");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message,
              "no series has mode=xla (values seen: compile, eager, script)");
    auto no_param = rows_by_param(ms, "framework", "pytorch");
    ASSERT_FALSE(no_param);
    EXPECT_EQ(no_param.error().message, "no series has the param 'framework'");
}

TEST(CompareGrouping, MeasurementsAtACommitJoinItsRunsAndRejectUnknownOrAmbiguousCommits) {
    store::History h;
    h.runs.resize(3);
    h.runs[0].commit = "aaaa1111";
    h.runs[1].commit = "aaaa1111";  // a second run of the same commit
    h.runs[2].commit = "aaaa2222";
    store::SeriesHistory s;
    s.id = measurement("a", {}, {}).series;
    s.points = {{0, {1, 2}}, {1, {3}}, {2, {9}}};
    h.series.push_back(s);
    auto ms = measurements_at_commit(h, "aaaa1111", "here");
    ASSERT_TRUE(ms) << ms.error().message;
    EXPECT_EQ(ms->commit, "aaaa1111");
    ASSERT_EQ(ms->measurements.size(), 1u);
    EXPECT_EQ(ms->measurements[0].samples, (std::vector<double>{1, 2, 3}));
    auto by_prefix = measurements_at_commit(h, "aaaa2", "here");
    ASSERT_TRUE(by_prefix);
    EXPECT_EQ(by_prefix->commit, "aaaa2222");
    EXPECT_EQ(by_prefix->measurements[0].samples, (std::vector<double>{9}));
    auto ambiguous = measurements_at_commit(h, "aaaa", "here");
    ASSERT_FALSE(ambiguous);
    EXPECT_EQ(ambiguous.error().message, "commit aaaa is ambiguous: aaaa1111 and 1 more (here)");
    auto unknown = measurements_at_commit(h, "bbbb", "project p");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().message, "no stored run at commit bbbb (project p)");
}

// Commits given by --commit when ingesting need not be shas: a short stored name matches
// exactly, while a short prefix is still refused.
TEST(CompareGrouping, AShortStoredCommitNameMatchesExactly) {
    store::History h;
    h.runs.resize(2);
    h.runs[0].commit = "c11";
    h.runs[1].commit = "c111";
    store::SeriesHistory s;
    s.id = measurement("a", {}, {}).series;
    s.points = {{0, {1}}, {1, {2}}};
    h.series.push_back(s);
    auto exact = measurements_at_commit(h, "c11", "here");
    ASSERT_TRUE(exact) << exact.error().message;
    EXPECT_EQ(exact->commit, "c11");
    EXPECT_EQ(exact->measurements[0].samples, (std::vector<double>{1}));
    auto prefix = measurements_at_commit(h, "c1", "here");
    ASSERT_FALSE(prefix);
    EXPECT_EQ(prefix.error().message, "commit 'c1': give at least 4 characters");
}

Comparison sample_comparison() {
    core::SeriesId slow;
    slow.benchmark = "BM_Sort|<b>";
    slow.params = {{"n", 1024}};
    slow.metric = "real_time";
    slow.unit = "ns";
    std::vector<double> ref, cand;
    for (int i = 0; i < 12; ++i) {
        ref.push_back(1000.0 + 2 * i);
        cand.push_back(1500.0 + 2 * i);
    }
    core::SeriesId single = slow;
    single.benchmark = "BM_One";
    auto c =
        compare_rows({RowInput{slow, "", ref, cand}, RowInput{single, "", {10.0}, {11.0}}}, {});
    EXPECT_TRUE(c);
    return *c;
}

TEST(CompareOutput, TextTableIsAlignedWithScaledUnitsAndVerdictWords) {
    const auto text = render_compare_text(sample_comparison(), {"old.json", "new.json"});
    EXPECT_NE(text.find("new.json against old.json: 2 rows, 1 worse, 0 better, 1 no significant "
                        "difference, 0 not compared"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("Hodges-Lehmann"), std::string::npos);
    EXPECT_NE(text.find("1.01 µs"), std::string::npos) << "medians in one scale:\n" << text;
    EXPECT_NE(text.find("1.51 µs"), std::string::npos) << text;
    // exp(median of log(1500 + 2j) - log(1000 + 2i)): a little under 1.5.
    EXPECT_NE(text.find("1.49x"), std::string::npos) << text;
    EXPECT_NE(text.find("slower"), std::string::npos);
    EXPECT_NE(text.find("[0, inf]"), std::string::npos) << "one sample each: unbounded\n" << text;
    // Every table line starts its "ratio" column at the same display column.
    std::vector<std::string> lines;
    for (std::size_t at = 0, next; at < text.size(); at = next + 1) {
        next = text.find('\n', at);
        lines.push_back(text.substr(at, next - at));
    }
    ASSERT_GE(lines.size(), 6u);
    const auto header_at = core::text_width(lines[3].substr(0, lines[3].find("ratio") + 5));
    EXPECT_EQ(core::text_width(lines[4].substr(0, lines[4].find("x ") + 1)), header_at) << text;
    EXPECT_EQ(core::text_width(lines[5].substr(0, lines[5].find("x ") + 1)), header_at) << text;
}

TEST(CompareOutput, MarkdownEscapesNames) {
    const auto md = render_compare_markdown(sample_comparison(), {"old.json", "new.json"});
    EXPECT_NE(md.find("BM\\_Sort\\|&lt;b&gt;"), std::string::npos) << md;
    EXPECT_EQ(md.find("<b>"), std::string::npos);
    EXPECT_NE(md.find("|---|---|--:|"), std::string::npos);
}

TEST(CompareOutput, JsonHasEveryFieldAndNullForUnboundedEnds) {
    const auto j = render_compare_json(sample_comparison(), {"old.json", "new.json"});
    EXPECT_EQ(j["reference"], "old.json");
    EXPECT_EQ(j["summary"]["worse"], 1);
    const auto& row = j["rows"][0];
    EXPECT_EQ(row["benchmark"], "BM_Sort|<b>");
    EXPECT_EQ(row["verdict"], "worse");
    EXPECT_EQ(row["verdict_words"], "slower");
    EXPECT_EQ(row["method"], "unpaired");
    EXPECT_EQ(row["reference"]["n"], 12);
    EXPECT_NEAR(row["ratio"].get<double>(), 1.5, 0.01);
    EXPECT_TRUE(row["ci"][0].is_number());
    EXPECT_TRUE(j["rows"][1]["ci"][1].is_null()) << "inf is no JSON number";
    EXPECT_EQ(j["rows"][1]["ci"][0], 0.0);
}

}  // namespace
}  // namespace perftrack::reports::compare
