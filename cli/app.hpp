#pragma once

#include <functional>

#include "core/error.hpp"

namespace perftrack::cli {

// Parses the command line, runs the chosen subcommand and returns the process exit code.
int run(int argc, char** argv);

// The CLI's one top-level error handler: runs `body` and turns the Error it returns, or whatever
// it throws, into a message on stderr and an exit code. An Error (returned, or thrown as
// core::ErrorException) becomes its kind's code; store::StoreError becomes 3 (database
// unavailable) or 2; ErrorKind::internal and any other exception are a perftrack bug: exit 5,
// "perftrack failed: a bug, please report it: <message>" (passwords in database URLs redacted).
// `run` calls it; tests call it directly.
int run_guarded(const std::function<core::Result<int>()>& body);

}  // namespace perftrack::cli
