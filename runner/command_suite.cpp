#include "runner/command_suite.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <sys/stat.h>

#include "core/file_io.hpp"
#include "core/process.hpp"
#include "runner/process/benchmark_process.hpp"

namespace perftrack::runner {

namespace {

using Clock = std::chrono::steady_clock;

class CommandObserver : public core::ProcessObserver {
  public:
    explicit CommandObserver(Progress* progress) : m_progress(progress) {}
    void on_output(core::OutputStream stream, std::string_view data) override {
        if (m_progress != nullptr) m_progress->child_output(stream, data);
    }
    void on_tick() override {
        if (m_progress != nullptr) m_progress->tick();
    }

  private:
    Progress* m_progress;
};

// Identity of a file version: a rewrite changes the modification time (nanoseconds) or size.
struct FileStamp {
    bool exists = false;
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
    ino_t inode = 0;
    bool operator==(const FileStamp&) const = default;
};

FileStamp stamp(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return {true, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
            static_cast<std::int64_t>(st.st_size), st.st_ino};
}

core::Measurement process_series(const CommandSuite& suite, const char* metric, const char* unit) {
    core::Measurement m;
    m.series.suite = suite.adapter_options.suite;
    m.series.benchmark = suite.name;
    m.series.metric = metric;
    m.series.unit = unit;
    m.series.direction = core::Direction::lower;
    return m;
}

// Adds one run's result-file measurements to the suite's: a series seen before gets the new
// samples appended, so sample i of a one-sample-per-run format is run i.
class ResultAccumulator {
  public:
    void add(core::RunResults run, core::RunResults& into) {
        for (auto& m : run.measurements) {
            const std::string key = m.series.key();
            if (auto it = m_index.find(key); it != m_index.end()) {
                auto& samples = into.measurements[it->second].samples;
                samples.insert(samples.end(), m.samples.begin(), m.samples.end());
            } else {
                m_index.emplace(key, into.measurements.size());
                into.measurements.push_back(std::move(m));
            }
        }
        for (auto& f : run.failures)
            if (m_failures.insert(f.benchmark + '\x1f' + f.params.dump()).second)
                into.failures.push_back(std::move(f));
        // What the file says about where it ran (a records file's context), for the testbed
        // fingerprint; the first run's value of a key stays.
        for (const auto& [key, value] : run.context.fingerprint.items())
            if (!into.context.fingerprint.contains(key)) into.context.fingerprint[key] = value;
        for (auto& w : run.warnings)
            if (m_texts.insert(w).second) into.warnings.push_back(std::move(w));
        for (auto& n : run.notes)
            if (m_texts.insert(n).second) into.notes.push_back(std::move(n));
    }

