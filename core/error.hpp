#pragma once
// Expected failures are values: Result<T> is either a T or an Error that says what went
// wrong, in words a user can act on, and which exit code it ends the command with.

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
