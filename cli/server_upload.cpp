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
    return push_spooled_runs(options, store::perftrack_home(),
                             [&](const store::RunToStore& run, const std::filesystem::path& file) {
                                 auto reply = client::upload_run(api, run, false);
                                 if (reply) return SpoolSend{outcome_of(run, *reply)};
                                 print_error(
                                     fmt::format("{}: {}", file.string(), reply.error().message),
                                     reply.error().hint);
                                 SpoolSend refused;
                                 refused.exit_code = reply.error().exit_code;
                                 refused.stop = reply.error().unavailable();
                                 return refused;
                             });
}

}  // namespace perftrack::cli
