#include "reports/render/chart_data.hpp"

#include <cmath>
#include <limits>

#include "core/display.hpp"
#include "reports/render/encoding.hpp"

namespace perftrack::reports::render {

namespace {

nlohmann::json scale_json(const core::DisplayScale& s) {
    return {{"div", s.divisor}, {"unit", s.unit}};
}

struct Extent {
    double max_abs = 0;
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    void add(double v) {
        if (!std::isfinite(v)) return;
        max_abs = std::max(max_abs, std::fabs(v));
        low = std::min(low, v);
        high = std::max(high, v);
    }
    double range() const { return high >= low ? high - low : 0; }
};

Extent extent_of(const SeriesReport& s) {
    Extent e;
    for (const auto& p : s.points) {
        for (const double v : {p.median, p.min, p.max}) e.add(v);
        if (p.baseline)
            for (const double v : {p.baseline->median, p.baseline->low, p.baseline->high}) e.add(v);
    }
    return e;
}

// Alternating lengths of stretches of commits without and with a point, starting with "without".
std::vector<std::int64_t> run_lengths(const std::vector<TrendPoint>& points) {
    std::vector<std::int64_t> out;
    std::int64_t next = 0;  // the run after the previous point
    for (const auto& p : points) {
        const auto run = static_cast<std::int64_t>(p.position);
        if (!out.empty() && run == next) {
            ++out.back();
        } else {
            out.push_back(run - next);
            out.push_back(1);
        }
        next = run + 1;
    }
    return out;
}

double median_magnitude(const SeriesReport& s) {
    double m = 0;
    for (const auto& p : s.points)
        if (std::isfinite(p.median)) m = std::max(m, std::fabs(p.median));
    return m;
}

nlohmann::json series_json(const SeriesReport& s) {
    const Extent extent = extent_of(s);
    const int exponent = quantisation_exponent(extent.max_abs, extent.range());
    const double step = std::pow(10.0, exponent);
    auto q = [step](double v) { return static_cast<std::int64_t>(std::llround(v / step)); };

    std::vector<std::int64_t> med, lo, hi, band_at, band_med, band_lo, band_hi;
    med.reserve(s.points.size());
    lo.reserve(s.points.size());
    hi.reserve(s.points.size());
    bool in_band = false;
    std::int64_t run_length = 0;
    for (const auto& p : s.points) {
        const std::int64_t m = q(p.median);
        med.push_back(m);
        lo.push_back(m - q(p.min));
        hi.push_back(q(p.max) - m);
        if (p.baseline.has_value() != in_band) {
            band_at.push_back(run_length);
            run_length = 0;
            in_band = !in_band;
        }
        ++run_length;
        if (p.baseline) {
            const std::int64_t bm = q(p.baseline->median);
            band_med.push_back(bm);
            band_lo.push_back(bm - q(p.baseline->low));
            band_hi.push_back(q(p.baseline->high) - bm);
        }
    }
    band_at.push_back(run_length);

    nlohmann::json cps = nlohmann::json::array();
    for (const auto& c : s.change_points) {
        cps.push_back(
            {c.position, c.change, c.p_value ? nlohmann::json(*c.p_value) : nlohmann::json()});
    }
    return {
        {"suite", s.id.suite},
        {"bench", s.id.benchmark},
        {"params", s.id.params},
        {"metric", s.id.metric},
        {"unit", s.id.unit},
        {"dir", core::to_string(s.id.direction)},
        {"status", s.verdict ? nlohmann::json(to_string(s.verdict->status)) : nlohmann::json()},
        {"scale", scale_json(core::display_scale(s.id.unit, median_magnitude(s)))},
        {"qe", exponent},
        {"at", encode_varints(run_lengths(s.points))},
        {"med", encode_varints(deltas(med))},
        {"lo", encode_varints(lo)},
        {"hi", encode_varints(hi)},
        {"bandAt", encode_varints(band_at)},
        {"bandMed", encode_varints(deltas(band_med))},
        {"bandLo", encode_varints(band_lo)},
        {"bandHi", encode_varints(band_hi)},
        {"cps", std::move(cps)},
    };
}

}  // namespace

int quantisation_exponent(double max_abs, double range) {
    if (!std::isfinite(max_abs) || max_abs <= 0) return 0;
    const int magnitude = static_cast<int>(std::floor(std::log10(max_abs)));
    int exponent = magnitude - (k_chart_significant_digits - 1);
    if (std::isfinite(range) && range > 0)
        exponent = std::min(exponent,
                            static_cast<int>(std::floor(std::log10(range / k_chart_min_levels))));
    return exponent;
}

nlohmann::json chart_data(const ReportModel& model) {
    nlohmann::json commits = {{"sha", nlohmann::json::array()},
                              {"subject", nlohmann::json::array()},
                              {"time", nlohmann::json::array()},
                              {"runs", nlohmann::json::array()},
                              {"partial", nlohmann::json::array()}};
    for (std::size_t i = 0; i < model.commits.size(); ++i) {
        const auto& c = model.commits[i];
        commits["sha"].push_back(c.commit);
        commits["subject"].push_back(c.subject);
        // Whole seconds: commit times carry no finer meaning, and it keeps the block small.
        commits["time"].push_back(c.commit_time_us / 1000000);
        commits["runs"].push_back(c.runs);
        if (c.partial) commits["partial"].push_back(i);
    }
    nlohmann::json series = nlohmann::json::array();
    for (const auto& s : model.series) series.push_back(series_json(s));

    nlohmann::json comparisons = nlohmann::json::array();
    for (const auto& g : model.comparisons) {
        nlohmann::json entries = nlohmann::json::array();
        for (const auto& e : g.entries)
            entries.push_back({e.series, e.value, core::format_value(e.value, g.unit)});
        comparisons.push_back({{"metric", g.metric},
                               {"unit", g.unit},
                               {"dir", core::to_string(g.direction)},
                               {"dims", g.dimensions},
                               {"entries", std::move(entries)}});
    }
    return {{"version", 1},
            {"commitUrl", commit_url(model.header.commit_url_template, "").empty()
                              ? ""
                              : model.header.commit_url_template},
            {"commits", std::move(commits)},
            {"series", std::move(series)},
            {"comparisons", std::move(comparisons)}};
}

}  // namespace perftrack::reports::render
