// perftrack run [--config perftrack.toml] [--repetitions N] [--shard I/N] [-- CMD ARGS...]
// Runs the suites (Google Benchmark binaries and plain commands), records the context and the
// testbed, and stores everything as one run, or spools it when the database is unreachable
// (exit 3). A failed benchmark keeps the results of the others and ends with exit 4. Ctrl-C
// stops the running benchmark's process group and stores nothing.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "cli/run_assembly.hpp"
#include "cli/run_plan.hpp"
#include "cli/store_or_spool.hpp"
#include "core/exit_code.hpp"
#include "core/file_io.hpp"
#include "core/json_util.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "reports/ab/ab_comparison.hpp"
#include "runner/process/interrupt.hpp"
#include "runner/progress.hpp"
#include "runner/testbed.hpp"

namespace perftrack::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Stored failure messages and printed failure lists stop after this many benchmarks.
constexpr std::size_t k_failures_listed = 10;

double seconds(std::int64_t ns) {
    return static_cast<double>(ns) / 1e9;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

// How long each suite took last time, to estimate the time left on the live progress line.
// Kept in $PERFTRACK_HOME/run-durations.json; losing it only loses the estimates.
class SuiteDurations {
  public:
    explicit SuiteDurations(std::filesystem::path file) : m_file(std::move(file)) {
        std::error_code ec;
        if (!std::filesystem::exists(m_file, ec)) return;
        auto text = core::read_input_file(m_file, 1024 * 1024);
        if (!text) return;
        const auto doc = nlohmann::json::parse(*text, nullptr, false);
        if (!doc.is_object()) return;
        for (const auto& [k, v] : doc.items())
            if (v.is_number()) m_seconds[k] = v.get<double>();
    }
    std::optional<std::chrono::seconds> get(const std::string& key) const {
        auto it = m_seconds.find(key);
        if (it == m_seconds.end()) return std::nullopt;
        return std::chrono::seconds(static_cast<std::int64_t>(it->second + 0.5));
    }
    void set(const std::string& key, double s) { m_seconds[key] = s; }
    void save() const {
        nlohmann::json doc(m_seconds);
        (void)core::write_file_atomic(m_file, doc.dump(1) + "\n");
    }

  private:
    std::filesystem::path m_file;
    std::map<std::string, double> m_seconds;
};

struct SuiteWork {
    const PlannedSuite* suite = nullptr;
    std::vector<std::string> names;  // gbench: the benchmarks to run
    bool all = true;                 // names are every benchmark the suite's filter selects
    std::optional<runner::SuiteOutcome> listing_failure;
};

class RunCommand {
  public:
    explicit RunCommand(const RunFlags& flags) : m_flags(flags) {}
    int execute();

  private:
    void warn(const std::string& message, const std::string& prefix = {});
    void verbose(const std::string& message);
    std::vector<SuiteWork> list_suites(const RunPlan& plan);
    void report_suite(const runner::SuiteOutcome& outcome);
    int interrupted(int signal, const std::string& where);
    bool check_ab(const RunPlan& plan, const std::vector<core::Measurement>& measurements);

    const RunFlags& m_flags;
    std::unique_ptr<runner::Progress> m_progress;
    std::vector<std::string> m_warnings;  // stored with the run
    std::int64_t m_child_wall_ns = 0;
};

void RunCommand::warn(const std::string& message, const std::string& prefix) {
    // The same warning from several suites (a debug library in each binary) is said once.
    for (const auto& w : m_warnings)
        if (w == message) return;
    m_warnings.push_back(message);
    m_progress->message("perftrack: warning: " + prefix + message);
}

void RunCommand::verbose(const std::string& message) {
    if (m_flags.common.verbose) m_progress->message("perftrack: " + message);
}

int RunCommand::interrupted(int signal, const std::string& where) {
    m_progress->finish();
    print_error(
        fmt::format("interrupted by {} while running {}: the benchmark was stopped and "
                    "nothing was stored",
                    runner::process::signal_name(signal), where));
    return core::exit_status_for_signal(signal);
}

std::vector<SuiteWork> RunCommand::list_suites(const RunPlan& plan) {
    std::vector<SuiteWork> work;
    for (const auto& s : plan.suites) {
        SuiteWork w;
        w.suite = &s;
        if (s.kind == runner::SuiteKind::command) {
            if (plan.shard && !runner::in_shard(s.command.name, *plan.shard)) {
                verbose(fmt::format("suite {} belongs to another shard", s.command.name));
                continue;
            }
            work.push_back(std::move(w));
            continue;
        }
        auto names = runner::list_gbench_benchmarks(s.gbench);
        if (runner::process::pending_interrupt() != 0) return {};
        if (!names) {
            // A filter that matches nothing is a mistake in the command or the config: stop
            // before anything ran. A binary that cannot even list is a failed suite.
            if (names.error().kind != core::ErrorKind::benchmark_failed)
                throw core::ErrorException(names.error());
            runner::SuiteOutcome failed;
            failed.name = s.gbench.name;
            failed.failed = true;
            failed.failure = names.error().message;
            core::BenchmarkFailure f;
            f.suite = s.gbench.adapter_options.suite;
            f.benchmark = s.gbench.name;
            f.message = names.error().message;
            failed.results.failures.push_back(std::move(f));
            w.listing_failure = std::move(failed);
            work.push_back(std::move(w));
            continue;
        }
        w.names = std::move(*names);
        if (plan.shard) {
            const std::size_t total = w.names.size();
            w.names = runner::select_shard(w.names, *plan.shard);
            w.all = false;
            verbose(fmt::format("suite {}: shard {} runs {} of {} benchmarks", s.gbench.name,
                                plan.shard->text(), w.names.size(), total));
            if (w.names.empty()) continue;
        }
        work.push_back(std::move(w));
    }
    return work;
}

void RunCommand::report_suite(const runner::SuiteOutcome& o) {
    const auto counts = core::count(o.results);
    for (const auto& w : o.results.warnings) warn(w, fmt::format("suite {}: ", o.name));
    if (m_flags.common.verbose)
        for (const auto& n : o.results.notes) print_note(fmt::format("suite {}: {}", o.name, n));
    const std::string kept =
        fmt::format("{}, {}, {} in {:.1f} s", plural(counts.benchmarks, "benchmark", "benchmarks"),
                    plural(counts.series, "series", "series"),
                    plural(counts.samples, "sample", "samples"), seconds(o.wall_ns));
    if (!o.failed && o.results.failures.empty()) {
        m_progress->line(fmt::format("suite {}: {}", o.name, kept));
        return;
    }
    std::string text;
    if (o.failed)
        text = fmt::format("suite {} failed: {}", o.name, o.failure);
    else
        text = fmt::format("suite {}: {} failed", o.name,
                           plural(o.results.failures.size(), "benchmark", "benchmarks"));
    text += fmt::format(" (kept {})", kept);
    std::size_t listed = 0;
    for (const auto& f : o.results.failures) {
        if (listed++ == k_failures_listed) {
            text +=
                fmt::format("\n  ... and {} more", o.results.failures.size() - k_failures_listed);
            break;
        }
        text +=
            fmt::format("\n  {}{}: {}", f.benchmark, f.params.empty() ? "" : " " + f.params.dump(),
                        f.message.substr(0, f.message.find("; stderr:")));
    }
    if (!o.stderr_tail.empty())
        text += "\n--- stderr (last lines) ---\n" + runner::tail_for_message(o.stderr_tail, 4096) +
                "\n---";
    m_progress->message("perftrack: error: " + text);
}

// "2", "2%", "0.5 %" -> percent.
double parse_min_change_pct(const std::string& text) {
    std::string number = text;
    while (!number.empty() && (number.back() == '%' || number.back() == ' ')) number.pop_back();
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !(value >= 0) ||
        !std::isfinite(value))
        throw core::ErrorException(core::Error{
            core::ErrorKind::usage,
            fmt::format("--min-change \"{}\": expected a percentage such as 2 or 2.5%", text),
            {}});
    return value;
}

