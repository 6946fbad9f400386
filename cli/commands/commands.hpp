#pragma once
// Each subcommand registers its flags on the app and sets `action` when it is the one chosen;
// the action runs after parsing, inside the single top-level error handler (cli/app.cpp).

#include <functional>

#include <CLI/CLI.hpp>

#include "core/error.hpp"

namespace perftrack::cli {

// What a subcommand ends with: its exit code, or the Error that stopped it (returned, not
// thrown: core/error.hpp); the top-level handler prints the Error and maps it to its exit code.
using CommandResult = core::Result<int>;
using Action = std::function<CommandResult()>;

void register_ingest(CLI::App& app, Action& action);
void register_db(CLI::App& app, Action& action);
// `db prune`, added to the `db` command by register_db (cli/commands/db_prune.cpp).
void register_db_prune(CLI::App& db, Action& action);
void register_push(CLI::App& app, Action& action);
void register_alerts(CLI::App& app, Action& action);
void register_check(CLI::App& app, Action& action);
void register_backtest(CLI::App& app, Action& action);
void register_report(CLI::App& app, Action& action);
void register_baseline(CLI::App& app, Action& action);
void register_run(CLI::App& app, Action& action);
void register_compare(CLI::App& app, Action& action);
// perftrack serve, and who may use its API (cli/commands/serve.cpp, token.cpp).
void register_serve(CLI::App& app, Action& action);
void register_token(CLI::App& app, Action& action);
void register_project(CLI::App& app, Action& action);
// Last: it prints the tree the others built.
void register_completion(CLI::App& app, Action& action);

}  // namespace perftrack::cli
