// perftrack backtest: replays the check at every commit of a branch with only the runs up to
// that commit, to see what the gate would have flagged before turning it on.
#include "reports/detect/backtest.hpp"

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "cli/read_target.hpp"
#include "core/exit_code.hpp"
#include "reports/output/backtest_output.hpp"

namespace perftrack::cli {

namespace {

struct BacktestOptions {
    CommonOptions common;
    DetectionFlags detection;
    std::string format = "text";
};

CommandResult run_backtest(const BacktestOptions& o) {
    const auto detection = detection_settings(o.detection);
    if (!detection) return tl::unexpected(detection.error());
    const auto& settings = *detection;
    CommonOptions common = o.common;
    // The branch replayed: --branch, else main (not the checked-out branch: the baseline
    // branch is what the gate watches).
    if (!common.branch) common.branch = "main";
    const auto identity = resolve_identity(common, true, false);
    if (!identity) return tl::unexpected(identity.error());
    const SeriesIdentity& id = *identity;
    auto store = open_read_stores(o.common).store;
    const auto history =
        store->load_history({id.project, id.testbed, id.branch, std::nullopt, std::nullopt});
    const auto result = reports::detect::run_backtest(history, settings);
    const reports::output::BacktestContext context{id.project, id.testbed, id.branch,
                                                   settings.alpha, settings.defaults.min_change};
    if (o.format == "json") {
        fmt::print("{}\n", reports::output::backtest_json(result, context).dump(2));
    } else {
        fmt::print("{}", reports::output::render_backtest_text(result, context));
    }
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace

void register_backtest(CLI::App& app, Action& action) {
    auto options = std::make_shared<BacktestOptions>();
    auto* cmd = app.add_subcommand(
        "backtest",
        "Replay the check at every commit of a branch (default main), using only the runs up\n"
        "to each commit, and list what it would have flagged. Same verdicts as running check\n"
        "commit by commit; use it to tune --alpha and --min-change before gating CI.");
    add_common_options(*cmd, options->common);
    add_read_db_options(*cmd, options->common);
    add_detection_options(*cmd, options->detection);
    cmd->add_option("--format", options->format, "Output: text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->callback([options, &action] { action = [options] { return run_backtest(*options); }; });
}

}  // namespace perftrack::cli
