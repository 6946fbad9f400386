#include "runner/ab_runner.hpp"

#include <map>
#include <numeric>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

namespace perftrack::runner {

namespace {

using Clock = std::chrono::steady_clock;

// Identity of a series without the side: what pairs a baseline series with a candidate one.
std::string pair_key(const core::Measurement& m) {
    return m.series.key();
}

// One side's value of every series in one round (the mean when a tool gave several).
using RoundValues = std::map<std::string, double>;

struct SideRun {
    RoundValues values;
    std::vector<core::BenchmarkFailure> failures;
    std::string failure;  // the process or its output failed
    std::string stderr_tail;
    int interrupt_signal = 0;
    std::int64_t child_wall_ns = 0;
    nlohmann::json context;
};

SideRun run_side(const GbenchSuite& suite, const AbPlan& plan,
                 std::optional<std::chrono::nanoseconds> left, Progress* progress,
                 std::map<std::string, core::Measurement>& prototypes,
                 std::vector<std::string>& warnings) {
    SideRun side;
    const std::string filter = plan.same_lists ? suite.filter : exact_name_filter(plan.common);
    GbenchInvocation inv = invoke_gbench(suite, filter, 1, left, plan.common, progress);
    if (inv.child) side.child_wall_ns = inv.child->usage.wall_ns;
    side.context = inv.context;
    if (!inv.child) {
        side.failure =
            fmt::format("{} could not be started: {}", suite.binary.string(), inv.start_error);
        return side;
    }
    if (inv.child->ending == core::Ending::interrupted) {
        side.interrupt_signal = inv.child->interrupt_signal;
        return side;
    }
    if (!inv.child->ok()) {
        side.failure = fmt::format("{} {}", suite.binary.string(), inv.child->describe());
        side.stderr_tail = inv.child->stderr_text;
    } else if (!inv.output_error.empty()) {
        side.failure = fmt::format("{}: {}", suite.binary.string(), inv.output_error);
    }
    if (inv.entries.empty()) return side;
    auto parsed = parse_gbench_entries(inv.context, std::move(inv.entries), suite);
    if (!parsed) {
        if (side.failure.empty()) side.failure = parsed.error().message;
        return side;
    }
    for (auto& m : parsed->measurements) {
        if (m.samples.empty()) continue;
        const double mean = std::accumulate(m.samples.begin(), m.samples.end(), 0.0) /
                            static_cast<double>(m.samples.size());
        const std::string key = pair_key(m);
        side.values[key] = mean;
        if (prototypes.count(key) == 0) {
            m.samples.clear();
            prototypes.emplace(key, std::move(m));
        }
    }
    side.failures = std::move(parsed->failures);
    for (auto& w : parsed->warnings) warnings.push_back(std::move(w));
    return side;
}

}  // namespace

bool baseline_first(int index) {
    return index % 2 == 0;
}

core::Result<AbPlan> plan_ab(const AbSpec& spec) {
    auto a = list_gbench_benchmarks(spec.baseline);
    if (!a) return tl::unexpected<core::Error>(a.error());
    auto b = list_gbench_benchmarks(spec.candidate);
    if (!b) return tl::unexpected<core::Error>(b.error());
    AbPlan plan;
    const std::unordered_set<std::string> in_b(b->begin(), b->end());
    const std::unordered_set<std::string> in_a(a->begin(), a->end());
    for (const auto& n : *a) (in_b.count(n) != 0 ? plan.common : plan.only_baseline).push_back(n);
    for (const auto& n : *b)
        if (in_a.count(n) == 0) plan.only_candidate.push_back(n);
    if (plan.common.empty())
        return core::fail(
            core::ErrorKind::usage,
            fmt::format("--ab: {} and {} have no benchmark in common",
                        spec.baseline.binary.string(), spec.candidate.binary.string()));
    plan.same_lists = plan.only_baseline.empty() && plan.only_candidate.empty();
    return plan;
}

nlohmann::json AbOutcome::describe(const AbSpec& spec, const AbPlan& plan) const {
    return nlohmann::json{
        {"baseline", {{"binary", spec.baseline.binary.string()}}},
        {"candidate", {{"binary", spec.candidate.binary.string()}}},
        {"rounds", order.size()},
        {"order", order},
        {"pairing",
         "series differ only in params.ab_side; sample i of both sides was measured in the "
         "same round (rounds alternate baseline-first and candidate-first)"},
        {"only_in_baseline", plan.only_baseline},
        {"only_in_candidate", plan.only_candidate}};
}

AbOutcome run_ab(const AbSpec& spec, const AbPlan& plan, Progress* progress) {
    AbOutcome out;
    out.suite.name = spec.candidate.name;
    out.suite.planned = static_cast<std::size_t>(spec.rounds) * 2;
    const auto started = Clock::now();
    std::optional<Clock::time_point> deadline;
    if (spec.timeout) deadline = started + *spec.timeout;

    std::map<std::string, core::Measurement> prototypes;      // series identity, samples empty
    std::vector<std::pair<RoundValues, RoundValues>> rounds;  // (baseline, candidate)
    std::map<std::string, core::BenchmarkFailure> failures;
    std::vector<std::string> warnings;
    std::string failure;
    nlohmann::json contexts[2];
    for (int r = 0; r < spec.rounds && failure.empty() && out.suite.interrupt_signal == 0; ++r) {
        const bool a_first = baseline_first(r);
        SideRun sides[2];  // [0] baseline, [1] candidate
        for (int step = 0; step < 2; ++step) {
            const int which = (step == 0) == a_first ? 0 : 1;
            const GbenchSuite& suite = which == 0 ? spec.baseline : spec.candidate;
            std::optional<std::chrono::nanoseconds> left;
            if (deadline) {
                left =
                    std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - Clock::now());
                if (left->count() <= 0) {
                    failure =
                        fmt::format("timed out after {:g} s in round {}",
                                    std::chrono::duration<double>(*spec.timeout).count(), r + 1);
                    break;
                }
            }
            if (progress != nullptr)
                progress->set_current(fmt::format("round {}/{} {}", r + 1, spec.rounds,
                                                  which == 0 ? k_ab_baseline : k_ab_candidate));
            SideRun side = run_side(suite, plan, left, progress, prototypes, warnings);
            out.suite.child_wall_ns += side.child_wall_ns;
            if (contexts[which].is_null() && side.context.is_object())
                contexts[which] = side.context;
            for (auto& f : side.failures)
                failures.emplace(f.benchmark + '\x1f' + f.params.dump(), f);
            if (side.interrupt_signal != 0) {
                out.suite.interrupt_signal = side.interrupt_signal;
                break;
            }
            if (!side.failure.empty()) {
                failure = fmt::format("round {}: {}", r + 1, side.failure);
                out.suite.stderr_tail = side.stderr_tail;
                break;
            }
            if (progress != nullptr)
                progress->advance(fmt::format("round {}/{} {}", r + 1, spec.rounds,
                                              which == 0 ? k_ab_baseline : k_ab_candidate));
            sides[which] = std::move(side);
        }
        if (!failure.empty() || out.suite.interrupt_signal != 0) break;
        rounds.emplace_back(std::move(sides[0].values), std::move(sides[1].values));
        out.order.push_back(a_first ? "AB" : "BA");
    }

