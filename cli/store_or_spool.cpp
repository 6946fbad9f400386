#include "cli/store_or_spool.hpp"

#include <optional>

#include <fmt/format.h>

#include "cli/output.hpp"
#include "core/display.hpp"
#include "core/exit_code.hpp"
#include "store/spool.hpp"

namespace perftrack::cli {

namespace {
std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}
}  // namespace

std::string describe_outcome(const store::RunToStore& run, const store::IngestOutcome& outcome) {
    const std::string where =
        fmt::format("project {}, testbed {}, branch {}, commit {}", run.project, run.testbed,
                    run.branch, core::short_sha(run.commit));
    if (!outcome.stored)
        return fmt::format("run {} ({}) was already ingested; nothing written", run.run_key, where);
    const auto& c = outcome.counts;
    std::string line =
        fmt::format("stored run {} ({}): {}, {}, {}", run.run_key, where,
                    plural(c.benchmarks, "benchmark", "benchmarks"),
                    plural(c.metrics, "metric", "metrics"), plural(c.samples, "sample", "samples"));
    if (c.failures > 0) line += fmt::format(", {} failed", c.failures);
    return line;
}

int store_runs_or_spool(const CommonOptions& options, const std::vector<store::RunToStore>& runs) {
    const auto target = store::resolve_connection_target(options.db);
    std::size_t next = 0;
    std::string why;
    // A schema this binary cannot use is not an outage: it fails every job until a person
    // migrates the database or upgrades perftrack, so it exits 2 (configuration), but the run is
    // spooled first so the benchmarks need not run again.
    std::optional<core::Error> schema_problem;
    try {
        auto db = open_store(options);
        for (; next < runs.size(); ++next) {
            const auto outcome = db->ingest(runs[next]);
            if (!options.quiet) fmt::print("{}\n", describe_outcome(runs[next], outcome));
        }
        std::fflush(stdout);
        return 0;
    } catch (const store::StoreError& e) {
        if (!e.unavailable()) throw;
        why = e.what();
    } catch (const store::SchemaVersionError& e) {
        schema_problem = e.error;
    } catch (const core::ErrorException& e) {
        if (e.error.kind != core::ErrorKind::database_unavailable) throw;
        why = e.error.message;
    }
    std::fflush(stdout);
    if (schema_problem) {
        print_error(*schema_problem);
    } else {
        print_error(why);
    }
    bool lost = false;
    for (; next < runs.size(); ++next) {
        auto file = store::spool_run(target.home, runs[next]);
        if (!file) {
            // Nowhere to keep it: say so loudly; the caller's input files are still intact.
            print_error(fmt::format("could not spool run {}: {}", runs[next].run_key,
                                    file.error().message));
            lost = true;
            continue;
        }
        print_note(
            fmt::format("{}: spooled run {} to {}; upload it later with 'perftrack push'",
                        schema_problem ? "database schema not usable" : "database unavailable",
                        runs[next].run_key, file->string()));
    }
    if (schema_problem) return static_cast<int>(core::exit_code_for(schema_problem->kind));
    // Exit 3 promises that nothing was lost; a run that could be neither stored nor spooled
    // breaks that promise.
    if (lost) return static_cast<int>(core::ExitCode::bad_input);
    return static_cast<int>(core::ExitCode::database_unavailable);
}

int push_spooled_runs(
    const CommonOptions& options, const std::filesystem::path& home,
    const std::function<SpoolSend(const store::RunToStore&, const std::filesystem::path&)>& send) {
    const auto files = store::spooled_files(home);
    if (files.empty()) {
        if (!options.quiet)
            fmt::print("nothing to push: {} is empty\n", store::spool_dir(home).string());
        return 0;
    }
    int exit_code = 0;
    std::size_t pushed = 0;
    for (const auto& file : files) {
        auto run = store::read_spooled_run(file);
        if (!run) {
            print_error(run.error());
            exit_code = static_cast<int>(core::ExitCode::bad_input);
            continue;
        }
        const SpoolSend sent = send(*run, file);
        if (sent.stop) {
            if (!options.quiet)
                fmt::print("pushed {} of {} spooled runs; the rest stay spooled\n", pushed,
                           files.size());
            return static_cast<int>(core::ExitCode::database_unavailable);
        }
        if (!sent.outcome) {
            exit_code = sent.exit_code;
            continue;
        }
        std::error_code ec;
        std::filesystem::remove(file, ec);
        if (ec)
            print_warning(
                fmt::format("{}: stored but not removed: {}", file.string(), ec.message()));
        ++pushed;
        if (!options.quiet) fmt::print("{}\n", describe_outcome(*run, *sent.outcome));
    }
    if (!options.quiet) fmt::print("pushed {} of {} spooled runs\n", pushed, files.size());
    return exit_code;
}

}  // namespace perftrack::cli
