// perftrack's own benchmark of the report path after the database: History -> trends
// (per-run medians, spreads, rolling baseline bands), and the model -> HTML and JSON renderers.
// The scale the report is built for: 2,000 series x 500 runs x 10 repetitions (10 M samples); the
// HTML must stay under 15 MB (reported as the html_bytes counter).
#include <map>

#include <benchmark/benchmark.h>

#include "reports/render/html_report.hpp"
#include "reports/render/json_report.hpp"
#include "reports/render/trend_builder.hpp"
#include "tests/support/synthetic_report.hpp"

namespace {

using perftrack::testing::SyntheticSpec;

// series = suites x 25 benchmarks x 2 frameworks x 2 modes x 2 metrics = suites x 200.
SyntheticSpec spec_for(std::int64_t series, std::int64_t runs) {
    SyntheticSpec spec;
    spec.suites = static_cast<std::size_t>(series / 200);
    spec.benchmarks_per_suite = 25;
    spec.runs = static_cast<std::size_t>(runs);
    spec.repetitions = 10;
    return spec;
}

const perftrack::store::History& history_for(std::int64_t series, std::int64_t runs) {
    static std::map<std::pair<std::int64_t, std::int64_t>, perftrack::store::History> cache;
    auto& h = cache[{series, runs}];
    if (h.runs.empty()) h = perftrack::testing::synthetic_history(spec_for(series, runs));
    return h;
}

const perftrack::reports::render::ReportModel& model_for(std::int64_t series, std::int64_t runs) {
    static std::map<std::pair<std::int64_t, std::int64_t>, perftrack::reports::render::ReportModel>
        cache;
    auto& m = cache[{series, runs}];
    if (m.commits.empty()) m = perftrack::testing::synthetic_report(spec_for(series, runs));
    return m;
}

void BM_BuildTrends(benchmark::State& state) {
    const auto& history = history_for(state.range(0), state.range(1));
    for (auto _ : state) {
        auto trends = perftrack::reports::render::build_trends(history);
        benchmark::DoNotOptimize(trends.series.data());
    }
    state.counters["samples"] = static_cast<double>(state.range(0) * state.range(1) * 10);
}

void BM_RenderHtml(benchmark::State& state) {
    const auto& model = model_for(state.range(0), state.range(1));
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto html = perftrack::reports::render::render_html(model);
        bytes = html.size();
        benchmark::DoNotOptimize(html.data());
    }
    state.counters["html_bytes"] = static_cast<double>(bytes);
}

void BM_RenderJson(benchmark::State& state) {
    const auto& model = model_for(state.range(0), state.range(1));
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto json = perftrack::reports::render::render_json(model);
        bytes = json.size();
        benchmark::DoNotOptimize(json.data());
    }
    state.counters["json_bytes"] = static_cast<double>(bytes);
}

BENCHMARK(BM_BuildTrends)->Args({200, 500})->Args({2000, 500})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderHtml)->Args({200, 500})->Args({2000, 500})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderJson)->Args({200, 500})->Unit(benchmark::kMillisecond);

}  // namespace
