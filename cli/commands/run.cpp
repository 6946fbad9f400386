// perftrack run [--config perftrack.toml] [--repetitions N] [--shard I/N] [-- CMD ARGS...]
// Runs the suites (Google Benchmark binaries and plain commands), records the context and the
// testbed, and stores everything as one run, or spools it when the database is unreachable
// (exit 3); with --server, through the perftrack server's API (same spool, same exit codes). A
// failed benchmark keeps the results of the others and ends with exit 4. Ctrl-C
// stops the running benchmark's process group and stores nothing.
#include <chrono>
#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/ab_check.hpp"
#include "cli/baseline_target.hpp"
#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "cli/run_flags.hpp"
#include "cli/server_check.hpp"
#include "cli/server_upload.hpp"
#include "cli/store_or_spool.hpp"
#include "core/display.hpp"
#include "core/exit_code.hpp"
#include "core/file_io.hpp"
#include "core/json_util.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "formats/adapter_support.hpp"
#include "reports/detect/check.hpp"
#include "reports/output/check_output.hpp"
#include "runner/process/interrupt.hpp"
#include "runner/progress.hpp"
#include "runner/run_assembly.hpp"
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
    const runner::PlannedSuite* suite = nullptr;
    std::vector<std::string> names;  // gbench: the benchmarks to run
    bool all = true;                 // names are every benchmark the suite's filter selects
    std::optional<runner::SuiteOutcome> listing_failure;
};

// Colour only for a terminal, and never when NO_COLOR is set (no-color.org), as check does.
bool use_colour() {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour != nullptr && *no_colour != '\0') return false;
    return ::isatty(STDOUT_FILENO) == 1;
}

class RunCommand {
  public:
    explicit RunCommand(const RunFlags& flags) : m_flags(flags) {}
    CommandResult execute();

  private:
    void warn(const std::string& message, const std::string& prefix = {});
    void verbose(const std::string& message);
    core::Result<std::vector<SuiteWork>> list_suites();
    void report_suite(const runner::SuiteOutcome& outcome);
    int interrupted(int signal, const std::string& where);
    // Runs the suites; the interrupt signal when one came, else 0.
    int run_suites(const std::vector<SuiteWork>& work, std::vector<runner::SuiteOutcome>& out);
    CommandResult run_ab(std::vector<runner::SuiteOutcome>& out);
    // One run of everything `outcomes` measured, ready to store.
    core::Result<store::RunToStore> assemble(std::vector<runner::SuiteOutcome>& outcomes,
                                             std::int64_t started_us, std::int64_t ended_us,
                                             const std::optional<std::string>& run_id);
    core::Result<reports::detect::DetectionSettings> detection() const;
    core::Result<reports::detect::CheckResult> check(const store::RunToStore& run);
    // --check (and --confirm N) against the baseline; the exit code it asks for (0 or 1), or the
    // interrupt/spool code when confirmation could not finish.
    CommandResult check_and_confirm(const store::RunToStore& run,
                                    const std::vector<SuiteWork>& work);
    std::vector<SuiteWork> confirmation_work(
        const std::vector<const reports::detect::SeriesVerdict*>& targets,
        const std::vector<SuiteWork>& work) const;
    void print_check(const reports::detect::CheckResult& result) const;

