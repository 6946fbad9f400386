#include "cli/run_plan.hpp"

#include <set>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/value_parsers.hpp"
#include "core/process.hpp"
#include "formats/adapter.hpp"

namespace perftrack::cli {

namespace {

using core::ErrorKind;
using core::fail;

[[noreturn]] void stop(ErrorKind kind, std::string message, std::string hint = {}) {
    throw core::ErrorException(core::Error{kind, std::move(message), std::move(hint)});
}

std::chrono::nanoseconds seconds_to_ns(double seconds) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(seconds));
}

// Where a program named by argv[0] will be found: PATH for a bare name, else relative to the
// directory it runs in (the child changes there before exec).
std::filesystem::path locate_program(const std::string& argv0,
                                     const std::filesystem::path& working_dir) {
    if (argv0.find('/') == std::string::npos) return core::find_program(argv0);
    std::filesystem::path p(argv0);
    if (p.is_relative() && !working_dir.empty()) p = working_dir / p;
    return p;
}

bool is_executable_file(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// Fails with `kind` when the suite cannot be started.
void check_startable(const PlannedSuite& s, ErrorKind kind) {
    const auto& dir =
        s.kind == runner::SuiteKind::gbench ? s.gbench.working_dir : s.command.working_dir;
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
        stop(kind, fmt::format("{}: suite \"{}\": working directory {} does not exist", s.where,
                               s.name(), dir.string()));
    if (s.kind == runner::SuiteKind::gbench) {
        if (!is_executable_file(s.gbench.binary))
            stop(kind,
                 fmt::format("{}: suite \"{}\": {} {}", s.where, s.name(), s.gbench.binary.string(),
                             std::filesystem::exists(s.gbench.binary, ec)
                                 ? "is not an executable file"
                                 : "does not exist"),
                 "build the benchmarks first, or fix the path");
        return;
    }
    const std::string& argv0 = s.command.argv.front();
    const auto program = locate_program(argv0, dir);
    if (program.empty() || !is_executable_file(program))
        stop(kind, fmt::format("{}: suite \"{}\": cannot run {}: {}", s.where, s.name(), argv0,
                               program.empty() ? "not found on PATH" : "no such executable file"));
    const auto& format = s.command.results_format;
    if (format != "auto" && formats::find_adapter(format) == nullptr)
        stop(kind, fmt::format("{}: suite \"{}\": unknown results format \"{}\" (known: auto, {})",
                               s.where, s.name(), format, formats::adapter_names()));
}

formats::AdapterOptions adapter_options(const RunFlags& flags,
                                                 const runner::RunConfig& config,
                                                 const runner::SuiteConfig* suite,
                                                 const std::string& suite_name) {
    formats::AdapterOptions o;
    o.suite = suite_name;
    std::set<std::string> metrics;
    for (const auto& [name, rule] : config.metrics) metrics.insert(name);
    if (suite != nullptr)
        for (const auto& [name, rule] : suite->metrics) metrics.insert(name);
    const runner::SuiteConfig empty;
    for (const auto& name : metrics) {
        const auto rule = runner::metric_rule(config, suite != nullptr ? *suite : empty, name);
        if (rule.direction) o.directions[name] = *rule.direction;
        if (rule.unit || rule.direction) o.metrics[name] = {rule.unit, rule.direction};
    }
    if (suite != nullptr) {
        o.param_fields = suite->params;
        o.ignored_fields = suite->ignore_fields;
    }
    for (const auto& d : flags.directions) {
        auto parsed = parse_direction_override(d);
        if (!parsed) throw core::ErrorException(parsed.error());
        o.directions[parsed->first] = parsed->second;
    }
    for (const auto& m : flags.metrics) {
        auto parsed = parse_metric_override(m);
        if (!parsed) throw core::ErrorException(parsed.error());
        o.metrics[parsed->first] = parsed->second;
    }
    if (!flags.params.empty()) o.param_fields = split_list(flags.params);
    if (!flags.ignore_fields.empty()) o.ignored_fields = split_list(flags.ignore_fields);
    return o;
}

std::optional<std::chrono::nanoseconds> timeout_for(const RunFlags& flags,
                                                    const runner::RunConfig& config,
                                                    const runner::SuiteConfig* suite) {
    std::optional<double> seconds = flags.timeout_seconds;
    if (!seconds && suite != nullptr) seconds = runner::effective_timeout_seconds(config, *suite);
    if (!seconds) seconds = config.timeout_seconds;
    if (!seconds) return std::nullopt;
    return seconds_to_ns(*seconds);
}

int repetitions_for(const RunFlags& flags, const runner::RunConfig& config,
                    const runner::SuiteConfig* suite) {
    if (flags.repetitions) return *flags.repetitions;
    if (suite != nullptr) return runner::effective_repetitions(config, *suite);
    return config.repetitions.value_or(runner::k_default_repetitions);
}

void plan_ab(const RunFlags& flags, RunPlan& plan) {
    if (flags.ab.size() != 2) stop(ErrorKind::usage, "--ab takes two binaries: BASELINE CANDIDATE");
    if (plan.shard) stop(ErrorKind::usage, "--ab and --shard cannot be combined");
    runner::AbSpec spec;
    const std::string name =
        flags.name.value_or(std::filesystem::path(flags.ab[1]).filename().string());
    for (int side = 0; side < 2; ++side) {
        runner::GbenchSuite g;
        g.name = name;
        g.binary = flags.ab[static_cast<std::size_t>(side)];
        g.args = flags.command;
        if (auto r = runner::absorb_gbench_args(g); !r) throw core::ErrorException(r.error());
        g.adapter_options = adapter_options(flags, plan.config, nullptr, name);
        PlannedSuite check;
        check.gbench = g;
        check.where = "--ab";
        check_startable(check, ErrorKind::usage);
        (side == 0 ? spec.baseline : spec.candidate) = std::move(g);
    }
    spec.rounds = flags.ab_rounds.value_or(flags.repetitions.value_or(runner::k_default_ab_rounds));
    spec.timeout = timeout_for(flags, plan.config, nullptr);
    plan.ab = std::move(spec);
}

PlannedSuite plan_command_line(const RunFlags& flags, const runner::RunConfig& config) {
    const std::string& argv0 = flags.command.front();
    const auto program = locate_program(argv0, {});
    if (program.empty())
        stop(ErrorKind::usage, fmt::format("cannot run {}: not found on PATH", argv0));
    bool gbench = false;
    if (flags.type == "gbench") {
        gbench = true;
    } else if (flags.type == "auto") {
        gbench = runner::looks_like_gbench_binary(program);
    } else if (flags.type != "command") {
        stop(ErrorKind::usage,
             fmt::format("--type \"{}\": expected auto, gbench or command", flags.type));
    }
    PlannedSuite s;
    s.where = "the command line";
    const std::string name = flags.name.value_or(program.filename().string());
    if (gbench) {
        if (flags.results || flags.warmup)
            stop(ErrorKind::usage,
                 fmt::format("{} is a Google Benchmark binary: --results and --warmup are for "
                             "plain commands",
                             argv0),
                 "pass --type command to run it as a plain command");
        s.kind = runner::SuiteKind::gbench;
        s.gbench.name = name;
        s.gbench.binary = program;
        s.gbench.args.assign(flags.command.begin() + 1, flags.command.end());
        s.gbench.repetitions = config.repetitions.value_or(runner::k_default_repetitions);
        if (auto r = runner::absorb_gbench_args(s.gbench); !r)
            throw core::ErrorException(r.error());
        if (flags.repetitions) s.gbench.repetitions = *flags.repetitions;
        s.gbench.timeout = timeout_for(flags, config, nullptr);
        s.gbench.adapter_options = adapter_options(flags, config, nullptr, name);
    } else {
        s.kind = runner::SuiteKind::command;
        s.command.name = name;
        s.command.argv = flags.command;
        s.command.warmup_runs = flags.warmup.value_or(0);
        s.command.runs = repetitions_for(flags, config, nullptr);
        s.command.timeout = timeout_for(flags, config, nullptr);
        if (flags.results) s.command.results_file = *flags.results;
        s.command.results_format = flags.format;
        s.command.adapter_options = adapter_options(flags, config, nullptr, name);
    }
    check_startable(s, ErrorKind::usage);
    return s;
}

PlannedSuite plan_config_suite(const RunFlags& flags, const runner::RunConfig& config,
                               const runner::SuiteConfig& sc) {
    PlannedSuite s;
    s.kind = sc.kind;
    s.where = fmt::format("{}:{}", config.source.string(), sc.line);
    if (sc.kind == runner::SuiteKind::gbench) {
        auto& g = s.gbench;
        g.name = sc.name;
        g.binary = sc.binary;
        g.filter = sc.filter;
        g.args = sc.args;
        g.repetitions = runner::effective_repetitions(config, sc);
        if (auto r = runner::absorb_gbench_args(g); !r)
            stop(ErrorKind::config,
                 fmt::format("{}: suite \"{}\": args: {}", s.where, sc.name, r.error().message));
        if (flags.repetitions) g.repetitions = *flags.repetitions;
        g.working_dir = sc.working_dir;
        g.env = sc.env;
        g.timeout = timeout_for(flags, config, &sc);
        g.adapter_options = adapter_options(flags, config, &sc, sc.name);
    } else {
        auto& c = s.command;
        c.name = sc.name;
        c.argv = sc.command;
        c.working_dir = sc.working_dir;
        c.env = sc.env;
        c.warmup_runs = flags.warmup.value_or(sc.warmup_runs);
        c.runs = repetitions_for(flags, config, &sc);
        c.timeout = timeout_for(flags, config, &sc);
        c.results_file = sc.results_file;
        c.results_format = sc.results_format;
        c.adapter_options = adapter_options(flags, config, &sc, sc.name);
    }
    check_startable(s, ErrorKind::config);
    return s;
}

}  // namespace

