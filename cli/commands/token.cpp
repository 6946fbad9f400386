// perftrack token create|list|revoke and perftrack project public|private: who may use the API
// of `perftrack serve`. A token is printed once, at creation; the store keeps only its hash.
#include "server/token.hpp"

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/output.hpp"
#include "cli/value_parsers.hpp"
#include "core/exit_code.hpp"
#include "core/time.hpp"

namespace perftrack::cli {

namespace {

struct TokenOptions {
    CommonOptions common;  // --db, -q
    std::string project;
    std::string scope;
    std::optional<std::string> expires;
    std::optional<std::string> list_project;
    std::int64_t id = 0;
    std::string format = "text";
};

std::string time_or(const std::optional<std::int64_t>& us, const char* none) {
    return us ? core::format_iso8601_utc(*us) : std::string(none);
}

CommandResult run_create(const TokenOptions& o) {
    const auto scope = store::parse_token_scope(o.scope);
    if (!scope)
        return core::fail(core::ErrorKind::usage,
                          fmt::format("--scope {}: expected ingest, read or admin", o.scope));
    if (o.project.empty()) return core::fail(core::ErrorKind::usage, "--project must not be empty");
    store::NewToken token;
    token.project = o.project;
    token.scope = *scope;
    if (o.expires) {
        auto seconds = parse_duration_seconds("--expires", *o.expires);
        if (!seconds) return tl::unexpected(seconds.error());
        token.expires_at_us = core::now_epoch_us() + *seconds * 1'000'000;
    }
    const std::string secret = server::generate_token();
    token.hash_hex = server::token_hash_hex(secret);
    token.prefix = server::token_prefix(secret);
    auto db = open_store(o.common);
    const auto info = db->create_token(token);
    // The token alone on stdout (for $(perftrack token create ...)); the rest on stderr.
    fmt::print("{}\n", secret);
    std::fflush(stdout);
    if (!o.common.quiet)
        print_note(
            fmt::format("token {} for project {}, scope {}, expires {}: shown only now; "
                        "store it as a CI secret (PERFTRACK_TOKEN)",
                        info.id, info.project, store::to_string(info.scope),
                        time_or(info.expires_at_us, "never")));
    return 0;
}

CommandResult run_list(const TokenOptions& o) {
    auto db = open_store(o.common);
    const auto tokens = db->list_tokens(o.list_project);
    const auto now = core::now_epoch_us();
    const auto state = [&](const store::TokenInfo& t) {
        if (t.revoked_at_us) return "revoked";
        if (t.expires_at_us && *t.expires_at_us <= now) return "expired";
        return "active";
    };
    if (o.format == "json") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& t : tokens)
            list.push_back(
                {{"id", t.id},
                 {"project", t.project},
                 {"scope", store::to_string(t.scope)},
                 {"prefix", t.prefix},
                 {"state", state(t)},
                 {"created_at", core::format_iso8601_utc(t.created_at_us)},
                 {"expires_at", t.expires_at_us
                                    ? nlohmann::json(core::format_iso8601_utc(*t.expires_at_us))
                                    : nlohmann::json(nullptr)}});
        fmt::print("{}\n", nlohmann::json{{"tokens", list}}.dump(2));
        return 0;
    }
    if (tokens.empty()) {
        fmt::print("no tokens\n");
        return 0;
    }
    fmt::print("{:<6}  {:<20}  {:<6}  {:<14}  {:<8}  {:<20}  {}\n", "ID", "PROJECT", "SCOPE",
               "PREFIX", "STATE", "CREATED", "EXPIRES");
    for (const auto& t : tokens)
        fmt::print("{:<6}  {:<20}  {:<6}  {:<14}  {:<8}  {:<20}  {}\n", t.id, t.project,
                   store::to_string(t.scope), t.prefix + "...", state(t),
                   core::format_iso8601_utc(t.created_at_us), time_or(t.expires_at_us, "never"));
    return 0;
}

CommandResult run_revoke(const TokenOptions& o) {
    auto db = open_store(o.common);
    if (!db->revoke_token(o.id))
        return core::fail(core::ErrorKind::usage, fmt::format("no token with id {}", o.id),
                          "see 'perftrack token list'");
    if (!o.common.quiet) fmt::print("revoked token {}\n", o.id);
    return 0;
}

CommandResult run_visibility(const TokenOptions& o, bool is_public) {
    auto db = open_store(o.common);
    if (!db->set_project_public(o.project, is_public))
        return core::fail(core::ErrorKind::usage, fmt::format("no project {}", o.project),
                          "a project exists once results or a token were stored for it");
    if (!o.common.quiet)
        fmt::print("project {} is now {}\n", o.project,
                   is_public ? "public: the API serves its reads without a token"
                             : "private: reads need a token with scope read");
    return 0;
}

}  // namespace

void register_token(CLI::App& app, Action& action) {
    auto options = std::make_shared<TokenOptions>();
    auto* token = app.add_subcommand(
        "token", "API tokens for perftrack serve: create (printed once), list, revoke");
    token->require_subcommand(1);

    auto* create = token->add_subcommand("create", "Create a token; it is printed only now");
    add_db_option(*create, options->common);
    create->add_option("--project", options->project, "The project the token is for")->required();
    create->add_option("--scope", options->scope, "ingest (upload runs), read, or admin (all)")
        ->required();
    create->add_option("--expires", options->expires, "Lifetime: 36h, 90d, 12w (default: never)");
    create->add_flag("-q,--quiet", options->common.quiet, "Print only the token");
    create->callback([options, &action] { action = [options] { return run_create(*options); }; });

    auto* list = token->add_subcommand("list", "List tokens (never the tokens themselves)");
    add_db_option(*list, options->common);
    list->add_option("--project", options->list_project, "Only this project");
    list->add_option("--format", options->format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    list->callback([options, &action] { action = [options] { return run_list(*options); }; });

    auto* revoke = token->add_subcommand("revoke", "Revoke a token at once");
    add_db_option(*revoke, options->common);
    revoke->add_option("id", options->id, "Token id (from 'token list')")->required();
    revoke->add_flag("-q,--quiet", options->common.quiet, "Print only errors");
    revoke->callback([options, &action] { action = [options] { return run_revoke(*options); }; });
}

void register_project(CLI::App& app, Action& action) {
    auto options = std::make_shared<TokenOptions>();
    auto* project = app.add_subcommand("project", "Project settings for perftrack serve");
    project->require_subcommand(1);
    for (const bool is_public : {true, false}) {
        auto* cmd = project->add_subcommand(
            is_public ? "public" : "private",
            is_public ? "Let anyone read the project through the API (no token)"
                      : "Reads through the API need a token with scope read (the default)");
        add_db_option(*cmd, options->common);
        cmd->add_option("project", options->project, "Project name")->required();
        cmd->add_flag("-q,--quiet", options->common.quiet, "Print only errors");
        cmd->callback([options, is_public, &action] {
            action = [options, is_public] { return run_visibility(*options, is_public); };
        });
    }
}

}  // namespace perftrack::cli