  private:
    std::unordered_map<std::string, std::size_t> m_index;
    std::set<std::string> m_failures;
    std::set<std::string> m_texts;
};

}  // namespace

SuiteOutcome run_command_suite(const CommandSuite& suite, Progress* progress) {
    SuiteOutcome out;
    out.name = suite.name;
    out.planned = static_cast<std::size_t>(suite.runs);
    const auto started = Clock::now();
    std::optional<Clock::time_point> deadline;
    if (suite.timeout) deadline = started + *suite.timeout;
    ProgramFacts facts;
    if (!suite.argv.empty()) {
        // A command found on PATH is identified by the program that will run.
        const auto path = suite.argv[0].find('/') == std::string::npos
                              ? core::find_program(suite.argv[0])
                              : std::filesystem::path(suite.argv[0]);
        facts.compiler = elf_compiler_comment(path);
    }
    out.programs.push_back(facts);

    core::Measurement wall = process_series(suite, k_wall_time_metric, "ns");
    core::Measurement user = process_series(suite, k_user_time_metric, "ns");
    core::Measurement system = process_series(suite, k_system_time_metric, "ns");
    core::Measurement memory = process_series(suite, k_peak_memory_metric, "B");
    core::RunResults file_results;
    ResultAccumulator accumulator;
    CommandObserver observer(progress);

    const int total = suite.warmup_runs + suite.runs;
    std::string failure;
    for (int i = 0; i < total; ++i) {
        const bool warmup = i < suite.warmup_runs;
        const std::string label =
            warmup ? fmt::format("warm-up {}/{}", i + 1, suite.warmup_runs)
                   : fmt::format("run {}/{}", i - suite.warmup_runs + 1, suite.runs);
        if (progress != nullptr) progress->set_current(label);
        core::ProcessSpec spec = process::benchmark_spec();
        spec.argv = suite.argv;
        spec.working_dir = suite.working_dir;
        spec.env = suite.env;
        if (deadline) {
            const auto left =
                std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - Clock::now());
            if (left.count() <= 0) {
                failure = fmt::format("{}: timed out after {:g} s (the suite's limit)", label,
                                      std::chrono::duration<double>(*suite.timeout).count());
                break;
            }
            spec.timeout = left;
        }
        const FileStamp before =
            suite.results_file.empty() ? FileStamp{} : stamp(suite.results_file);
        auto child = process::run_benchmark(spec, &observer);
        if (progress != nullptr) progress->flush_child_output();
        if (!child) {
            failure = child.error().message;
            break;
        }
        out.child_wall_ns += child->usage.wall_ns;
        if (child->ending == core::Ending::interrupted) {
            out.interrupt_signal = child->interrupt_signal;
            break;
        }
        if (child->ending == core::Ending::timed_out) {
            failure = fmt::format(
                "{}: {} timed out after {:g} s (the suite's limit) and was stopped", label,
                suite.argv.front(), std::chrono::duration<double>(*suite.timeout).count());
            out.stderr_tail = child->stderr_text;
            break;
        }
        if (!child->ok()) {
            failure = fmt::format("{}: {} {}", label, suite.argv.front(), child->describe());
            out.stderr_tail = child->stderr_text;
            break;
        }
        if (warmup) continue;
        if (!suite.results_file.empty()) {
            const FileStamp after = stamp(suite.results_file);
            if (!after.exists || after == before) {
                failure =
                    fmt::format("{}: {} did not {} {}", label, suite.argv.front(),
                                after.exists ? "rewrite" : "write", suite.results_file.string());
                break;
            }
            auto text = core::read_input_file(suite.results_file);
            if (!text) {
                failure = fmt::format("{}: {}", label, text.error().message);
                break;
            }
            auto parsed = formats::parse_results(
                suite.results_format, *text, suite.results_file.string(), suite.adapter_options);
            if (!parsed) {
                failure = fmt::format("{}: {}", label, parsed.error().message);
                break;
            }
            accumulator.add(std::move(*parsed), file_results);
        }
        wall.samples.push_back(static_cast<double>(child->usage.wall_ns));
        user.samples.push_back(static_cast<double>(child->usage.user_ns));
        system.samples.push_back(static_cast<double>(child->usage.system_ns));
        memory.samples.push_back(static_cast<double>(child->usage.peak_rss_bytes));
        if (progress != nullptr) progress->advance(label);
    }

    if (!wall.samples.empty()) {
        for (auto* m : {&wall, &user, &system, &memory}) {
            // The kernel accounts CPU time in ticks: a short command can show 0 ns. A zero is
            // not a measurement (and no time may be zero), so such a series is left out whole,
            // which keeps sample i = run i in the others.
            const bool has_zero =
                std::find(m->samples.begin(), m->samples.end(), 0.0) != m->samples.end();
            if (has_zero) {
                out.results.notes.push_back(fmt::format(
                    "{} of {} is not recorded: it was below the kernel's CPU-time resolution "
                    "(0 ns) in some runs",
                    m->series.metric, suite.name));
                continue;
            }
            out.results.measurements.push_back(std::move(*m));
        }
    }
    for (auto& m : file_results.measurements) out.results.measurements.push_back(std::move(m));
    for (auto& f : file_results.failures) out.results.failures.push_back(std::move(f));
    out.results.context.fingerprint = std::move(file_results.context.fingerprint);
    out.results.warnings = std::move(file_results.warnings);
    out.results.notes = std::move(file_results.notes);
    if (out.interrupt_signal == 0 && !failure.empty()) {
        out.failed = true;
        out.failure = failure;
        add_suite_failure(out, suite.adapter_options.suite, suite.name, failure);
    }
    out.wall_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
    return out;
}

}  // namespace perftrack::runner