core::Result<RunPlan> build_run_plan(const RunFlags& flags) {
    try {
        RunPlan plan;
        std::optional<std::filesystem::path> file;
        if (flags.config) {
            file = *flags.config;
        } else {
            file = runner::find_config(".");
            if (file) file = file->lexically_normal();
        }
        if (file) {
            auto config = runner::load_config(*file);
            if (!config) return tl::unexpected<core::Error>(config.error());
            plan.config = std::move(*config);
        }
        if (flags.identity.shard) {
            auto shard = runner::parse_shard(*flags.identity.shard);
            if (!shard) return tl::unexpected<core::Error>(shard.error());
            plan.shard = *shard;
        }
        if (flags.repetitions && *flags.repetitions < 1)
            stop(ErrorKind::usage, "--repetitions must be at least 1");
        if (flags.timeout_seconds && !(*flags.timeout_seconds > 0))
            stop(ErrorKind::usage, "--timeout must be a positive number of seconds");

        if (flags.confirm && *flags.confirm < 0)
            stop(ErrorKind::usage, "--confirm needs a count of at least 0 (0: no re-runs)");
        const bool checking = flags.check || flags.confirm;
        const bool detection_flags = flags.detection.alpha || flags.detection.baseline_runs ||
                                     flags.detection.min_change_percent ||
                                     flags.detection.exact_tolerance_percent;
        if (!checking && (flags.no_fail || flags.check_format != "text" || flags.baseline_branch ||
                          flags.base_commit || detection_flags))
            stop(ErrorKind::usage,
                 "--no-fail, --check-format, --baseline-branch, --base-commit, --alpha, "
                 "--min-change, --baseline-runs and --exact-tolerance go with --check");
        if (checking && plan.shard)
            stop(ErrorKind::usage,
                 "--check with --shard would judge the commit before every shard arrived",
                 "run 'perftrack check' in a job after all shards");
        if (flags.confirm && !flags.ab.empty())
            stop(ErrorKind::usage,
                 "--confirm re-runs regressed benchmarks of a regular run; an A/B "
                 "run gets more evidence from more --ab-rounds");
        if (!flags.ab.empty()) {
            plan_ab(flags, plan);
            return plan;
        }
        if (!flags.command.empty()) {
            if (!flags.suites.empty())
                stop(ErrorKind::usage,
                     "--suite selects suites of the config; it cannot be "
                     "combined with a command after --");
            plan.suites.push_back(plan_command_line(flags, plan.config));
            return plan;
        }
        if (flags.results || flags.warmup || flags.name || flags.type != "auto")
            stop(ErrorKind::usage,
                 "--type, --name, --warmup and --results describe a command given after --");
        std::set<std::string> wanted(flags.suites.begin(), flags.suites.end());
        for (const auto& sc : plan.config.suites) {
            if (!wanted.empty() && wanted.erase(sc.name) == 0) continue;
            plan.suites.push_back(plan_config_suite(flags, plan.config, sc));
        }
        if (!wanted.empty()) {
            std::string known;
            for (const auto& sc : plan.config.suites)
                known += (known.empty() ? "" : ", ") + sc.name;
            stop(ErrorKind::usage,
                 fmt::format("--suite {}: no such suite{}", *wanted.begin(),
                             known.empty() ? "" : fmt::format(" (known: {})", known)));
        }
        if (plan.suites.empty())
            stop(ErrorKind::usage,
                 file ? fmt::format("{} defines no [[suite]]", file->string())
                      : "nothing to run: no perftrack.toml here and no command after --",
                 "write a perftrack.toml (see docs/runner.md), or run "
                 "'perftrack run -- ./bench_binary'");
        return plan;
    } catch (const core::ErrorException& e) {
        return tl::unexpected<core::Error>(e.error);
    }
}

}  // namespace perftrack::cli
