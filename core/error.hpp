#pragma once
// Expected failures are values: Result<T> is a T or an Error saying what went wrong and which
// exit code it ends the command with. The errors rule is written at the end of this file.

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace perftrack::core {

// Kinds map one-to-one onto exit codes (see exit_code.hpp); keep the list short.
enum class ErrorKind {
    usage,                 // bad flags or arguments                        -> exit 2
    input,                 // unreadable or malformed input file            -> exit 2
    config,                // bad perftrack.toml                            -> exit 2
    database_unavailable,  // cannot reach PostgreSQL                       -> exit 3
    benchmark_failed,      // a benchmark process or its output failed      -> exit 4
    internal,              // a broken invariant or unexpected system error -> exit 5
};

struct Error {
    ErrorKind kind = ErrorKind::internal;
    std::string message;  // one line, names the file / flag / key and the problem
    std::string hint;     // optional: what to do next (printed as "hint: ...")
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorKind kind, std::string message, std::string hint = {}) {
    return tl::unexpected<Error>(Error{kind, std::move(message), std::move(hint)});
}

// Thrown only where a Result cannot travel (deep inside callbacks); caught by the CLI's single
// top-level handler and turned into the same message and exit code as a returned Error.
struct ErrorException : std::exception {
    Error error;
    explicit ErrorException(Error e) : error(std::move(e)) {}
    const char* what() const noexcept override { return error.message.c_str(); }
};

}  // namespace perftrack::core

// The errors rule (see the top of this file):
// - Result<T> is what travels. Every library (core, formats, runner, reports, alerts, store's
//   parsers) reports an expected failure (bad input, bad config, a benchmark that failed) by
//   returning Result<T>, and a caller that cannot handle it passes it up the same way
//   (`return tl::unexpected(r.error())`). A CLI subcommand returns core::Result<int> (its exit
//   code, or the Error); the top-level handler (cli/app.cpp) prints the Error and maps its kind
//   to the exit code (exit_code.hpp).
// - An exception only where a Result cannot travel: inside a callback whose signature is not
//   ours (a CLI11 callback, a parser's handler, a worker of a parallel loop, a database
//   transaction's body), as ErrorException, caught at the callback's edge or by the CLI's
//   top-level handler. The database is the one standing case: any store call can lose the
//   server mid-way, so store/ throws store::StoreError (unavailable() -> exit 3) and
//   store::SchemaVersionError, and the CLI catches them once (top level, or store_or_spool,
//   which spools the run).
// - Code never throws ErrorException just to rethrow a Result it was handed: it returns it.
// - ErrorKind::internal is a perftrack bug (a broken invariant, a system call that should not
//   fail), exit 5; anything the user can fix (a flag, a file, a path, a program) is usage,
//   input or config, exit 2.
