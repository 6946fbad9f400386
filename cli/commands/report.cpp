// perftrack report: one self-contained HTML page (or the same content as JSON) of a branch:
// header, the verdicts at its newest commit (or --commit), every series' trend with the
// baseline band and change points, the comparison across params, and the alerts. With --server,
// the server's report JSON (the page itself is the server's dashboard).
#include <cctype>
#include <chrono>

#include <fmt/format.h>

#include "cli/baseline_target.hpp"
#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "cli/output.hpp"
#include "cli/read_target.hpp"
#include "cli/server_check.hpp"
#include "cli/server_options.hpp"
#include "client/api_calls.hpp"
#include "core/error.hpp"
#include "core/exit_code.hpp"
#include "core/file_io.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "reports/render/html_report.hpp"
#include "reports/render/json_report.hpp"
#include "reports/render/report_builder.hpp"
#include "runner/context/ci_environment.hpp"

namespace perftrack::cli {

namespace {

struct ReportOptions {
    CommonOptions common;
    ServerOptions server;
    DetectionFlags detection;
    std::optional<std::string> format;
    std::optional<std::string> out;
    std::optional<std::string> baseline_branch;
    std::optional<std::string> base_commit;
    std::string commit_url;
    std::optional<std::string> title;
    std::string compare_by = "framework,mode";
    std::string compare_ref = "mode=eager";
    std::vector<std::string> compare_metrics;
};

// --compare-by, --compare-ref and --compare-metric as the request for the variant tables.
core::Result<reports::render::VariantsRequest> variants_request(const ReportOptions& o) {
    reports::render::VariantsRequest request;
    auto by = reports::render::parse_variants_by(o.compare_by);
    if (!by) return tl::unexpected(by.error());
    auto ref = reports::render::parse_variants_reference(o.compare_ref);
    if (!ref) return tl::unexpected(ref.error());
    request.by = std::move(*by);
    request.reference_param = ref->first;
    request.reference_value = ref->second;
    request.metrics = o.compare_metrics;
    if (auto ok = reports::render::check_variants_request(request); !ok)
        return tl::unexpected(ok.error());
    return request;
}

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    const auto tail = text.substr(text.size() - suffix.size());
    for (std::size_t i = 0; i < suffix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(tail[i])) != suffix[i]) return false;
    return true;
}

// --format wins; else the page when writing a file (unless it is named *.json), JSON on stdout.
std::string output_format(const ReportOptions& o) {
    if (o.format) return *o.format;
    if (!o.out) return "json";
    return ends_with_ignoring_case(*o.out, ".json") ? "json" : "html";
}

core::Result<void> check_commit_url(const std::string& text) {
    if (text.empty()) return {};
    if (!(text.starts_with("https://") || text.starts_with("http://")) ||
        text.find("{sha}") == std::string::npos)
        return core::fail(
            core::ErrorKind::usage,
            fmt::format("--commit-url must be an http(s) URL containing {{sha}}, got '{}'", text),
            "for example --commit-url 'https://github.com/ORG/REPO/commit/{sha}'");
    return {};
}

// The server renders the report JSON; it is printed (or written) byte for byte.
CommandResult report_on_server(const ReportOptions& o, const client::ServerTarget& target,
                               const reports::render::ReportRequest& request) {
    client::Query query = {{"branch", request.branch}, {"testbed", request.testbed}};
    if (!request.commit.empty()) query.emplace_back("commit", request.commit);
    query.emplace_back("baseline-branch", request.baseline_branch);
    if (request.base_commit) query.emplace_back("base-commit", *request.base_commit);
    const auto detection = detection_query(o.detection);
    query.insert(query.end(), detection.begin(), detection.end());
    const auto api = api_client_for(target, o.common.verbose);
    auto reply = api.get(fmt::format("/projects/{}/report{}", client::url_encode(request.project),
                                     client::query_string(query)));
    if (!reply) return api_failure(reply.error());
    if (!nlohmann::json::accept(reply->body)) {
        print_error(fmt::format("perftrack server {}: the report is not JSON", target.describe()),
                    "is the server the same perftrack version as this client?");
        return static_cast<int>(core::ExitCode::internal_error);
    }
    if (o.out) {
        auto written = core::write_file_atomic(*o.out, reply->body);
        if (!written) return tl::unexpected(written.error());
        if (!o.common.quiet)
            fmt::print(stderr, "perftrack: wrote {} ({:.1f} MB)\n", *o.out,
                       static_cast<double>(reply->body.size()) / 1e6);
    } else {
        fmt::print("{}", reply->body);
    }
    return static_cast<int>(core::ExitCode::ok);
}

