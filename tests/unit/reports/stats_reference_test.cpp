// The statistics functions against reference values computed once with scipy 1.10
// (tests/fixtures/stats/make_reference.py -> reference.json).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/stats/bootstrap.hpp"
#include "reports/stats/descriptive.hpp"
#include "reports/stats/distributions.hpp"
#include "reports/stats/fdr.hpp"
#include "reports/stats/hodges_lehmann.hpp"
#include "reports/stats/rank_tests.hpp"
#include "reports/stats/t_tests.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::reports::stats {
namespace {

using nlohmann::json;

const json& reference() {
    static const json doc =
        json::parse(testing::read_file(testing::project_fixture("stats/reference.json")));
    return doc;
}

std::vector<double> values(const json& j) {
    return j.get<std::vector<double>>();
}

Alternative alternative(const json& j) {
    const auto s = j.get<std::string>();
    if (s == "less") return Alternative::less;
    if (s == "greater") return Alternative::greater;
    return Alternative::two_sided;
}

// Relative agreement to ~1e-10, absolute near zero: the references are double precision.
void expect_close(double actual, double expected, const std::string& what, double rel = 1e-10) {
    const double tol = std::max(rel * std::fabs(expected), 1e-300);
    EXPECT_NEAR(actual, expected, std::max(tol, rel * 1e-6)) << what;
}

TEST(StatsReference, Descriptive) {
    for (const auto& c : reference()["descriptive"]) {
        const auto x = values(c["x"]);
        const std::string name = c["name"];
        expect_close(*mean(x), c["mean"], name + " mean");
        expect_close(*median(x), c["median"], name + " median");
        expect_close(*mad(x), c["mad"], name + " mad");
        expect_close(*mad(x, k_mad_normal_scale), c["mad_normal"], name + " mad normal");
        if (c.contains("variance")) {
            expect_close(*variance(x), c["variance"], name + " variance");
            expect_close(*stddev(x), c["stddev"], name + " stddev");
        } else {
            EXPECT_FALSE(variance(x)) << name;
        }
        for (const auto& [p, v] : c["trim_mean"].items())
            expect_close(*trimmed_mean(x, std::stod(p)), v, name + " trim_mean " + p);
    }
}

TEST(StatsReference, MannWhitney) {
    for (const auto& c : reference()["mann_whitney"]) {
        const std::string what =
            c["name"].get<std::string>() + " " + c["alternative"].get<std::string>();
        auto r = mann_whitney_u(values(c["x"]), values(c["y"]), alternative(c["alternative"]));
        ASSERT_TRUE(r) << what;
        expect_close(r->u, c["u"], what + " U");
        expect_close(r->p_value, c["p"], what + " p", 1e-9);
    }
}

TEST(StatsReference, MannWhitneyMethodChoice) {
    // Exact below 9 values on one side without ties, the approximation otherwise.
    std::vector<double> a{1, 2, 3}, b{4, 5, 6, 7}, tied{3, 4, 5};
    EXPECT_EQ(mann_whitney_u(a, b)->method, PValueMethod::exact);
    EXPECT_EQ(mann_whitney_u(a, tied)->method, PValueMethod::normal_approximation);
    std::vector<double> nine(9), ten(10);
    for (std::size_t i = 0; i < 9; ++i) nine[i] = static_cast<double>(i);
    for (std::size_t i = 0; i < 10; ++i) ten[i] = 100.0 + static_cast<double>(i);
    EXPECT_EQ(mann_whitney_u(nine, ten)->method, PValueMethod::normal_approximation);
}

TEST(StatsReference, Wilcoxon) {
    for (const auto& c : reference()["wilcoxon"]) {
        const std::string what =
            c["name"].get<std::string>() + " " + c["alternative"].get<std::string>();
        auto r = wilcoxon_signed_rank(values(c["d"]), alternative(c["alternative"]));
        ASSERT_TRUE(r) << what;
        expect_close(r->statistic, c["statistic"], what + " statistic");
        expect_close(r->p_value, c["p"], what + " p", 1e-9);
    }
}

TEST(StatsReference, TTests) {
    for (const auto& c : reference()["t_tests"]) {
        const bool equal = c["equal_var"];
        const std::string what = c["name"].get<std::string>() + (equal ? " student " : " welch ") +
                                 c["alternative"].get<std::string>();
        const auto x = values(c["x"]), y = values(c["y"]);
        auto r = equal ? student_t_test(x, y, alternative(c["alternative"]))
                       : welch_t_test(x, y, alternative(c["alternative"]));
        ASSERT_TRUE(r) << what;
        expect_close(r->t, c["t"], what + " t");
        expect_close(r->df, c["df"], what + " df");
        expect_close(r->p_value, c["p"], what + " p", 1e-9);
        expect_close(r->ci_low, c["ci"][0], what + " ci low", 1e-9);
        expect_close(r->ci_high, c["ci"][1], what + " ci high", 1e-9);
    }
}

void expect_interval(const ShiftEstimate& r, const json& c, const std::string& what) {
    expect_close(r.estimate, c["estimate"], what + " estimate");
    if (c["ci"][0].is_null()) {
        EXPECT_EQ(r.ci_low, -std::numeric_limits<double>::infinity()) << what;
        EXPECT_EQ(r.ci_high, std::numeric_limits<double>::infinity()) << what;
    } else {
        expect_close(r.ci_low, c["ci"][0], what + " ci low");
        expect_close(r.ci_high, c["ci"][1], what + " ci high");
    }
}

TEST(StatsReference, HodgesLehmann) {
    for (const auto& c : reference()["hodges_lehmann"]) {
        const std::string what = c["name"].get<std::string>() + " " + c["confidence"].dump();
        auto r =
            hodges_lehmann_shift(values(c["baseline"]), values(c["candidate"]), c["confidence"]);
        ASSERT_TRUE(r) << what;
        expect_interval(*r, c, what);
    }
    for (const auto& c : reference()["hodges_lehmann_paired"]) {
        const std::string what = c["name"].get<std::string>() + " " + c["confidence"].dump();
        auto r = hodges_lehmann_paired(values(c["d"]), c["confidence"]);
        ASSERT_TRUE(r) << what;
        expect_interval(*r, c, what);
    }
}

TEST(StatsReference, Distributions) {
    for (const auto& c : reference()["distributions"]["normal"]) {
        if (c.contains("x")) {
            const double x = c["x"];
            expect_close(normal_cdf(x), c["cdf"], "normal cdf " + c["x"].dump(), 1e-12);
            expect_close(normal_sf(x), c["sf"], "normal sf " + c["x"].dump(), 1e-12);
            expect_close(normal_pdf(x), c["pdf"], "normal pdf " + c["x"].dump(), 1e-12);
        } else {
            expect_close(normal_quantile(c["p"]), c["ppf"], "normal ppf " + c["p"].dump(), 1e-12);
        }
    }
    for (const auto& c : reference()["distributions"]["t"]) {
        const double df = c["df"];
        const std::string what = "t df=" + c["df"].dump();
        if (c.contains("x")) {
            const double x = c["x"];
            expect_close(students_t_cdf(x, df), c["cdf"], what + " cdf " + c["x"].dump(), 1e-11);
            expect_close(students_t_sf(x, df), c["sf"], what + " sf " + c["x"].dump(), 1e-11);
            expect_close(students_t_pdf(x, df), c["pdf"], what + " pdf " + c["x"].dump(), 1e-11);
        } else {
            // scipy's t.ppf (cephes stdtrit) is only good to ~1e-9 (its df = 1 quantile misses
            // tan(pi (p - 1/2)) in the 11th digit), so compare loosely and check the inverse.
            const double p = c["p"];
            const double q = students_t_quantile(p, df);
            EXPECT_NEAR(q, c["ppf"].get<double>(), 1e-8 * std::max(1.0, std::fabs(q)))
                << what << " ppf " << c["p"].dump();
            expect_close(students_t_cdf(q, df), p, what + " cdf(ppf) " + c["p"].dump(), 1e-12);
        }
    }
}

TEST(StatsReference, BenjaminiHochberg) {
    for (const auto& c : reference()["benjamini_hochberg"]) {
        auto q = benjamini_hochberg(values(c["p"]));
        ASSERT_TRUE(q) << c["name"];
        const auto expected = values(c["q"]);
        ASSERT_EQ(q->size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            expect_close((*q)[i], expected[i],
                         c["name"].get<std::string>() + " q" + std::to_string(i));
    }
}

TEST(StatsReference, BootstrapAgreesWithScipyWithinMonteCarloError) {
    // Different generators cannot give the same resamples; with 200,000 (scipy) and 50,000
    // (ours) resamples both percentile intervals are within a few thousandths of each other.
    const auto& c = reference()["bootstrap"];
    const auto x = values(c["x"]);
    BootstrapOptions o;
    o.resamples = 50000;
    auto r = bootstrap_ci(
        x, [](std::span<const double> s) { return *mean(s); }, o);
    ASSERT_TRUE(r);
    expect_close(r->estimate, c["mean"], "bootstrap estimate");
    const double width = c["ci"][1].get<double>() - c["ci"][0].get<double>();
    EXPECT_NEAR(r->ci_low, c["ci"][0].get<double>(), 0.02 * width);
    EXPECT_NEAR(r->ci_high, c["ci"][1].get<double>(), 0.02 * width);
}

}  // namespace
}  // namespace perftrack::reports::stats
