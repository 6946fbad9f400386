#include "cli/app.hpp"

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "core/exit_code.hpp"
#include "core/version.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

int run(int argc, char** argv) {
    CLI::App app{
        "perftrack: continuous performance regression tracking.\n"
        "Runs benchmark suites, stores every sample in PostgreSQL, flags statistically\n"
        "significant slowdowns against a rolling baseline, and reports them.",
        "perftrack"};
    app.set_version_flag("--version",
                         fmt::format("perftrack {} (commit {})", core::k_version, core::k_commit));
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 fine, 1 regression found, 2 bad usage/config/input,\n"
        "            3 database unavailable (results spooled), 4 a benchmark failed.\n"
        "Run 'perftrack COMMAND --help' for a command's flags.");

    Action action;
    register_ingest(app, action);
    register_db(app, action);
    register_push(app, action);
    register_alerts(app, action);
    register_check(app, action);
    register_backtest(app, action);
    register_report(app, action);
    register_baseline(app, action);
    register_run(app, action);
    register_compare(app, action);
    register_completion(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        print_error(e.what(), "see 'perftrack --help'");
        return static_cast<int>(core::ExitCode::bad_input);
    }
    if (!action) return static_cast<int>(core::ExitCode::bad_input);

    try {
        return action();
    } catch (const core::ErrorException& e) {
        print_error(e.error);
        return static_cast<int>(core::exit_code_for(e.error.kind));
    } catch (const store::StoreError& e) {
        if (e.unavailable()) {
            print_error(e.what(), "start the database, or check --db / PERFTRACK_DB");
            return static_cast<int>(core::ExitCode::database_unavailable);
        }
        print_error(e.what());
        return static_cast<int>(core::ExitCode::bad_input);
    } catch (const std::exception& e) {
        print_error(fmt::format("internal error: {}", e.what()));
        return static_cast<int>(core::ExitCode::bad_input);
    }
}

}  // namespace perftrack::cli
