// perftrack ingest --format F FILE...
// Parses every file first (any bad file: exit 2, nothing written), groups the files that belong
// to the same run, and stores each run in its own transaction. When the database cannot be
// reached, the runs not yet stored are spooled and the command exits 3. With --server the runs
// go through the perftrack server's API instead, with the same exit codes and the same spool.
#include <fmt/format.h>

#include "cli/adapter_flags.hpp"
#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/output.hpp"
#include "cli/server_options.hpp"
#include "cli/server_upload.hpp"
#include "cli/store_or_spool.hpp"
#include "cli/value_parsers.hpp"
#include "core/exit_code.hpp"
#include "core/file_io.hpp"
#include "formats/adapter.hpp"
#include "runner/ingest_assembly.hpp"

namespace perftrack::cli {

namespace {

struct IngestOptions {
    CommonOptions common;
    ServerOptions server;
    IdentityFlags identity;
    std::string format = "auto";
    std::vector<std::string> files;
    AdapterFlags adapter;  // --direction, --metric, --params, --ignore-fields
    std::string suite;
    std::uint64_t max_input_bytes = core::k_default_max_input_bytes;
};

CommandResult run_ingest(const IngestOptions& o) {
    // Where the runs go is settled first: --server with --db is a usage error before any parsing.
    const auto server = server_target_for(o.server, o.common.db, "ingest");
    if (!server) return tl::unexpected(server.error());
    formats::AdapterOptions suite_only;
    suite_only.suite = o.suite;
    auto adapter_options = cli::adapter_options(o.adapter, std::move(suite_only));
    if (!adapter_options) return tl::unexpected(adapter_options.error());

    // Parse and resolve everything before writing anything.
    runner::IngestAssembly assembly(o.format, std::move(*adapter_options),
                                    context_from_flags(o.common, o.identity),
                                    runner::current_environment());
    for (const auto& file : o.files) {
        auto text = core::read_input_file(file, o.max_input_bytes);
        if (!text) return tl::unexpected(text.error());
        auto messages = assembly.add(file, *text);
        if (!messages) return tl::unexpected(messages.error());
        for (const auto& w : messages->warnings) print_warning(w);
        if (!o.common.quiet)
            for (const auto& n : messages->notes) print_note(n);
    }
    const auto runs = std::move(assembly).finish();
    return store_or_upload(o.common, *server, runs);
}

}  // namespace

void register_ingest(CLI::App& app, Action& action) {
    auto options = std::make_shared<IngestOptions>();
    auto* cmd = app.add_subcommand(
        "ingest",
        "Store benchmark results from files. Files of the same project, testbed, branch and\n"
        "commit form one run; each run is stored in one transaction, and ingesting the same\n"
        "results again stores nothing.");
    add_common_options(*cmd, options->common);
    add_server_option(*cmd, options->server);
    cmd->add_option("--format,-f", options->format,
                    "Input format: auto, " + formats::adapter_names())
        ->capture_default_str();
    cmd->add_option("files", options->files, "Result files ('-' for standard input)")
        ->required()
        ->expected(1, -1);
    cmd->add_option("--run-id", options->identity.run_id,
                    "Idempotency key of the run (else derived from CI variables, else random)");
    cmd->add_option("--run-group", options->identity.run_group,
                    "Shards with the same group, commit and testbed form one run");
    cmd->add_option("--shard", options->identity.shard, "This file holds shard I/N of the run");
    add_adapter_flags(*cmd, options->adapter, "");
    cmd->add_option("--suite", options->suite, "Suite name to record when the format has none");
    add_byte_size_option(*cmd, "--max-input-size", options->max_input_bytes,
                         "Refuse larger inputs before parsing (e.g. 256MiB, 1GiB)", "256MiB");
    cmd->callback([options, &action] { action = [options] { return run_ingest(*options); }; });
}

}  // namespace perftrack::cli
