#include "runner/run_plan.hpp"

#include <set>

#include <fmt/format.h>
#include <unistd.h>

#include "core/process.hpp"

namespace perftrack::runner {

namespace {

using core::ErrorKind;
using core::fail;

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
core::Result<void> check_startable(const PlannedSuite& s, ErrorKind kind) {
    const auto& dir = s.kind == SuiteKind::gbench ? s.gbench.working_dir : s.command.working_dir;
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
        return fail(kind, fmt::format("{}: suite \"{}\": working directory {} does not exist",
                                      s.where, s.name(), dir.string()));
    if (s.kind == SuiteKind::gbench) {
        if (!is_executable_file(s.gbench.binary))
            return fail(
                kind,
                fmt::format("{}: suite \"{}\": {} {}", s.where, s.name(), s.gbench.binary.string(),
                            std::filesystem::exists(s.gbench.binary, ec)
                                ? "is not an executable file"
                                : "does not exist"),
                "build the benchmarks first, or fix the path");
        return {};
    }
    const std::string& argv0 = s.command.argv.front();
    const auto program = locate_program(argv0, dir);
    if (program.empty() || !is_executable_file(program))
        return fail(kind,
                    fmt::format("{}: suite \"{}\": cannot run {}: {}", s.where, s.name(), argv0,
                                program.empty() ? "not found on PATH" : "no such executable file"));
    const auto& format = s.command.results_format;
    if (format != "auto" && formats::find_adapter(format) == nullptr)
        return fail(kind,
                    fmt::format("{}: suite \"{}\": unknown results format \"{}\" (known: auto, {})",
                                s.where, s.name(), format, formats::adapter_names()));
    return {};
}

formats::AdapterOptions adapter_options(const RunRequest& request, const RunConfig& config,
                                        const SuiteConfig* suite, const std::string& suite_name) {
    formats::AdapterOptions o;
    o.suite = suite_name;
    std::set<std::string> metrics;
    for (const auto& [name, rule] : config.metrics) metrics.insert(name);
    if (suite != nullptr)
        for (const auto& [name, rule] : suite->metrics) metrics.insert(name);
    const SuiteConfig empty;
    for (const auto& name : metrics) {
        const auto rule = metric_rule(config, suite != nullptr ? *suite : empty, name);
        if (rule.direction) o.directions[name] = *rule.direction;
        if (rule.unit || rule.direction) o.metrics[name] = {rule.unit, rule.direction};
    }
    if (suite != nullptr) {
        o.param_fields = suite->params;
        o.ignored_fields = suite->ignore_fields;
    }
    const auto& over = request.overrides;
    for (const auto& [name, direction] : over.directions) o.directions[name] = direction;
    for (const auto& [name, metric] : over.metrics) o.metrics[name] = metric;
    if (!over.param_fields.empty()) o.param_fields = over.param_fields;
    if (!over.ignored_fields.empty()) o.ignored_fields = over.ignored_fields;
    return o;
}

std::optional<std::chrono::nanoseconds> timeout_for(const RunRequest& request,
                                                    const RunConfig& config,
                                                    const SuiteConfig* suite) {
    std::optional<double> seconds = request.timeout_seconds;
    if (!seconds && suite != nullptr) seconds = effective_timeout_seconds(config, *suite);
    if (!seconds) seconds = config.timeout_seconds;
    if (!seconds) return std::nullopt;
    return seconds_to_ns(*seconds);
}

int repetitions_for(const RunRequest& request, const RunConfig& config, const SuiteConfig* suite) {
    if (request.repetitions) return *request.repetitions;
    if (suite != nullptr) return effective_repetitions(config, *suite);
    return config.repetitions.value_or(k_default_repetitions);
}

core::Result<AbSpec> plan_ab(const RunRequest& request, const RunPlan& plan) {
    if (request.ab.size() != 2)
        return fail(ErrorKind::usage, "--ab takes two binaries: BASELINE CANDIDATE");
    if (plan.shard) return fail(ErrorKind::usage, "--ab and --shard cannot be combined");
    AbSpec spec;
    const std::string name =
        request.name.value_or(std::filesystem::path(request.ab[1]).filename().string());
    for (int side = 0; side < 2; ++side) {
        GbenchSuite g;
        g.name = name;
        g.binary = request.ab[static_cast<std::size_t>(side)];
        g.args = request.command;
        if (auto r = absorb_gbench_args(g); !r) return tl::unexpected(r.error());
        g.adapter_options = adapter_options(request, plan.config, nullptr, name);
        PlannedSuite check;
        check.gbench = g;
        check.where = "--ab";
        if (auto r = check_startable(check, ErrorKind::usage); !r) return tl::unexpected(r.error());
        (side == 0 ? spec.baseline : spec.candidate) = std::move(g);
    }
    spec.rounds = request.ab_rounds.value_or(request.repetitions.value_or(k_default_ab_rounds));
    spec.timeout = timeout_for(request, plan.config, nullptr);
    return spec;
}

core::Result<PlannedSuite> plan_command_line(const RunRequest& request, const RunConfig& config) {
    const std::string& argv0 = request.command.front();
    const auto program = locate_program(argv0, {});
    if (program.empty())
        return fail(ErrorKind::usage, fmt::format("cannot run {}: not found on PATH", argv0));
    bool gbench = false;
    if (request.type == "gbench") {
        gbench = true;
    } else if (request.type == "auto") {
        gbench = looks_like_gbench_binary(program);
    } else if (request.type != "command") {
        return fail(ErrorKind::usage,
                    fmt::format("--type \"{}\": expected auto, gbench or command", request.type));
    }
    PlannedSuite s;
    s.where = "the command line";
    const std::string name = request.name.value_or(program.filename().string());
    if (gbench) {
        if (request.results || request.warmup)
            return fail(ErrorKind::usage,
                        fmt::format("{} is a Google Benchmark binary: --results and --warmup are "
                                    "for plain commands",
                                    argv0),
                        "pass --type command to run it as a plain command");
        s.kind = SuiteKind::gbench;
        s.gbench.name = name;
        s.gbench.binary = program;
        s.gbench.args.assign(request.command.begin() + 1, request.command.end());
        s.gbench.repetitions = config.repetitions.value_or(k_default_repetitions);
        if (auto r = absorb_gbench_args(s.gbench); !r) return tl::unexpected(r.error());
        if (request.repetitions) s.gbench.repetitions = *request.repetitions;
        s.gbench.timeout = timeout_for(request, config, nullptr);
        s.gbench.adapter_options = adapter_options(request, config, nullptr, name);
    } else {
        s.kind = SuiteKind::command;
        s.command.name = name;
        s.command.argv = request.command;
        s.command.warmup_runs = request.warmup.value_or(0);
        s.command.runs = repetitions_for(request, config, nullptr);
        s.command.timeout = timeout_for(request, config, nullptr);
        if (request.results) s.command.results_file = *request.results;
        s.command.results_format = request.format;
        s.command.adapter_options = adapter_options(request, config, nullptr, name);
    }
    if (auto r = check_startable(s, ErrorKind::usage); !r) return tl::unexpected(r.error());
    return s;
}

core::Result<PlannedSuite> plan_config_suite(const RunRequest& request, const RunConfig& config,
                                             const SuiteConfig& sc) {
    PlannedSuite s;
    s.kind = sc.kind;
    s.where = fmt::format("{}:{}", config.source.string(), sc.line);
    if (sc.kind == SuiteKind::gbench) {
        auto& g = s.gbench;
        g.name = sc.name;
        g.binary = sc.binary;
        g.filter = sc.filter;
        g.args = sc.args;
        g.repetitions = effective_repetitions(config, sc);
        if (auto r = absorb_gbench_args(g); !r)
            return fail(ErrorKind::config, fmt::format("{}: suite \"{}\": args: {}", s.where,
                                                       sc.name, r.error().message));
        if (request.repetitions) g.repetitions = *request.repetitions;
        g.working_dir = sc.working_dir;
        g.env = sc.env;
        g.timeout = timeout_for(request, config, &sc);
        g.adapter_options = adapter_options(request, config, &sc, sc.name);
    } else {
        auto& c = s.command;
        c.name = sc.name;
        c.argv = sc.command;
        c.working_dir = sc.working_dir;
        c.env = sc.env;
        c.warmup_runs = request.warmup.value_or(sc.warmup_runs);
        c.runs = repetitions_for(request, config, &sc);
        c.timeout = timeout_for(request, config, &sc);
        c.results_file = sc.results_file;
        c.results_format = sc.results_format;
        c.adapter_options = adapter_options(request, config, &sc, sc.name);
    }
    if (auto r = check_startable(s, ErrorKind::config); !r) return tl::unexpected(r.error());
    return s;
}

}  // namespace

core::Result<RunPlan> plan_run(const RunRequest& request) {
    RunPlan plan;
    std::optional<std::filesystem::path> file;
    if (request.config) {
        file = *request.config;
    } else {
        file = find_config(".");
        if (file) file = file->lexically_normal();
    }
    if (file) {
        auto config = load_config(*file);
        if (!config) return tl::unexpected(config.error());
        plan.config = std::move(*config);
    }
    if (request.shard) {
        auto shard = parse_shard(*request.shard);
        if (!shard) return tl::unexpected(shard.error());
        plan.shard = *shard;
    }
    if (request.repetitions && *request.repetitions < 1)
        return fail(ErrorKind::usage, "--repetitions must be at least 1");
    if (request.timeout_seconds && !(*request.timeout_seconds > 0))
        return fail(ErrorKind::usage, "--timeout must be a positive number of seconds");

    if (!request.ab.empty()) {
        auto ab = plan_ab(request, plan);
        if (!ab) return tl::unexpected(ab.error());
        plan.ab = std::move(*ab);
        return plan;
    }
    if (!request.command.empty()) {
        if (!request.suites.empty())
            return fail(ErrorKind::usage,
                        "--suite selects suites of the config; it cannot be combined with a "
                        "command after --");
        auto suite = plan_command_line(request, plan.config);
        if (!suite) return tl::unexpected(suite.error());
        plan.suites.push_back(std::move(*suite));
        return plan;
    }
    if (request.results || request.warmup || request.name || request.type != "auto")
        return fail(ErrorKind::usage,
                    "--type, --name, --warmup and --results describe a command given after --");
    std::set<std::string> wanted(request.suites.begin(), request.suites.end());
    for (const auto& sc : plan.config.suites) {
        if (!wanted.empty() && wanted.erase(sc.name) == 0) continue;
        auto suite = plan_config_suite(request, plan.config, sc);
        if (!suite) return tl::unexpected(suite.error());
        plan.suites.push_back(std::move(*suite));
    }
    if (!wanted.empty()) {
        std::string known;
        for (const auto& sc : plan.config.suites) known += (known.empty() ? "" : ", ") + sc.name;
        return fail(ErrorKind::usage,
                    fmt::format("--suite {}: no such suite{}", *wanted.begin(),
                                known.empty() ? "" : fmt::format(" (known: {})", known)));
    }
    if (plan.suites.empty())
        return fail(ErrorKind::usage,
                    file ? fmt::format("{} defines no [[suite]]", file->string())
                         : "nothing to run: no perftrack.toml here and no command after --",
                    "write a perftrack.toml (see docs/runner.md), or run "
                    "'perftrack run -- ./bench_binary'");
    return plan;
}

}  // namespace perftrack::runner