// The paired test of an A/B run, on the samples just measured. True when it found a regression.
bool RunCommand::check_ab(const RunPlan& plan, const std::vector<core::Measurement>& measurements) {
    reports::ab::AbSettings settings;
    if (m_flags.min_change) settings.min_change_pct = parse_min_change_pct(*m_flags.min_change);
    for (const auto& [metric, rule] : plan.config.metrics)
        if (rule.min_change_pct) settings.min_change_pct_by_metric[metric] = *rule.min_change_pct;
    auto report = reports::ab::compare_ab(measurements, settings);
    if (!report) throw core::ErrorException(report.error());
    if (m_flags.check_format == "json") {
        fmt::print("{}\n", reports::ab::render_ab_json(*report).dump(2));
    } else {
        fmt::print("{}", reports::ab::render_ab_text(*report));
    }
    std::fflush(stdout);
    return report->count(reports::ab::AbStatus::regression) > 0;
}

int RunCommand::execute() {
    const auto command_started = Clock::now();
    auto planned = build_run_plan(m_flags);
    if (!planned) throw core::ErrorException(planned.error());
    RunPlan& plan = *planned;
    const ResolveEnvironment env = current_environment();
    core::RunContext flags_ctx = context_from_flags(m_flags.common, m_flags.identity);
    core::RunContext file_ctx;
    file_ctx.project = plan.config.project;
    file_ctx.testbed = plan.config.testbed;

    // Resolve the identity before running anything: a missing project or commit should not
    // cost the whole suite's time.
    core::RunResults probe;
    probe.context = file_ctx;
    auto identity = resolve_run(probe, flags_ctx, env);
    if (!identity) throw core::ErrorException(identity.error());
    // Shards join into one run through a shared run key; a random one would not be shared.
    if (plan.shard && identity->run_key.empty())
        throw core::ErrorException(core::Error{
            core::ErrorKind::usage, "--shard needs a run group so the shards form one run",
            "pass the same --run-group to every shard (CI providers supply one on GitHub "
            "Actions, GitLab, Buildkite, CircleCI and Jenkins)"});
    if (plan.ab) flags_ctx.testbed = identity->testbed + ":ab";

    m_progress =
        std::make_unique<runner::Progress>(runner::detect_progress_style(m_flags.common.quiet));
    if (!m_flags.common.testbed && !file_ctx.testbed && !env.ci.testbed && env.ci.ci_provider)
        warn(
            fmt::format("the testbed defaults to the host name \"{}\", which CI runners change "
                        "from job to job, so no run will have a baseline. Name the machine "
                        "type with testbed = \"...\" in perftrack.toml or --testbed",
                        identity->testbed));

    SuiteDurations durations(store::resolve_connection_target(m_flags.common.db).home /
                             "run-durations.json");
    const std::string duration_prefix =
        identity->project + "/" + (plan.shard ? "shard " + plan.shard->text() + "/" : "");

    runner::TestbedFacts machine = runner::probe_testbed();
    std::vector<runner::SuiteOutcome> outcomes;
    nlohmann::json ab_context;
    const auto started_us = core::now_epoch_us();
    {
        // Ctrl-C from here on stops the benchmark cleanly instead of killing perftrack.
        runner::process::InterruptGuard guard;
        for (const auto& w : runner::machine_warnings(machine)) warn(w.message);

        if (plan.ab) {
            auto ab_plan = runner::plan_ab(*plan.ab);
            if (runner::process::pending_interrupt() != 0)
                return interrupted(runner::process::pending_interrupt(), "the A/B listing");
            if (!ab_plan) throw core::ErrorException(ab_plan.error());
            const std::string name = plan.ab->candidate.name;
            m_progress->start_suite(1, 1, name + " (A/B)",
                                    static_cast<std::size_t>(plan.ab->rounds) * 2,
                                    durations.get(duration_prefix + name + " (A/B)"));
            verbose(fmt::format("A/B: {} rounds of {} common benchmarks", plan.ab->rounds,
                                ab_plan->common.size()));
            runner::AbOutcome ab = runner::run_ab(*plan.ab, *ab_plan, m_progress.get());
            if (ab.suite.interrupt_signal != 0)
                return interrupted(ab.suite.interrupt_signal, "the A/B rounds");
            m_child_wall_ns += ab.suite.child_wall_ns;
            ab_context = ab.describe(*plan.ab, *ab_plan);
            if (!ab.suite.failed)
                durations.set(duration_prefix + name + " (A/B)", seconds(ab.suite.wall_ns));
            report_suite(ab.suite);
            outcomes.push_back(std::move(ab.suite));
        } else {
            std::vector<SuiteWork> work = list_suites(plan);
            if (runner::process::pending_interrupt() != 0)
                return interrupted(runner::process::pending_interrupt(), "the benchmark listing");
            for (std::size_t i = 0; i < work.size(); ++i) {
                const PlannedSuite& s = *work[i].suite;
                if (work[i].listing_failure) {
                    report_suite(*work[i].listing_failure);
                    outcomes.push_back(std::move(*work[i].listing_failure));
                    continue;
                }
                const std::string key = duration_prefix + s.name();
                const bool gbench = s.kind == runner::SuiteKind::gbench;
                m_progress->start_suite(
                    i + 1, work.size(), s.name(),
                    gbench ? work[i].names.size() : static_cast<std::size_t>(s.command.runs),
                    durations.get(key));
                if (gbench) {
                    verbose(fmt::format("suite {}: {} with {} repetitions, {} benchmarks", s.name(),
                                        s.gbench.binary.string(), s.gbench.repetitions,
                                        work[i].names.size()));
                } else {
                    verbose(fmt::format("suite {}: {} warm-up and {} measured runs of {}", s.name(),
                                        s.command.warmup_runs, s.command.runs,
                                        fmt::join(s.command.argv, " ")));
                }
                runner::SuiteOutcome o =
                    gbench ? runner::run_gbench_suite(s.gbench, work[i].names, work[i].all,
                                                      m_progress.get())
                           : runner::run_command_suite(s.command, m_progress.get());
                if (o.interrupt_signal != 0)
                    return interrupted(o.interrupt_signal, "suite " + s.name());
                m_child_wall_ns += o.child_wall_ns;
                if (!o.failed) durations.set(key, seconds(o.wall_ns));
                report_suite(o);
                outcomes.push_back(std::move(o));
            }
        }
        m_progress->finish();
        // Ctrl-C after the last benchmark: the user asked to stop, so nothing is stored.
        if (runner::process::pending_interrupt() != 0)
            return interrupted(runner::process::pending_interrupt(), "the last suite");
    }
    const auto ended_us = core::now_epoch_us();
    durations.save();

    // One run: every suite's results, the testbed and what was wrong with it.
    core::RunResults all;
    all.context = file_ctx;
    std::vector<runner::ProgramFacts> programs;
    std::size_t failed_suites = 0;
    for (auto& o : outcomes) {
        for (auto& m : o.results.measurements) all.measurements.push_back(std::move(m));
        for (auto& f : o.results.failures) all.failures.push_back(std::move(f));
        if (o.failed || !o.results.failures.empty()) ++failed_suites;
        for (const auto& p : o.programs) programs.push_back(p);
    }
    all.context.fingerprint = runner::testbed_fingerprint(machine, programs);
    // Then what the tools said about the machine (Google Benchmark's context: caches, ...).
    for (const auto& o : outcomes)
        for (const auto& [key, value] : o.results.context.fingerprint.items())
            if (!all.context.fingerprint.contains(key)) all.context.fingerprint[key] = value;
    if (all.measurements.empty() && all.failures.empty()) {
        if (!m_flags.common.quiet)
            fmt::print("nothing to store: {}\n",
                       plan.shard ? fmt::format("shard {} has no benchmarks", plan.shard->text())
                                  : std::string("no suite produced results"));
        return 0;
    }

    auto resolved = resolve_run(std::move(all), flags_ctx, env);
    if (!resolved) throw core::ErrorException(resolved.error());
    store::RunToStore run = std::move(*resolved);
    run.started_at_us = started_us;
    run.ended_at_us = ended_us;
    run.context["perftrack_version"] = core::k_version;
    nlohmann::json suites = nlohmann::json::array();
    for (const auto& o : outcomes) suites.push_back(o.name);
    run.context["suites"] = suites;
    if (!m_warnings.empty()) run.context["warnings"] = m_warnings;
    if (!ab_context.is_null()) {
        run.context["mode"] = "ab";
        run.context["ab"] = ab_context;
    }
    finish_run(run);

    const auto before_store = Clock::now();
    const int store_code = store_runs_or_spool(m_flags.common, {run});
    const auto now = Clock::now();
    const auto total_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - command_started).count();
    verbose(fmt::format(
        "runner overhead: {:.3f} s of {:.3f} s wall ({:.2f} %); benchmark processes {:.3f} s, "
        "storing {:.3f} s",
        seconds(total_ns - m_child_wall_ns), seconds(total_ns),
        100.0 * static_cast<double>(total_ns - m_child_wall_ns) / static_cast<double>(total_ns),
        seconds(m_child_wall_ns),
        seconds(std::chrono::duration_cast<std::chrono::nanoseconds>(now - before_store).count())));

    // The check judges what was just measured, stored or spooled alike.
    const bool regression = m_flags.check && plan.ab && check_ab(plan, run.results.measurements);

    // One exit code: a failed benchmark first, then a regression, then the spool.
    if (failed_suites > 0) {
        print_error(
            fmt::format("{} of {} suites had failures; the results that were produced are "
                        "kept and the run is marked partial",
                        failed_suites, outcomes.size()));
        return static_cast<int>(core::ExitCode::benchmark_failed);
    }
    if (regression) {
        if (m_flags.no_fail) return store_code;
        print_error("the candidate is slower: see the regressions above",
                    "--no-fail reports without failing the job");
        return static_cast<int>(core::ExitCode::regression);
    }
    return store_code;
}

}  // namespace

