#include "cli/server_upload.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "cli/output.hpp"
#include "cli/server_options.hpp"
#include "cli/store_or_spool.hpp"
#include "core/exit_code.hpp"
#include "store/spool.hpp"

namespace perftrack::cli {

namespace {

store::IngestOutcome outcome_of(const store::RunToStore& run, const client::UploadReply& reply) {
    store::IngestOutcome outcome;
    outcome.stored = reply.stored;
    outcome.run_id = reply.run_id;
    outcome.counts = core::count(run.results);
    return outcome;
}

}  // namespace

int upload_runs_or_spool(const CommonOptions& options, const client::ApiClient& api,
                         const std::vector<store::RunToStore>& runs) {
    std::size_t next = 0;
    for (; next < runs.size(); ++next) {
        auto reply = client::upload_run(api, runs[next], false);
        if (!reply) {
            if (!reply.error().unavailable()) {
                print_error(reply.error().message, reply.error().hint);
                return reply.error().exit_code;
            }
            print_error(reply.error().message,
                        "the server's log says why; 'perftrack push --server URL' uploads the "
                        "spooled runs later");
            break;
        }
        if (!options.quiet)
            fmt::print("{}\n", describe_outcome(runs[next], outcome_of(runs[next], *reply)));
    }
    std::fflush(stdout);
    if (next == runs.size()) return 0;
    const auto home = store::perftrack_home();
    bool lost = false;
    for (; next < runs.size(); ++next) {
        auto file = store::spool_run(home, runs[next]);
        if (!file) {
            print_error(fmt::format("could not spool run {}: {}", runs[next].run_key,
                                    file.error().message));
            lost = true;
            continue;
        }
        print_note(fmt::format(
            "server unavailable: spooled run {} to {}; upload it later with 'perftrack push'",
            runs[next].run_key, file->string()));
    }
    if (lost) return static_cast<int>(core::ExitCode::bad_input);
    return static_cast<int>(core::ExitCode::database_unavailable);
}

int store_or_upload(const CommonOptions& options, const std::optional<client::ServerTarget>& server,
                    const std::vector<store::RunToStore>& runs) {
    if (!server) return store_runs_or_spool(options, runs);
    return upload_runs_or_spool(options, api_client_for(*server, options.verbose), runs);
}

int push_to_server(const CommonOptions& options, const client::ApiClient& api) {
    const auto home = store::perftrack_home();
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
        auto reply = client::upload_run(api, *run, false);
        if (!reply) {
            print_error(fmt::format("{}: {}", file.string(), reply.error().message),
                        reply.error().hint);
            if (reply.error().unavailable()) {
                if (!options.quiet)
                    fmt::print("pushed {} of {} spooled runs; the rest stay spooled\n", pushed,
                               files.size());
                return static_cast<int>(core::ExitCode::database_unavailable);
            }
            exit_code = reply.error().exit_code;
            continue;
        }
        std::error_code ec;
        std::filesystem::remove(file, ec);
        if (ec)
            print_warning(
                fmt::format("{}: stored but not removed: {}", file.string(), ec.message()));
        ++pushed;
        if (!options.quiet) fmt::print("{}\n", describe_outcome(*run, outcome_of(*run, *reply)));
    }
    if (!options.quiet) fmt::print("pushed {} of {} spooled runs\n", pushed, files.size());
    return exit_code;
}

}  // namespace perftrack::cli
