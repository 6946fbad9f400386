#include "tests/support/synthetic_report.hpp"

#include <cmath>
#include <random>

#include <fmt/format.h>

#include "reports/render/trend_builder.hpp"

namespace perftrack::testing {

namespace {

// Box-Muller over mt19937_64's raw output: the same numbers on every standard library
// (std::normal_distribution's algorithm is implementation-defined).
class Noise {
  public:
    explicit Noise(std::uint64_t seed) : m_engine(seed) {}
    double normal() {
        constexpr double k_two_pi = 6.283185307179586;
        const double u1 = (static_cast<double>(m_engine() >> 11) + 1.0) / 9007199254740993.0;
        const double u2 = static_cast<double>(m_engine() >> 11) / 9007199254740992.0;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(k_two_pi * u2);
    }

  private:
    std::mt19937_64 m_engine;
};

// SplitMix64's finaliser: distinct, random-looking commit names from run numbers.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

constexpr std::int64_t k_start_us = 1714521600000000;  // 2024-05-01T00:00:00Z
constexpr std::int64_t k_hour_us = 3600000000;

struct SeriesPlan {
    bool mid_step = false;
    bool regression = false;
    bool improvement = false;
};

SeriesPlan plan_for(const SyntheticSpec& spec, std::size_t index) {
    SeriesPlan p;
    p.mid_step = spec.step_every > 0 && index % spec.step_every == 1;
    p.regression = spec.regress_every > 0 && index % spec.regress_every == 3;
    p.improvement = !p.regression && spec.improve_every > 0 && index % spec.improve_every == 6;
    return p;
}

}  // namespace

store::History synthetic_history(const SyntheticSpec& spec) {
    store::History h;
    for (std::size_t r = 0; r < spec.runs; ++r) {
        store::RunInfo run;
        run.id = static_cast<std::int64_t>(r + 1);
        run.run_key = fmt::format("run-{}", r);
        run.branch = "main";
        // 40-hex commit names, distinct and stable.
        run.commit = fmt::format("{:016x}{:016x}{:08x}", mix(r + 1), mix(r + 1000003),
                                 static_cast<std::uint32_t>(mix(r + 7)));
        run.commit_time_us = k_start_us + static_cast<std::int64_t>(r) * k_hour_us;
        run.commit_subject = fmt::format("Commit number {} of the synthetic history", r);
        run.started_at_us = run.commit_time_us + 60000000;
        run.partial = r % 17 == 16;
        h.runs.push_back(run);
    }
    Noise noise(spec.seed);
    std::size_t index = 0;
    const std::size_t mid = spec.runs / 2;
    for (std::size_t su = 0; su < spec.suites; ++su) {
        for (std::size_t b = 0; b < spec.benchmarks_per_suite; ++b) {
            for (const auto& framework : spec.frameworks) {
                for (const auto& mode : spec.modes) {
                    for (const auto batch : spec.batch_sizes) {
                        for (int metric = 0; metric < (spec.with_throughput ? 2 : 1); ++metric) {
                            store::SeriesHistory s;
                            s.benchmark_id = static_cast<std::int64_t>(index + 1);
                            s.metric_id = metric + 1;
                            s.id.suite = fmt::format("suite_{}", su);
                            s.id.benchmark = fmt::format("train_step/model_{}", b);
                            s.id.params = {
                                {"framework", framework}, {"mode", mode}, {"batch_size", batch}};
                            s.id.metric = metric == 0 ? "step_time" : "throughput";
                            s.id.unit = metric == 0 ? "ns" : "items/s";
                            s.id.direction =
                                metric == 0 ? core::Direction::lower : core::Direction::higher;
                            const SeriesPlan plan = plan_for(spec, index);
                            // Levels spread over orders of magnitude so axes use several units.
                            // Benchmarks differ by orders of magnitude (so axes use several
                            // units); params by modest factors (so the pivot compares them).
                            const double param_factor =
                                (framework == spec.frameworks.front() ? 1.0 : 1.3) *
                                (mode == spec.modes.front() ? 1.0 : 0.7) *
                                (1.0 + 0.001 * static_cast<double>(batch));
                            const double magnitude =
                                std::pow(10.0, static_cast<double>((su * 3 + b) % 7));
                            const double base = metric == 0 ? 1500.0 * magnitude * param_factor
                                                            : 2.0e8 / (magnitude * param_factor);
                            for (std::size_t r = 0; r < spec.runs; ++r) {
                                double level = base;
                                const double worse = metric == 0 ? 1.0 : -1.0;
                                if (plan.mid_step && r >= mid) level *= 1.0 + 0.20 * worse;
                                const bool late = r + spec.late_step_commits >= spec.runs;
                                if (plan.regression && late) level *= 1.0 + 0.15 * worse;
                                if (plan.improvement && late) level *= 1.0 - 0.15 * worse;
                                const double run_offset = noise.normal() * spec.noise * 0.5;
                                store::SeriesPoint p;
                                p.run = static_cast<std::uint32_t>(r);
                                for (std::size_t k = 0; k < spec.repetitions; ++k)
                                    p.samples.push_back(
                                        level * (1.0 + run_offset + noise.normal() * spec.noise));
                                s.points.push_back(std::move(p));
                            }
                            h.series.push_back(std::move(s));
                            ++index;
                        }
                    }
                }
            }
        }
    }
    return h;
}

reports::render::ReportModel synthetic_report(const SyntheticSpec& spec) {
    using namespace reports::render;
    const auto history = synthetic_history(spec);
    auto trends = build_trends(history);
    ReportModel m;
    m.header.project = "synthetic";
    m.header.branch = "main";
    m.header.testbed = "ci-x86";
    m.header.generated_at_us = k_start_us + static_cast<std::int64_t>(spec.runs + 1) * k_hour_us;
    m.header.perftrack_version = "0.1.0";
    m.header.commit_url_template = "https://github.com/example/project/commit/{sha}";
    m.commits = std::move(trends.commits);
    m.series = std::move(trends.series);

    // The generator's series order is its own; match plans through benchmark_id (= index + 1).
    // build_trends sorted the series, so recover each one's generator index from its identity.
    const std::size_t mid = spec.runs / 2;
    const std::uint32_t last = spec.runs == 0 ? 0 : static_cast<std::uint32_t>(spec.runs - 1);
    for (auto& s : m.series) {
        std::size_t index = 0;
        for (const auto& hs : history.series)
            if (hs.id == s.id) {
                index = static_cast<std::size_t>(hs.benchmark_id - 1);
                break;
            }
        const SeriesPlan plan = plan_for(spec, index);
        const double worse = s.id.direction == core::Direction::lower ? 1.0 : -1.0;
        if (plan.mid_step)
            s.change_points.push_back({static_cast<std::uint32_t>(mid), 0.20 * worse, 0.001});
        Verdict v;
        const auto& lastp = s.points.back();
        v.candidate_median = lastp.median;
        if (lastp.baseline) v.baseline_median = lastp.baseline->median;
        if (v.baseline_median && *v.baseline_median != 0)
            v.change = lastp.median / *v.baseline_median - 1;
        if (plan.regression) {
            v.status = VerdictStatus::regression;
        } else if (plan.improvement) {
            v.status = VerdictStatus::improvement;
        } else {
            v.status = VerdictStatus::unchanged;
        }
        if (v.change) {
            v.ci_low = *v.change - 0.02;
            v.ci_high = *v.change + 0.02;
            v.p_value = v.status == VerdictStatus::unchanged ? 0.4 : 0.0004;
            v.q_value = v.status == VerdictStatus::unchanged ? 0.6 : 0.003;
        }
        s.verdict = v;
    }
    m.verdict.evaluated = true;
    m.verdict.candidate_commit = m.commits.empty() ? "" : m.commits.back().commit;
    m.verdict.baseline = "the last 30 runs of main before it";
    m.comparisons = build_comparisons(m.series, last);
    m.alerts.tracked = true;
    for (std::size_t i = 0; i < m.series.size() && m.alerts.items.size() < 2; ++i) {
        if (m.series[i].verdict->status != VerdictStatus::regression) continue;
        AlertItem a;
        a.state = m.alerts.items.empty() ? AlertState::open : AlertState::resolved;
        a.series = m.series[i].id;
        a.series_index = i;
        a.commit = m.commits[last].commit;
        a.commit_subject = m.commits[last].subject;
        a.change = m.series[i].verdict->change;
        a.opened_at_us = m.commits[last].commit_time_us;
        if (a.state == AlertState::resolved) a.resolved_at_us = a.opened_at_us + k_hour_us;
        m.alerts.items.push_back(a);
    }
    return m;
}

reports::render::ReportModel hostile_report() {
    using namespace reports::render;
    SyntheticSpec spec;
    spec.suites = 1;
    spec.benchmarks_per_suite = 1;
    spec.frameworks = {"pytorch"};
    spec.modes = {"eager", "compiled"};
    spec.with_throughput = false;
    spec.runs = 12;
    spec.regress_every = 1;  // every series regresses: the hostile names reach the table
    auto m = synthetic_report(spec);
    m.header.project = "<b>proj</b>";
    m.header.branch = "feature/<i>x</i>";
    m.header.testbed = "\"'&<>";
    for (auto& s : m.series) {
        s.id.benchmark = "<img src=x onerror=alert(1)>";
        s.id.params["mode"] = "</script><script>alert(2)</script>";
        s.id.suite = "<!--";
    }
    for (auto& r : m.commits)
        r.subject = "Fix \"quotes\" & 'apostrophes' <in> subject \xE2\x80\xA8 end";
    for (auto& a : m.alerts.items) {
        a.series.benchmark = "<img src=x onerror=alert(1)>";
        a.commit_subject = m.commits.back().subject;
    }
    m.notes.push_back("<script>alert(3)</script>");
    return m;
}

}  // namespace perftrack::testing
