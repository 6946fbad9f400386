// The CLI's one top-level error handler (cli::run_guarded): every way a command can end with an
// exception maps to the exit code the README's table promises, and a perftrack bug (an
// ErrorKind::internal error, or an exception nobody expected) is told apart from bad input.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "core/exit_code.hpp"
#include "store/store.hpp"

namespace perftrack::cli {
namespace {

struct Ended {
    int code = -1;
    std::string err;
};

template <typename Body>
Ended guarded(Body body) {
    ::testing::internal::CaptureStderr();
    const int code = run_guarded(body);
    return {code, ::testing::internal::GetCapturedStderr()};
}

TEST(TopLevelHandler, AnUnexpectedExceptionIsABugWithExit5) {
    const auto e = guarded([]() -> int { throw std::runtime_error("vector index out of range"); });
    EXPECT_EQ(e.code, 5);
    EXPECT_EQ(e.code, static_cast<int>(core::ExitCode::internal_error));
    EXPECT_EQ(e.err, "perftrack failed: a bug, please report it: vector index out of range\n");
}

TEST(TopLevelHandler, AnInternalErrorIsABugWithExit5) {
    const auto e = guarded([]() -> int {
        throw core::ErrorException(
            core::Error{core::ErrorKind::internal, "baseline window is empty after a check", {}});
    });
    EXPECT_EQ(e.code, 5);
    EXPECT_EQ(e.err,
              "perftrack failed: a bug, please report it: baseline window is empty after a "
              "check\n");
}

TEST(TopLevelHandler, SomethingThatIsNotAStdExceptionIsABugToo) {
    const auto e = guarded([]() -> int { throw 42; });
    EXPECT_EQ(e.code, 5);
    EXPECT_EQ(e.err,
              "perftrack failed: a bug, please report it: an exception that is not a "
              "std::exception\n");
}

TEST(TopLevelHandler, ABugReportDoesNotPrintADatabasePassword) {
    const auto e = guarded([]() -> int {
        throw std::runtime_error("connecting to postgresql://ci:hunter2@db.example/perf failed");
    });
    EXPECT_EQ(e.code, 5);
    EXPECT_EQ(e.err.find("hunter2"), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("postgresql://ci:***@db.example/perf"), std::string::npos) << e.err;
}

TEST(TopLevelHandler, ErrorsThatAreNotBugsKeepTheirCodes) {
    const auto kind_exit = [](core::ErrorKind kind) {
        return guarded([kind]() -> int {
            throw core::ErrorException(core::Error{kind, "the message", "the hint"});
        });
    };
    for (const auto kind :
         {core::ErrorKind::usage, core::ErrorKind::input, core::ErrorKind::config}) {
        const auto e = kind_exit(kind);
        EXPECT_EQ(e.code, 2);
        EXPECT_EQ(e.err, "perftrack: error: the message\nhint: the hint\n");
    }
    EXPECT_EQ(kind_exit(core::ErrorKind::database_unavailable).code, 3);
    EXPECT_EQ(kind_exit(core::ErrorKind::benchmark_failed).code, 4);

    const auto down = guarded([]() -> int { throw store::StoreError("no server", "08006", true); });
    EXPECT_EQ(down.code, 3);
    const auto refused =
        guarded([]() -> int { throw store::StoreError("value too long", "22001", false); });
    EXPECT_EQ(refused.code, 2);
    EXPECT_EQ(refused.err, "perftrack: error: value too long\n");
}

// Subcommands return their Error (core/error.hpp's rule); it ends the same way as a thrown one.
TEST(TopLevelHandler, AReturnedErrorIsMappedLikeAThrownOne) {
    const auto returned = [](core::ErrorKind kind) {
        return guarded([kind]() -> core::Result<int> {
            return core::fail(kind, "--alpha must be in (0, 1)", "see --help");
        });
    };
    const auto usage = returned(core::ErrorKind::usage);
    EXPECT_EQ(usage.code, 2);
    EXPECT_EQ(usage.err, "perftrack: error: --alpha must be in (0, 1)\nhint: see --help\n");
    EXPECT_EQ(returned(core::ErrorKind::database_unavailable).code, 3);
    EXPECT_EQ(returned(core::ErrorKind::benchmark_failed).code, 4);
    const auto bug = returned(core::ErrorKind::internal);
    EXPECT_EQ(bug.code, 5);
    EXPECT_EQ(bug.err, "perftrack failed: a bug, please report it: --alpha must be in (0, 1)\n");
}

TEST(TopLevelHandler, ANormalEndPassesItsCodeThrough) {
    EXPECT_EQ(guarded([] { return 0; }).code, 0);
    EXPECT_EQ(guarded([] { return 1; }).code, 1);
    EXPECT_EQ(guarded([] { return 0; }).err, "");
}

TEST(TopLevelHandler, EveryErrorKindMapsToItsDocumentedCode) {
    using core::ErrorKind;
    using core::ExitCode;
    EXPECT_EQ(core::exit_code_for(ErrorKind::usage), ExitCode::bad_input);
    EXPECT_EQ(core::exit_code_for(ErrorKind::input), ExitCode::bad_input);
    EXPECT_EQ(core::exit_code_for(ErrorKind::config), ExitCode::bad_input);
    EXPECT_EQ(core::exit_code_for(ErrorKind::database_unavailable), ExitCode::database_unavailable);
    EXPECT_EQ(core::exit_code_for(ErrorKind::benchmark_failed), ExitCode::benchmark_failed);
    EXPECT_EQ(core::exit_code_for(ErrorKind::internal), ExitCode::internal_error);
    EXPECT_EQ(static_cast<int>(ExitCode::internal_error), 5);
}

}  // namespace
}  // namespace perftrack::cli