void register_run(CLI::App& app, Action& action) {
    auto flags = std::make_shared<RunFlags>();
    auto* cmd = app.add_subcommand(
        "run",
        "Run the benchmark suites of perftrack.toml (or the command after --), record where and\n"
        "what ran, and store every sample as one run. Exit 3: the database was unreachable and\n"
        "the run was spooled (upload it with 'perftrack push'); exit 4: a benchmark failed (the\n"
        "other results are kept).");
    add_common_options(*cmd, flags->common);
    cmd->add_option("--config,-c", flags->config,
                    "Suite config (default: ./perftrack.toml when present)");
    cmd->add_option("--repetitions,-r", flags->repetitions,
                    "Google Benchmark repetitions and command runs (default 10)");
    cmd->add_option("--suite", flags->suites, "Run only this suite of the config (repeatable)");
    cmd->add_option("--timeout", flags->timeout_seconds, "Time limit per suite, in seconds");
    cmd->add_option("--shard", flags->identity.shard,
                    "Run shard I/N: a stable 1/N of the benchmarks, by a hash of their names");
    cmd->add_option("--run-group", flags->identity.run_group,
                    "Shards with the same group, commit and testbed form one run (default: from "
                    "CI variables)");
    cmd->add_option("--run-id", flags->identity.run_id,
                    "Idempotency key of the run (else derived from CI variables, else random)");
    cmd->add_option("--type", flags->type, "For the command after --: auto, gbench or command")
        ->capture_default_str();
    cmd->add_option("--name", flags->name, "Suite name for the command after --");
    cmd->add_option("--warmup", flags->warmup,
                    "Unmeasured runs before the measured ones (commands)");
    cmd->add_option("--results", flags->results,
                    "A result file the command writes on each run; read with --format");
    cmd->add_option("--format,-f", flags->format,
                    "Format of --results: auto, " + runner::adapters::adapter_names())
        ->capture_default_str();
    cmd->add_option("--direction", flags->directions,
                    "NAME=higher|lower: direction of a user counter or custom metric (repeatable)");
    cmd->add_option("--metric", flags->metrics,
                    "NAME=UNIT:DIRECTION: unit and direction of a metric of --results (records)");
    cmd->add_option("--params", flags->params,
                    "Comma-separated fields of --results that become params (records)");
    cmd->add_option("--ab", flags->ab,
                    "A/B mode: BASELINE CANDIDATE Google Benchmark binaries, run in alternating "
                    "rounds and recorded as one paired comparison")
        ->expected(2);
    cmd->add_option("--ab-rounds", flags->ab_rounds, "A/B rounds (default 10)");
    cmd->add_flag("--check", flags->check,
                  "After storing, test the A/B run's paired differences (Wilcoxon signed-rank, "
                  "paired bootstrap CI); exit 1 on a regression. Needs --ab");
    cmd->add_flag("--no-fail", flags->no_fail, "With --check: report regressions, exit 0");
    cmd->add_option("--min-change", flags->min_change,
                    "With --check: smallest change that counts, in percent (default 2)");
    cmd->add_option("--check-format", flags->check_format, "With --check: text or json")
        ->capture_default_str();
    cmd->add_option("command", flags->command,
                    "-- CMD ARGS...: a Google Benchmark binary or any command to measure");
    cmd->callback([flags, &action] { action = [flags] { return RunCommand(*flags).execute(); }; });
}

}  // namespace perftrack::cli