    const RunFlags& m_flags;
    runner::RunPlan m_plan;
    std::optional<client::ServerTarget> m_server;  // --server, else the database
    runner::ResolveEnvironment m_env;
    core::RunContext m_flags_ctx;
    core::RunContext m_file_ctx;
    runner::TestbedFacts m_machine;
    std::unique_ptr<runner::Progress> m_progress;
    std::unique_ptr<SuiteDurations> m_durations;
    std::string m_duration_prefix;
    std::vector<std::string> m_warnings;  // stored with the run
    nlohmann::json m_ab_context;
    std::string m_interrupted_in = "the last suite";  // what ran when Ctrl-C came
    std::int64_t m_child_wall_ns = 0;
    // --server: the exit code of a check the server could not give (printed already).
    std::optional<int> m_check_failure;
    bool m_warned_thresholds = false;
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

core::Result<std::vector<SuiteWork>> RunCommand::list_suites() {
    const runner::RunPlan& plan = m_plan;
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
                return tl::unexpected(names.error());
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

int RunCommand::run_suites(const std::vector<SuiteWork>& work,
                           std::vector<runner::SuiteOutcome>& out) {
    for (std::size_t i = 0; i < work.size(); ++i) {
        const runner::PlannedSuite& s = *work[i].suite;
        if (work[i].listing_failure) {
            report_suite(*work[i].listing_failure);
            out.push_back(*work[i].listing_failure);
            continue;
        }
        const std::string key = m_duration_prefix + s.name();
        const bool gbench = s.kind == runner::SuiteKind::gbench;
        m_progress->start_suite(
            i + 1, work.size(), s.name(),
            gbench ? work[i].names.size() : static_cast<std::size_t>(s.command.runs),
            work[i].all ? m_durations->get(key) : std::nullopt);
        if (gbench) {
            verbose(fmt::format("suite {}: {} with {} repetitions, {} benchmarks", s.name(),
                                s.gbench.binary.string(), s.gbench.repetitions,
                                work[i].names.size()));
        } else {
            verbose(fmt::format("suite {}: {} warm-up and {} measured runs of {}", s.name(),
                                s.command.warmup_runs, s.command.runs,
                                fmt::join(s.command.argv, " ")));
        }
        runner::SuiteOutcome o = gbench ? runner::run_gbench_suite(s.gbench, work[i].names,
                                                                   work[i].all, m_progress.get())
                                        : runner::run_command_suite(s.command, m_progress.get());
        if (o.interrupt_signal != 0) {
            m_interrupted_in = "suite " + s.name();
            return o.interrupt_signal;
        }
        m_child_wall_ns += o.child_wall_ns;
        if (!o.failed && work[i].all) m_durations->set(key, seconds(o.wall_ns));
        report_suite(o);
        out.push_back(std::move(o));
    }
    m_progress->finish();
    // Ctrl-C after the last benchmark: the user asked to stop, so nothing is stored.
    return runner::process::pending_interrupt();
}

CommandResult RunCommand::run_ab(std::vector<runner::SuiteOutcome>& out) {
    const runner::AbSpec& spec = *m_plan.ab;
    auto ab_plan = runner::plan_ab(spec);
    if (runner::process::pending_interrupt() != 0) return runner::process::pending_interrupt();
    if (!ab_plan) return tl::unexpected(ab_plan.error());
    const std::string label = spec.candidate.name + " (A/B)";
    m_progress->start_suite(1, 1, label, static_cast<std::size_t>(spec.rounds) * 2,
                            m_durations->get(m_duration_prefix + label));
    verbose(
        fmt::format("A/B: {} rounds of {} common benchmarks", spec.rounds, ab_plan->common.size()));
    runner::AbOutcome ab = runner::run_ab(spec, *ab_plan, m_progress.get());
    if (ab.suite.interrupt_signal != 0) return ab.suite.interrupt_signal;
    m_child_wall_ns += ab.suite.child_wall_ns;
    m_ab_context = ab.describe(spec, *ab_plan);
    if (!ab.suite.failed) m_durations->set(m_duration_prefix + label, seconds(ab.suite.wall_ns));
    report_suite(ab.suite);
    out.push_back(std::move(ab.suite));
    m_progress->finish();
    return runner::process::pending_interrupt();
}

core::Result<store::RunToStore> RunCommand::assemble(std::vector<runner::SuiteOutcome>& outcomes,
                                                     std::int64_t started_us, std::int64_t ended_us,
                                                     const std::optional<std::string>& run_id) {
    core::RunResults all;
    all.context = m_file_ctx;
    std::vector<runner::ProgramFacts> programs;
    nlohmann::json suites = nlohmann::json::array();
    for (auto& o : outcomes) {
        for (auto& m : o.results.measurements) all.measurements.push_back(std::move(m));
        for (auto& f : o.results.failures) all.failures.push_back(std::move(f));
        for (const auto& p : o.programs) programs.push_back(p);
        suites.push_back(o.name);
    }
    all.context.fingerprint = runner::testbed_fingerprint(m_machine, programs);
    // Then what the tools said about the machine (Google Benchmark's context: caches, ...).
    for (const auto& o : outcomes)
        for (const auto& [key, value] : o.results.context.fingerprint.items())
            if (!all.context.fingerprint.contains(key)) all.context.fingerprint[key] = value;

    core::RunContext flags_ctx = m_flags_ctx;
    if (run_id) flags_ctx.run_id = run_id;
    auto resolved = runner::resolve_run(std::move(all), flags_ctx, m_env);
    if (!resolved) return tl::unexpected(resolved.error());
    store::RunToStore run = std::move(*resolved);
    run.started_at_us = started_us;
    run.ended_at_us = ended_us;
    run.context["perftrack_version"] = core::k_version;
    run.context["suites"] = suites;
    if (!m_warnings.empty()) run.context["warnings"] = m_warnings;
    if (!m_ab_context.is_null()) {
        run.context["mode"] = "ab";
        run.context["ab"] = m_ab_context;
    }
    runner::finish_run(run);
    return run;
}

core::Result<reports::detect::DetectionSettings> RunCommand::detection() const {
    auto checked = detection_settings(m_flags.detection);
    if (!checked) return checked;
    auto settings = std::move(*checked);
    // perftrack.toml's min_change_pct: the file's [metrics.X], then suite-level ones where the
    // file says nothing (the check works per metric name; suites that disagree: the largest).
    std::map<std::string, double> suite_level;
    for (const auto& s : m_plan.config.suites)
        for (const auto& [metric, rule] : s.metrics)
            if (rule.min_change_pct)
                suite_level[metric] = std::max(suite_level[metric], *rule.min_change_pct);
    for (const auto& [metric, pct] : suite_level)
        settings.per_metric[metric].min_change = pct / 100.0;
    for (const auto& [metric, rule] : m_plan.config.metrics)
        if (rule.min_change_pct)
            settings.per_metric[metric].min_change = *rule.min_change_pct / 100.0;
    return settings;
}

core::Result<reports::detect::CheckResult> RunCommand::check(const store::RunToStore& run) {
    m_check_failure.reset();
    const auto env = runner::process_env();
    reports::detect::CheckRequest request;
    request.project = run.project;
    request.testbed = run.testbed;
    request.branch = run.branch;
    request.commit = run.commit;
    request.baseline_branch = m_flags.baseline_branch.value_or(
        ci_target_branch(env).value_or(m_plan.config.baseline_branch.value_or("main")));
    if (request.branch != request.baseline_branch) {
        if (m_flags.base_commit) {
            request.base_commit = m_flags.base_commit;
        } else if (auto ci = ci_merge_base(env)) {
            request.base_commit = ci;
        } else if (auto mb = git_merge_base_of(request.commit, request.baseline_branch)) {
            request.base_commit = mb->commit;
            request.base_commit_time_us = mb->commit_time_us;
        }
    }
    const auto settings = detection();
    if (!settings) return tl::unexpected(settings.error());
    if (m_server) {
        // The server judges with its own settings: say so when perftrack.toml asks for others
        // rather than apply them silently to nothing.
        if (!settings->per_metric.empty() && !m_warned_thresholds) {
            m_warned_thresholds = true;
            warn(
                "perftrack.toml's per-metric min_change_pct has no API parameter: the server "
                "judges with --min-change or its default; check with --db to apply it");
        }
        auto checked =
            check_through_server(api_client_for(*m_server, m_flags.common.verbose), request,
                                 m_flags.common.quiet, detection_query(m_flags.detection));
        if (checked.result) return std::move(*checked.result);
        m_check_failure = checked.failure_exit_code;
        return core::fail(core::ErrorKind::internal, "the server's check failed (printed above)");
    }
    auto store = open_store(m_flags.common);
    return reports::detect::run_check(*store, request, *settings);
}

void RunCommand::print_check(const reports::detect::CheckResult& result) const {
    if (m_flags.check_format == "json") {
        fmt::print("{}\n", reports::output::check_json(result).dump(2));
    } else if (m_flags.check_format == "markdown") {
        fmt::print("{}", reports::output::render_check_markdown(result));
    } else {
        fmt::print("{}", reports::output::render_check_text(result, {use_colour()}));
    }
    std::fflush(stdout);
}

std::vector<SuiteWork> RunCommand::confirmation_work(
    const std::vector<const reports::detect::SeriesVerdict*>& targets,
    const std::vector<SuiteWork>& work) const {
    std::vector<SuiteWork> out;
    for (const auto& w : work) {
        if (w.listing_failure) continue;
        const runner::PlannedSuite& s = *w.suite;
        const std::string& suite_name = s.kind == runner::SuiteKind::gbench
                                            ? s.gbench.adapter_options.suite
                                            : s.command.adapter_options.suite;
        SuiteWork again;
        again.suite = w.suite;
        again.all = false;
        bool wanted = false;
        for (const auto* v : targets) {
            if (v->series.suite != suite_name) continue;
            wanted = true;
            if (s.kind != runner::SuiteKind::gbench) break;  // a command reruns whole
            // The benchmark names whose identity (as the gbench adapter splits it) is the series'.
            for (const auto& name : w.names) {
                const auto id = formats::split_named_segments(name, ':');
                if (id.benchmark == v->series.benchmark && id.params == v->series.params &&
                    std::find(again.names.begin(), again.names.end(), name) == again.names.end())
                    again.names.push_back(name);
            }
        }
        if (!wanted) continue;
        if (s.kind == runner::SuiteKind::gbench && again.names.empty()) again.names = w.names;
        out.push_back(std::move(again));
    }
    return out;
}

CommandResult RunCommand::check_and_confirm(const store::RunToStore& run,
                                            const std::vector<SuiteWork>& work) {
    auto result = check(run);
    if (!result && m_check_failure) return *m_check_failure;
    if (!result) return tl::unexpected(result.error());
    // Re-runs one at a time until the check has decided (a pull request's sequential test; see
    // reports/detect/rerun_decision.hpp), at most --confirm of them.
    const int most = m_flags.confirm.value_or(
        result->pull_request ? reports::detect::k_default_pull_request_reruns : 0);
    for (int k = 1; k <= most; ++k) {
        const auto targets = reports::detect::series_to_rerun(*result);
        if (targets.empty()) break;
        std::string names;
        for (const auto* v : targets)
            names += fmt::format("\n  {} {} {}", core::series_name(v->series), v->series.metric,
                                 core::format_change(v->change));
        print_note(fmt::format(
            "{} series {} regressed; re-run {} of at most {} of their "
            "benchmarks:{}",
            targets.size(), k == 1 ? "look" : "still undecided, looked", k, most, names));
        const std::vector<SuiteWork> again = confirmation_work(targets, work);
        runner::process::InterruptGuard guard;
        std::vector<runner::SuiteOutcome> outcomes;
        const auto started_us = core::now_epoch_us();
        if (const int sig = run_suites(again, outcomes); sig != 0)
            return interrupted(sig, fmt::format("{} (re-run {}; the runs before it are stored)",
                                                m_interrupted_in, k));
        auto confirm = assemble(outcomes, started_us, core::now_epoch_us(),
                                fmt::format("{}:confirm-{}", run.run_key, k));
        if (!confirm) return tl::unexpected(confirm.error());
        if (const int code = store_or_upload(m_flags.common, m_server, {*confirm}); code != 0) {
            print_error("the re-runs could not all be stored: the check is skipped",
                        "upload them with 'perftrack push', then run 'perftrack check'");
            return code;
        }
        result = check(run);
        if (!result && m_check_failure) return *m_check_failure;
        if (!result) return tl::unexpected(result.error());
    }
    print_check(*result);
    return result->has_regression() ? static_cast<int>(core::ExitCode::regression) : 0;
}

CommandResult RunCommand::execute() {
    const auto command_started = Clock::now();
    auto server = server_target_for(m_flags.server, m_flags.common.db, "run");
    if (!server) return tl::unexpected(server.error());
    m_server = std::move(*server);
    auto request = run_request(m_flags);
    if (!request) return tl::unexpected(request.error());
    auto planned = runner::plan_run(*request);
    if (!planned) return tl::unexpected(planned.error());
    m_plan = std::move(*planned);
    m_env = runner::current_environment();
    m_flags_ctx = context_from_flags(m_flags.common, m_flags.identity);
    m_file_ctx.project = m_plan.config.project;
    m_file_ctx.testbed = m_plan.config.testbed;

    // Resolve the identity before running anything: a missing project or commit should not
    // cost the whole suite's time.
    core::RunResults probe;
    probe.context = m_file_ctx;
    auto identity = runner::resolve_run(probe, m_flags_ctx, m_env);
    if (!identity) return tl::unexpected(identity.error());
    // Shards join into one run through a shared run key; a random one would not be shared.
    if (m_plan.shard && identity->run_key.empty())
        return core::fail(core::ErrorKind::usage,
                          "--shard needs a run group so the shards form one run",
                          "pass the same --run-group to every shard (CI providers supply one on "
                          "GitHub Actions, GitLab, Buildkite, CircleCI and Jenkins)");
    if (m_plan.ab) m_flags_ctx.testbed = ab_testbed(identity->testbed);

    m_progress =
        std::make_unique<runner::Progress>(runner::detect_progress_style(m_flags.common.quiet));
    if (!m_flags.common.testbed && !m_file_ctx.testbed && !m_env.ci.testbed && m_env.ci.ci_provider)
        warn(
            fmt::format("the testbed defaults to the host name \"{}\", which CI runners change "
                        "from job to job, so no run will have a baseline. Name the machine "
                        "type with testbed = \"...\" in perftrack.toml or --testbed",
                        identity->testbed));
    m_durations = std::make_unique<SuiteDurations>(
        store::resolve_connection_target(m_flags.common.db).home / "run-durations.json");
    m_duration_prefix =
        identity->project + "/" + (m_plan.shard ? "shard " + m_plan.shard->text() + "/" : "");

    m_machine = runner::probe_testbed();
    std::vector<runner::SuiteOutcome> outcomes;
    std::vector<SuiteWork> work;
    const auto started_us = core::now_epoch_us();
    {
        // Ctrl-C from here on stops the benchmark cleanly instead of killing perftrack.
        runner::process::InterruptGuard guard;
        for (const auto& w : runner::machine_warnings(m_machine)) warn(w.message);
        int sig = 0;
        if (m_plan.ab) {
            const auto ab = run_ab(outcomes);
            if (!ab) return ab;
            if (*ab != 0) return interrupted(*ab, "the A/B rounds");
        } else {
            auto listed = list_suites();
            if (!listed) return tl::unexpected(listed.error());
            work = std::move(*listed);
            if (runner::process::pending_interrupt() != 0)
                return interrupted(runner::process::pending_interrupt(), "the benchmark listing");
            sig = run_suites(work, outcomes);
            if (sig != 0) return interrupted(sig, m_interrupted_in);
        }
    }
    const auto ended_us = core::now_epoch_us();
    m_durations->save();

    std::size_t failed_suites = 0;
    for (const auto& o : outcomes)
        if (o.failed || !o.results.failures.empty()) ++failed_suites;
    auto assembled = assemble(outcomes, started_us, ended_us, std::nullopt);
    if (!assembled) return tl::unexpected(assembled.error());
    store::RunToStore run = std::move(*assembled);
    if (run.results.measurements.empty() && run.results.failures.empty()) {
        if (!m_flags.common.quiet)
            fmt::print("nothing to store: {}\n",
                       m_plan.shard
                           ? fmt::format("shard {} has no benchmarks", m_plan.shard->text())
                           : std::string("no suite produced results"));
        return 0;
    }

    const auto before_store = Clock::now();
    const int store_code = store_or_upload(m_flags.common, m_server, {run});
    const auto stored = Clock::now();
    const auto total_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(stored - command_started).count();
    verbose(fmt::format(
        "runner overhead: {:.3f} s of {:.3f} s wall ({:.2f} %); benchmark processes {:.3f} s, "
        "storing {:.3f} s",
        seconds(total_ns - m_child_wall_ns), seconds(total_ns),
        100.0 * static_cast<double>(total_ns - m_child_wall_ns) / static_cast<double>(total_ns),
        seconds(m_child_wall_ns),
        seconds(
            std::chrono::duration_cast<std::chrono::nanoseconds>(stored - before_store).count())));

    // The check: the A/B pairs from the samples just measured; against the baseline from the
    // store, so only when the run got there.
    const bool checking = m_flags.check || m_flags.confirm;
    int check_code = 0;
    if (checking && m_plan.ab) {
        const auto settings = detection();
        if (!settings) return tl::unexpected(settings.error());
        const auto regression =
            print_ab_check(run.results.measurements, ab_settings(*settings), m_flags.check_format);
        if (!regression) return tl::unexpected(regression.error());
        if (*regression) check_code = static_cast<int>(core::ExitCode::regression);
    } else if (checking && store_code == 0) {
        const auto checked = check_and_confirm(run, work);
        if (!checked) return checked;
        check_code = *checked;
    } else if (checking) {
        print_error("the check needs the database: skipped",
                    "after 'perftrack push', run 'perftrack check'");
    }

    // One exit code: a failed benchmark first, then a regression, then the spool.
    if (failed_suites > 0) {
        print_error(
            fmt::format("{} of {} suites had failures; the results that were produced are "
                        "kept and the run is marked partial",
                        failed_suites, outcomes.size()));
        return static_cast<int>(core::ExitCode::benchmark_failed);
    }
    if (check_code == static_cast<int>(core::ExitCode::regression)) {
        if (m_flags.no_fail) return store_code;
        print_error("the check found a regression (see above)",
                    "--no-fail reports without failing the job");
        return check_code;
    }
    if (check_code != 0) return check_code;
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
    cmd->add_option("--repetitions,-r", flags->request.repetitions,
                    "Google Benchmark repetitions and command runs (default 10)");
    cmd->add_option("--suite", flags->request.suites,
                    "Run only this suite of the config (repeatable)");
    cmd->add_option("--timeout", flags->request.timeout_seconds,
                    "Time limit per suite, in seconds");
    cmd->add_option("--shard", flags->identity.shard,
                    "Run shard I/N: a stable 1/N of the benchmarks, by a hash of their names");
    cmd->add_option("--run-group", flags->identity.run_group,
                    "Shards with the same group, commit and testbed form one run (default: from "
                    "CI variables)");
    cmd->add_option("--run-id", flags->identity.run_id,
                    "Idempotency key of the run (else derived from CI variables, else random)");
    cmd->add_option("--type", flags->request.type,
                    "For the command after --: auto, gbench or command")
        ->capture_default_str();
    cmd->add_option("--name", flags->request.name, "Suite name for the command after --");
    cmd->add_option("--warmup", flags->request.warmup,
                    "Unmeasured runs before the measured ones (commands)");
    cmd->add_option("--results", flags->request.results,
                    "A result file the command writes on each run; read with --format");
    cmd->add_option("--format,-f", flags->request.format,
                    "Format of --results: auto, " + formats::adapter_names())
        ->capture_default_str();
    add_adapter_flags(*cmd, flags->adapter, " of --results");
    cmd->add_option("--ab", flags->request.ab,
                    "A/B mode: BASELINE CANDIDATE Google Benchmark binaries, run in alternating "
                    "rounds and recorded as one paired comparison")
        ->expected(2);
    cmd->add_option("--ab-rounds", flags->request.ab_rounds, "A/B rounds (default 10)");
    cmd->add_flag("--check", flags->check,
                  "After storing, run perftrack check on this commit (with --ab: the paired test "
                  "of the two sides); exit 1 on a regression");
    cmd->add_option("--confirm", flags->confirm,
                    "With --check: re-run the benchmarks that look regressed at most N more times "
                    "(each a run of the same commit), one at a time until the re-runs decide; "
                    "default 5 on a pull request, 0 on the baseline branch; 0 turns it off");
    cmd->add_flag("--no-fail", flags->no_fail, "With --check: report regressions, exit 0");
    cmd->add_option("--check-format", flags->check_format, "With --check: text, json or markdown")
        ->check(CLI::IsMember({"text", "json", "markdown"}))
        ->capture_default_str();
    cmd->add_option("--baseline-branch", flags->baseline_branch,
                    "With --check: the baseline branch (else the CI target branch, else "
                    "baseline_branch of perftrack.toml, else main)");
    cmd->add_option("--base-commit", flags->base_commit,
                    "With --check on a pull request: the merge-base (else from CI or git)");
    add_detection_options(*cmd, flags->detection);
    add_server_option(*cmd, flags->server);
    cmd->add_option("command", flags->request.command,
                    "-- CMD ARGS...: a Google Benchmark binary or any command to measure");
    cmd->callback(
        [flags, cmd, &action] { action = [flags] { return RunCommand(*flags).execute(); }; });
}

}  // namespace perftrack::cli