CommandResult run_report(const ReportOptions& o) {
    const auto server = server_target_for(o.server, o.common.db, "report");
    if (!server) return tl::unexpected(server.error());
    const std::string format = output_format(o);
    if (*server && format == "html")
        return core::fail(
            core::ErrorKind::usage,
            "report --server writes the report JSON; the HTML page is the "
            "server's dashboard",
            fmt::format("open {} in a browser, or pass --format json", (*server)->describe()));
    if (auto url = check_commit_url(o.commit_url); !url) return tl::unexpected(url.error());
    const auto settings = detection_settings(o.detection);
    if (!settings) return tl::unexpected(settings.error());
    auto variants = variants_request(o);
    if (!variants) return tl::unexpected(variants.error());
    CommonOptions common = o.common;
    // The branch described: --branch, else main (the checked-out branch is not what a report
    // of the project's history is about). Only an explicit --commit picks the verdict's commit.
    if (!common.branch) common.branch = "main";
    const auto identity = resolve_identity(common, true, false);
    if (!identity) return tl::unexpected(identity.error());
    const SeriesIdentity& id = *identity;

    reports::render::ReportRequest request;
    request.project = id.project;
    request.testbed = id.testbed;
    request.branch = id.branch;
    request.commit = o.common.commit.value_or("");
    request.baseline_branch = o.baseline_branch.value_or(id.branch);
    if (request.branch != request.baseline_branch && !request.commit.empty()) {
        const auto env = runner::process_env();
        if (o.base_commit) {
            request.base_commit = o.base_commit;
        } else if (auto ci = ci_merge_base(env)) {
            request.base_commit = ci;
        } else if (auto mb = git_merge_base_of(request.commit, request.baseline_branch)) {
            request.base_commit = mb->commit;
            request.base_commit_time_us = mb->commit_time_us;
        }
    }
    request.settings = *settings;
    request.commit_url_template = o.commit_url;
    request.generated_at_us = core::now_epoch_us();
    request.perftrack_version = core::k_version;
    request.variants = std::move(*variants);
    if (*server) return report_on_server(o, **server, request);

    // --verbose prints where the time goes (ci/bench_report.sh reads these lines).
    using Clock = std::chrono::steady_clock;
    const auto seconds_since = [](Clock::time_point start) {
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    // The report writes nothing: history and alerts both come from the replica when given.
    auto stores = open_read_stores(o.common);
    const auto started = Clock::now();
    auto model = reports::render::build_report(*stores.reader, stores.reader, request);
    if (!model) return tl::unexpected(model.error());
    const double model_s = seconds_since(started);

    const auto render_started = Clock::now();
    std::string text;
    if (format == "html") {
        reports::render::HtmlOptions html;
        if (o.title) html.title = *o.title;
        text = reports::render::render_html(*model, html);
    } else {
        text = reports::render::render_json(*model);
    }
    const double render_s = seconds_since(render_started);
    if (o.common.verbose)
        fmt::print(stderr,
                   "perftrack: report timing: history, detection and alerts {:.2f} s; {} "
                   "rendering {:.2f} s ({} bytes)\n",
                   model_s, format, render_s, text.size());
    if (o.out) {
        auto written = core::write_file_atomic(*o.out, text);
        if (!written) return tl::unexpected(written.error());
        if (!o.common.quiet)
            fmt::print(stderr, "perftrack: wrote {} ({} series, {} commits, {:.1f} MB)\n", *o.out,
                       model->series.size(), model->commits.size(),
                       static_cast<double>(text.size()) / 1e6);
    } else {
        fmt::print("{}", text);
    }
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace

void register_report(CLI::App& app, Action& action) {
    auto options = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand(
        "report",
        "Render a branch (default main) as one self-contained HTML page, or as JSON: verdicts at\n"
        "its newest commit (or --commit), every series' trend with its baseline band and change\n"
        "points, a comparison across params, the variants side by side (--compare-by), and the\n"
        "alerts.");
    add_common_options(*cmd, options->common);
    add_read_db_options(*cmd, options->common);
    add_detection_options(*cmd, options->detection);
    cmd->get_option("--commit")
        ->description("The commit whose verdict the page shows (default: the branch's newest)");
    cmd->get_option("--branch")->description("The branch drawn (default main)");
    cmd->add_option("--format", options->format,
                    "Output: html or json (default: html when --out is given and does not end in "
                    ".json, else json)")
        ->check(CLI::IsMember({"html", "json"}));
    cmd->add_option("--out", options->out,
                    "Write to this file (atomically) instead of standard output");
    cmd->add_option("--commit-url", options->commit_url,
                    "Link commits with this URL template, e.g. "
                    "'https://github.com/ORG/REPO/commit/{sha}'");
    cmd->add_option("--baseline-branch", options->baseline_branch,
                    "Branch whose history the verdict compares with (default: the report's "
                    "branch)");
    cmd->add_option("--base-commit", options->base_commit,
                    "With --commit on another branch: the merge-base with the baseline branch "
                    "(else from CI variables or git merge-base)");
    cmd->add_option("--title", options->title, "The page's title");
    cmd->add_option("--compare-by", options->compare_by,
                    "Variant tables: the params whose values form the columns, comma-separated "
                    "(series without all of them are left out)")
        ->capture_default_str();
    cmd->add_option("--compare-ref", options->compare_ref,
                    "Variant tables: PARAM=VALUE, the variant every other one is compared with "
                    "(PARAM one of --compare-by), as `perftrack compare --by PARAM --ref VALUE`")
        ->capture_default_str();
    cmd->add_option("--compare-metric", options->compare_metrics,
                    "Variant tables: only this metric (repeatable; the order of the selector); "
                    "default every metric");
    add_server_option(*cmd, options->server);
    cmd->callback([options, cmd, &action] {
        // The server renders with its own settings.
        note_refused_flags(
            *cmd, options->server,
            {"--commit-url", "--title", "--compare-by", "--compare-ref", "--compare-metric"});
        action = [options] { return run_report(*options); };
    });
}

}  // namespace perftrack::cli
