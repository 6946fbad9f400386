#include "reports/render/json_report.hpp"

#include <limits>

#include <gtest/gtest.h>

#include "tests/support/synthetic_report.hpp"

namespace perftrack::reports::render {
namespace {

TEST(JsonReport, CarriesTheDesignContract) {
    const auto model = testing::synthetic_report({});
    const auto j = nlohmann::json::parse(render_json(model));
    ASSERT_TRUE(j["series"].is_array());
    ASSERT_EQ(j["series"].size(), model.series.size());
    for (std::size_t i = 0; i < model.series.size(); ++i) {
        const auto& s = j["series"][i];
        EXPECT_EQ(s["benchmark"], model.series[i].id.benchmark);
        EXPECT_EQ(s["params"], model.series[i].id.params);
        EXPECT_EQ(s["metric"], model.series[i].id.metric);
        ASSERT_EQ(s["points"].size(), model.series[i].points.size());
        ASSERT_EQ(s["change_points"].size(), model.series[i].change_points.size());
        for (std::size_t k = 0; k < model.series[i].change_points.size(); ++k) {
            const auto& cp = s["change_points"][k];
            EXPECT_EQ(cp["commit"],
                      model.commits[model.series[i].change_points[k].position].commit);
            EXPECT_EQ(cp["change"], model.series[i].change_points[k].change);
            EXPECT_TRUE(cp.contains("p_value"));
        }
    }
    const auto& p = j["series"][0]["points"][10];
    EXPECT_EQ(p["commit"], model.commits[10].commit);
    EXPECT_EQ(p["median"], model.series[0].points[10].median);
    EXPECT_EQ(p["baseline"]["commits"], 10);
    EXPECT_EQ(p["commit_time"], "2024-05-01T10:00:00Z");
    EXPECT_EQ(p["runs"], 1);
    EXPECT_GT(p["value"].get<double>(), 0);
}

TEST(JsonReport, SameContentAsThePage) {
    const auto model = testing::synthetic_report({});
    const auto j = nlohmann::json::parse(render_json(model));
    const auto counts = count_verdicts(model);
    EXPECT_EQ(j["verdicts"]["summary"]["regression"], counts.regressions);
    EXPECT_EQ(j["verdicts"]["commit"], model.commits.back().commit);
    EXPECT_EQ(j["verdicts"]["flagged"].size(), flagged_series(model).size());
    EXPECT_EQ(j["comparisons"].size(), model.comparisons.size());
    EXPECT_EQ(j["alerts"]["items"].size(), model.alerts.items.size());
    EXPECT_EQ(j["generated_at"], "2024-05-02T17:00:00Z");
    EXPECT_EQ(j["commits"][0]["commit_time"], "2024-05-01T00:00:00Z");
    EXPECT_EQ(j["testbed"], "ci-x86");
}

TEST(JsonReport, NonFiniteNumbersBecomeNull) {
    ReportModel m;
    m.commits.push_back({"abc", "s", 0, 1, false});
    SeriesReport s;
    s.id.benchmark = "b";
    s.points.push_back({0, std::numeric_limits<double>::infinity(), 1, 2, 3, 0, 1, std::nullopt});
    Verdict v;
    v.change = std::numeric_limits<double>::quiet_NaN();
    s.verdict = v;
    m.series.push_back(s);
    const auto j = nlohmann::json::parse(render_json(m));
    EXPECT_TRUE(j["series"][0]["points"][0]["median"].is_null());
    EXPECT_TRUE(j["series"][0]["points"][0]["baseline"].is_null());
    EXPECT_TRUE(j["series"][0]["verdict"]["change"].is_null());
}

TEST(JsonReport, IsDeterministicAndValidUtf8) {
    auto model = testing::hostile_report();
    model.series[0].id.benchmark += "\xFF";
    const auto a = render_json(model);
    EXPECT_EQ(a, render_json(model));
    const auto j = nlohmann::json::parse(a);  // would throw on invalid UTF-8
    EXPECT_EQ(j["series"][0]["benchmark"], "<img src=x onerror=alert(1)>\xEF\xBF\xBD");
}

}  // namespace
}  // namespace perftrack::reports::render
