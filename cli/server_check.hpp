#pragma once
// `check` (and `run --check`) through a perftrack server: the server judges the commit
// (GET /projects/{p}/check) and returns the check JSON; it is read back
// (reports/output/check_json_reader.hpp) and printed by the same renderers as `check --db`, so
// text, Markdown and JSON are byte-identical to a check against the database.

#include <string>

#include "cli/commands/commands.hpp"
#include "client/api_client.hpp"
#include "core/error.hpp"
#include "reports/detect/check.hpp"

namespace perftrack::cli {

// The server's check of request.commit (empty: the branch's newest stored commit, which the
// server picks and this names on stderr unless quiet). An API failure is returned as its exit
// code after printing it; the result otherwise.
struct ServerCheck {
    std::optional<reports::detect::CheckResult> result;
    int failure_exit_code = 0;  // set when result is empty
};
ServerCheck check_through_server(const client::ApiClient& api,
                                 const reports::detect::CheckRequest& request, bool quiet);

// Prints a check as `check --format FORMAT` does (text in colour only on a terminal).
void print_check_result(const reports::detect::CheckResult& result, const std::string& format,
                        bool colour);

}  // namespace perftrack::cli
