#include "cli/server_check.hpp"

#include <fmt/format.h>

#include "cli/output.hpp"
#include "client/api_calls.hpp"
#include "reports/output/check_json_reader.hpp"
#include "reports/output/check_output.hpp"

namespace perftrack::cli {

ServerCheck check_through_server(const client::ApiClient& api,
                                 const reports::detect::CheckRequest& request, bool quiet) {
    client::Query query = {{"branch", request.branch}, {"testbed", request.testbed}};
    if (!request.commit.empty()) query.emplace_back("commit", request.commit);
    query.emplace_back("baseline-branch", request.baseline_branch);
    if (request.base_commit) query.emplace_back("base-commit", *request.base_commit);
    auto reply = client::get_json(api, request.project, "check", query);
    if (!reply) {
        print_error(reply.error().message, reply.error().hint);
        return {std::nullopt, reply.error().exit_code};
    }
    auto result = reports::output::check_from_json(reply->body);
    if (!result) {
        // The server answered something that is not a check: its bug or a version mismatch,
        // not the user's input.
        print_error(
            fmt::format("perftrack server {}: {}", api.target().describe(), result.error().message),
            "is the server the same perftrack version as this client?");
        return {std::nullopt, 5};
    }
    if (request.commit.empty() && !quiet)
        print_note(fmt::format(
            "no --commit and no git commit here: the server checked {}, the newest commit "
            "stored for branch {}",
            result->commit, request.branch));
    return {std::move(*result), 0};
}

void print_check_result(const reports::detect::CheckResult& result, const std::string& format,
                        bool colour) {
    if (format == "json") {
        fmt::print("{}\n", reports::output::check_json(result).dump(2));
    } else if (format == "markdown") {
        fmt::print("{}", reports::output::render_check_markdown(result));
    } else {
        fmt::print("{}", reports::output::render_check_text(result, {colour}));
    }
    std::fflush(stdout);
}

}  // namespace perftrack::cli