    for (int which = 0; which < 2; ++which) {
        ProgramFacts facts;
        facts.compiler =
            elf_compiler_comment(which == 0 ? spec.baseline.binary : spec.candidate.binary);
        read_gbench_context(contexts[which], facts);
        out.suite.programs.push_back(facts);
    }
    if (out.suite.interrupt_signal != 0) return out;

    // Pair: for each series, the rounds where both sides have a value, in round order.
    for (const auto& [key, proto] : prototypes) {
        core::Measurement base = proto, cand = proto;
        base.series.params[k_ab_side_param] = k_ab_baseline;
        cand.series.params[k_ab_side_param] = k_ab_candidate;
        for (const auto& [a, b] : rounds) {
            const auto ia = a.find(key), ib = b.find(key);
            if (ia == a.end() || ib == b.end()) continue;
            base.samples.push_back(ia->second);
            cand.samples.push_back(ib->second);
        }
        if (base.samples.empty()) continue;
        out.suite.results.measurements.push_back(std::move(base));
        out.suite.results.measurements.push_back(std::move(cand));
        ++out.pairs;
    }
    for (auto& [key, f] : failures) out.suite.results.failures.push_back(std::move(f));
    std::set<std::string> seen;
    for (auto& w : warnings)
        if (seen.insert(w).second) out.suite.results.warnings.push_back(std::move(w));
    if (!plan.only_baseline.empty() || !plan.only_candidate.empty())
        out.suite.results.notes.push_back(fmt::format(
            "A/B compares the {} benchmarks both binaries have; {} only in the baseline, {} only "
            "in the candidate were not run",
            plan.common.size(), plan.only_baseline.size(), plan.only_candidate.size()));
    if (!failure.empty()) {
        out.suite.failed = true;
        out.suite.failure = fmt::format("{}; {} complete rounds kept", failure, rounds.size());
        if (out.suite.results.failures.empty()) {
            core::BenchmarkFailure f;
            f.suite = spec.candidate.adapter_options.suite;
            f.benchmark = spec.candidate.name;
            f.message = out.suite.failure;
            out.suite.results.failures.push_back(std::move(f));
        }
    }
    out.suite.wall_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
    return out;
}

}  // namespace perftrack::runner
