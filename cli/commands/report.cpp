// perftrack report: every series of a branch with its change points (JSON here; the HTML
// rendering of the same model is added by reports/render).
#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "core/error.hpp"
#include "core/exit_code.hpp"
#include "core/file_io.hpp"
#include "reports/output/series_report.hpp"

namespace perftrack::cli {

namespace {

struct ReportOptions {
    CommonOptions common;
    std::string format = "json";
    std::optional<std::string> out;
};

int run_report(const ReportOptions& o) {
    CommonOptions common = o.common;
    if (!common.branch) common.branch = "main";
    const auto id = resolve_identity(common, true, false);
    auto store = open_store(o.common);
    const auto history =
        store->load_history({id.project, id.testbed, id.branch, std::nullopt, std::nullopt});
    const auto report =
        reports::output::build_branch_report(history, id.project, id.testbed, id.branch);
    const std::string text = reports::output::series_report_json(report).dump(2) + "\n";
    if (o.out) {
        auto written = core::write_file_atomic(*o.out, text);
        if (!written) throw core::ErrorException(written.error());
    } else {
        fmt::print("{}", text);
    }
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace

void register_report(CLI::App& app, Action& action) {
    auto options = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand(
        "report", "Every series of a branch (default main) with the commits where it stepped.");
    add_common_options(*cmd, options->common);
    cmd->add_option("--format", options->format, "Output: json")
        ->check(CLI::IsMember({"json"}))
        ->capture_default_str();
    cmd->add_option("--out", options->out, "Write to this file instead of standard output");
    cmd->callback([options, &action] { action = [options] { return run_report(*options); }; });
}

}  // namespace perftrack::cli
