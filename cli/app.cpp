#include "cli/app.hpp"

#include <cstdio>
#include <string_view>

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/output.hpp"
#include "core/exit_code.hpp"
#include "core/redact.hpp"
#include "core/version.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

namespace {

// A bug is not the user's mistake: its own exit code, so a CI gate can tell the two apart. The
// message may come from a library that echoes what it was given: database URLs are redacted.
int report_bug(std::string_view message) {
    fmt::print(stderr, "perftrack failed: a bug, please report it: {}\n",
               core::redact_database_url(message));
    std::fflush(stderr);
    return static_cast<int>(core::ExitCode::internal_error);
}

int report_error(const core::Error& error) {
    if (error.kind == core::ErrorKind::internal) return report_bug(error.message);
    print_error(error);
    return static_cast<int>(core::exit_code_for(error.kind));
}

}  // namespace

int run_guarded(const std::function<core::Result<int>()>& body) {
    try {
        const auto result = body();
        if (!result) return report_error(result.error());
        return *result;
    } catch (const core::ErrorException& e) {
        return report_error(e.error);
    } catch (const store::StoreError& e) {
        if (e.unavailable()) {
            print_error(e.what(), "start the database, or check --db / PERFTRACK_DB");
            return static_cast<int>(core::ExitCode::database_unavailable);
        }
        print_error(e.what());
        return static_cast<int>(core::ExitCode::bad_input);
    } catch (const std::exception& e) {
        return report_bug(e.what());
    } catch (...) {
        return report_bug("an exception that is not a std::exception");
    }
}

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
        "            3 database unavailable (results spooled), 4 a benchmark failed,\n"
        "            5 perftrack failed (a bug: please report it).\n"
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
    register_serve(app, action);
    register_token(app, action);
    register_project(app, action);
    register_completion(app, action);

    return run_guarded([&]() -> core::Result<int> {
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
        return action();
    });
}

}  // namespace perftrack::cli
