#include "server/api.hpp"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/lifecycle.hpp"
#include "core/exit_code.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "reports/detect/backtest.hpp"
#include "reports/detect/check.hpp"
#include "reports/output/alert_json.hpp"
#include "reports/output/backtest_output.hpp"
#include "reports/output/check_output.hpp"
#include "reports/render/json_report.hpp"
#include "reports/render/report_builder.hpp"
#include "runner/ingest_assembly.hpp"
#include "server/token.hpp"

namespace perftrack::server {

namespace {

using Query = std::map<std::string, std::string>;

constexpr int k_exit_usage = static_cast<int>(core::ExitCode::bad_input);
constexpr int k_exit_unavailable = static_cast<int>(core::ExitCode::database_unavailable);
constexpr int k_exit_internal = static_cast<int>(core::ExitCode::internal_error);
// Authentication and authorisation failures are the caller's configuration (a missing, wrong,
// expired or revoked token, or one of another project): exit 2 like any bad input. Exit 5
// means a bug in perftrack and must not be what a typo in PERFTRACK_TOKEN gives.
constexpr int k_exit_auth = k_exit_usage;
constexpr std::size_t k_max_name_bytes = 200;

// A handler's early exit: thrown inside a handler, turned into its response by handle().
struct ApiFailure {
    Response response;
};

[[noreturn]] void fail(int status, const std::string& message, int exit_code = k_exit_usage) {
    throw ApiFailure{error_response(status, message, exit_code)};
}

std::optional<std::string> query_value(const Query& q, const std::string& name) {
    const auto it = q.find(name);
    if (it == q.end()) return std::nullopt;
    return it->second;
}

std::string required(const Query& q, const std::string& name, std::string_view why = {}) {
    auto v = query_value(q, name);
    if (!v || v->empty())
        fail(400, fmt::format("no {0}: pass the query parameter {0}={1}", name,
                              why.empty() ? std::string_view("...") : why));
    return *v;
}

// Project names come from the path: data, never paths; refusing separators keeps them out of
// any URL or file name built from them later (dashboard links, report files). Branches and
// testbeds may hold '/' (feature/x); they only must not be empty or huge. The decoder already
// refused control characters.
void check_name(const std::string& what, const std::string& name, bool path_segment) {
    const bool bad_segment = path_segment && (name == "." || name == ".." ||
                                              name.find_first_of("/\\") != std::string::npos);
    if (name.empty() || name.size() > k_max_name_bytes || bad_segment)
        fail(400, fmt::format("invalid {} name: 1 to {} bytes{}", what, k_max_name_bytes,
                              path_segment ? ", no '/' or '\\', not '.' or '..'" : ""));
}

std::int64_t parse_id(const std::string& text) {
    std::int64_t id = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, id);
    if (ec != std::errc() || ptr != end || id <= 0)
        fail(400, "alert id must be a positive integer");
    return id;
}

double parse_double(const Query& q, const std::string& name, double fallback) {
    const auto v = query_value(q, name);
    if (!v) return fallback;
    try {
        std::size_t used = 0;
        const double d = std::stod(*v, &used);
        if (used == v->size()) return d;
    } catch (const std::exception&) {
    }
    fail(400, fmt::format("{}={}: expected a number", name, *v));
}

reports::detect::DetectionSettings detection_settings(const Query& q) {
    reports::detect::DetectionSettings s;
    s.alpha = parse_double(q, "alpha", s.alpha);
    s.baseline_runs = static_cast<std::size_t>(
        parse_double(q, "baseline-runs", static_cast<double>(s.baseline_runs)));
    if (q.count("min-change") != 0)
        s.defaults.min_change = parse_double(q, "min-change", 0) / 100.0;
    if (q.count("exact-tolerance") != 0)
        s.defaults.exact_tolerance = parse_double(q, "exact-tolerance", 0) / 100.0;
    if (auto problem = reports::detect::settings_problem(s); !problem.empty()) fail(400, problem);
    return s;
}

Response json_response(int status, const nlohmann::json& body) {
    Response r;
    r.status = status;
    // Messages may quote the uploaded text: bytes that are not UTF-8 become U+FFFD, not a throw.
    r.body = body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return r;
}

Response from_error(const core::Error& e) {
    const int code = static_cast<int>(core::exit_code_for(e.kind));
    const int status = e.kind == core::ErrorKind::database_unavailable ? 503
                       : e.kind == core::ErrorKind::internal           ? 500
                                                                       : 400;
    std::string message = e.message;
    if (!e.hint.empty()) message += " (hint: " + e.hint + ")";
    return error_response(status, message, code);
}

bool scope_allows(store::TokenScope have, store::TokenScope need) {
    return have == store::TokenScope::admin || have == need;
}

// The request's bearer token; empty when there is none.
std::string bearer(const Request& request) {
    const auto it = request.headers.find("authorization");
    if (it == request.headers.end()) return {};
    constexpr std::string_view k_prefix = "Bearer ";
    if (it->second.size() <= k_prefix.size() ||
        it->second.compare(0, k_prefix.size(), k_prefix) != 0)
        fail(401, "the Authorization header must be 'Bearer TOKEN'", k_exit_auth);
    return it->second.substr(k_prefix.size());
}

// Refuses (throws ApiFailure) unless the request may do `need` on `project`. Messages never
// contain the token.
void authorise(store::Store& db, const std::string& token, const std::string& project,
               store::TokenScope need) {
    if (token.empty()) {
        if (need == store::TokenScope::read && db.project_public(project).value_or(false)) return;
        fail(401,
             fmt::format("this needs a token with scope {} for project {}: pass "
                         "'Authorization: Bearer TOKEN' (perftrack token create)",
                         store::to_string(need), project),
             k_exit_auth);
    }
    const std::string hash = token_hash_hex(token);
    const auto info = db.find_token(hash);
    if (!info) fail(401, "invalid token", k_exit_auth);
    if (info->revoked_at_us) fail(401, "the token was revoked", k_exit_auth);
    if (info->expires_at_us && *info->expires_at_us <= core::now_epoch_us())
        fail(401, "the token has expired", k_exit_auth);
    if (info->project != project)
        fail(403, fmt::format("the token is not valid for project {}", project), k_exit_auth);
    if (!scope_allows(info->scope, need))
        fail(403,
             fmt::format("the token's scope {} does not allow this (needs {})",
                         store::to_string(info->scope), store::to_string(need)),
             k_exit_auth);
}

struct Context {
    const Request& request;
    const RouteMatch& match;
    store::Store& db;
    const ApiOptions& options;
    const Query& q() const { return match.target.query; }
    const std::string& project() const { return match.params.at("project"); }
};

using ContextHandler = std::function<Response(Context&)>;

std::string testbed_of(const Query& q) {
    return required(q, "testbed", "TESTBED");
}

nlohmann::json run_check_json(store::Store& db, const Query& q, const std::string& project,
                              const std::string& testbed, const std::string& branch,
                              std::string commit, int& exit_code) {
    reports::detect::CheckRequest request;
    request.project = project;
    request.testbed = testbed;
    request.branch = branch;
    if (commit.empty()) {
        auto newest = reports::detect::newest_commit(db, project, testbed, branch);
        if (!newest)
            fail(404, fmt::format("branch {} of project {} on testbed {} has no stored runs",
                                  branch, project, testbed));
        commit = *newest;
    }
    request.commit = commit;
    request.baseline_branch = query_value(q, "baseline-branch").value_or("main");
    if (request.branch != request.baseline_branch)
        request.base_commit = query_value(q, "base-commit");
    auto result = reports::detect::run_check(db, request, detection_settings(q));
    if (!result) throw ApiFailure{from_error(result.error())};
    exit_code = static_cast<int>(result->has_regression() ? core::ExitCode::regression
                                                          : core::ExitCode::ok);
    return reports::output::check_json(*result);
}

Response post_runs(Context& c) {
    const auto& q = c.q();
    core::RunContext flags;
    flags.project = c.project();
    const auto put = [&](std::optional<std::string>& field, const char* name) {
        if (auto v = query_value(q, name); v && !v->empty()) field = *v;
    };
    put(flags.branch, "branch");
    put(flags.commit, "commit");
    put(flags.commit_time, "commit-time");
    put(flags.testbed, "testbed");
    put(flags.run_id, "run-id");
    put(flags.run_group, "run-group");
    put(flags.shard, "shard");
    formats::AdapterOptions adapter;
    adapter.suite = query_value(q, "suite").value_or("");
    // The server's own CI variables, git checkout and host name say nothing about the upload.
    runner::ResolveEnvironment env;
    env.now_us = core::now_epoch_us();
    runner::IngestAssembly assembly(query_value(q, "format").value_or("auto"), adapter, flags, env);
    auto messages = assembly.add("upload", c.request.body);
    if (!messages) throw ApiFailure{from_error(messages.error())};
    auto runs = std::move(assembly).finish(runner::KeyWhenNone::content);
    auto& run = runs.at(0);
    if (run.testbed.empty()) fail(400, "no testbed: pass the query parameter testbed=TESTBED");
    check_name("testbed", run.testbed, false);
    check_name("branch", run.branch, false);
    if (run.results.measurements.size() > c.options.max_series)
        fail(413, fmt::format("the upload holds {} series (benchmark x metric); this server "
                              "accepts at most {} in one upload (perftrack serve --max-series); "
                              "nothing was stored",
                              run.results.measurements.size(), c.options.max_series));
    const auto outcome = c.db.ingest(run);
    nlohmann::json body = {{"run_id", outcome.run_id},
                           {"run_key", run.run_key},
                           {"stored", outcome.stored},
                           {"samples", outcome.counts.samples},
                           {"warnings", messages->warnings}};
    Response r;
    const auto check = query_value(q, "check");
    if (check && (*check == "1" || *check == "true")) {
        int exit_code = 0;
        body["check"] =
            run_check_json(c.db, q, run.project, run.testbed, run.branch, run.commit, exit_code);
        r = json_response(outcome.stored ? 201 : 200, body);
        r.headers.emplace_back("X-Perftrack-Exit-Code", std::to_string(exit_code));
        return r;
    }
    return json_response(outcome.stored ? 201 : 200, body);
}

Response get_check(Context& c) {
    const auto& q = c.q();
    int exit_code = 0;
    auto body = run_check_json(c.db, q, c.project(), testbed_of(q), required(q, "branch", "BRANCH"),
                               query_value(q, "commit").value_or(""), exit_code);
    auto r = json_response(200, body);
    r.headers.emplace_back("X-Perftrack-Exit-Code", std::to_string(exit_code));
    return r;
}

Response get_backtest(Context& c) {
    const auto& q = c.q();
    const auto settings = detection_settings(q);
    const std::string testbed = testbed_of(q);
    const std::string branch = query_value(q, "branch").value_or("main");
    const auto history =
        c.db.load_history({c.project(), testbed, branch, std::nullopt, std::nullopt});
    const auto result = reports::detect::run_backtest(history, settings);
    const reports::output::BacktestContext context{c.project(), testbed, branch, settings.alpha,
                                                   settings.defaults.min_change};
    return json_response(200, reports::output::backtest_json(result, context));
}

Response get_report(Context& c) {
    const auto& q = c.q();
    reports::render::ReportRequest request;
    request.project = c.project();
    request.testbed = testbed_of(q);
    request.branch = query_value(q, "branch").value_or("main");
    request.commit = query_value(q, "commit").value_or("");
    request.baseline_branch = query_value(q, "baseline-branch").value_or(request.branch);
    if (request.branch != request.baseline_branch)
        request.base_commit = query_value(q, "base-commit");
    request.settings = detection_settings(q);
    request.generated_at_us = core::now_epoch_us();
    request.perftrack_version = core::k_version;
    auto model = reports::render::build_report(c.db, &c.db, request);
    if (!model) throw ApiFailure{from_error(model.error())};
    Response r;
    r.body = reports::render::render_json(*model);
    return r;
}

Response get_series(Context& c) {
    const auto& q = c.q();
    const std::string testbed = testbed_of(q);
    const std::string branch = query_value(q, "branch").value_or("main");
    const std::string benchmark = required(q, "benchmark", "NAME");
    const auto suite = query_value(q, "suite");
    const auto params = query_value(q, "params");
    const auto metric = query_value(q, "metric");
    const auto history =
        c.db.load_history({c.project(), testbed, branch, std::nullopt, std::nullopt});
    nlohmann::json series = nlohmann::json::array();
    for (const auto& s : history.series) {
        if (s.id.benchmark != benchmark || (suite && s.id.suite != *suite) ||
            (params && s.id.params != *params) || (metric && s.id.metric != *metric))
            continue;
        nlohmann::json points = nlohmann::json::array();
        for (const auto& p : s.points) {
            const auto& run = history.runs.at(p.run);
            points.push_back({{"commit", run.commit},
                              {"commit_time", core::format_iso8601_utc(run.commit_time_us)},
                              {"run_key", run.run_key},
                              {"partial", run.partial},
                              {"samples", p.samples}});
        }
        series.push_back({{"suite", s.id.suite},
                          {"benchmark", s.id.benchmark},
                          {"params", s.id.params},
                          {"metric", s.id.metric},
                          {"unit", s.id.unit},
                          {"direction", core::to_string(s.id.direction)},
                          {"points", points}});
    }
    if (series.empty())
        fail(404, fmt::format("no series of benchmark {} on branch {}, testbed {} of project {}",
                              benchmark, branch, testbed, c.project()));
    return json_response(
        200,
        {{"project", c.project()}, {"testbed", testbed}, {"branch", branch}, {"series", series}});
}

Response get_alerts(Context& c) {
    const auto& q = c.q();
    const std::string state = query_value(q, "state").value_or("all");
    std::optional<store::AlertStatus> only;
    if (state == "open") {
        only = store::AlertStatus::open;
    } else if (state == "acked" || state == "acknowledged") {
        only = store::AlertStatus::acknowledged;
    } else if (state == "resolved") {
        only = store::AlertStatus::resolved;
    } else if (state != "all") {
        fail(400, fmt::format("state={}: expected open, acked, resolved or all", state));
    }
    store::AlertQuery query;
    query.project = c.project();
    query.testbed = query_value(q, "testbed");
    query.branch = query_value(q, "branch");
    auto alerts = c.db.list_alerts(query);
    if (only) std::erase_if(alerts, [&](const store::Alert& a) { return a.status != *only; });
    return json_response(200, reports::output::alerts_json(alerts));
}

// The alert, when it exists and belongs to the path's project (else 404: ids of other
// projects are not disclosed).
store::Alert project_alert(Context& c, std::int64_t id) {
    store::AlertQuery query;
    query.id = id;
    const auto found = c.db.list_alerts(query);
    if (found.empty() || found.front().project != c.project())
        fail(404, fmt::format("no alert with id {} in project {}", id, c.project()));
    return found.front();
}

Response post_ack(Context& c) {
    const auto id = parse_id(c.match.params.at("id"));
    const std::string note = query_value(c.q(), "note").value_or("");
    if (note.find_first_not_of(" \t\r\n") == std::string::npos)
        fail(400, "alerts ack: note must say something");
    project_alert(c, id);
    const auto update = c.db.acknowledge_alert(id, note);
    if (!update.changed)
        fail(409, fmt::format("alert {} is already resolved; there is nothing to acknowledge", id));
    return json_response(200, reports::output::alert_json(*update.alert));
}

Response post_resolve(Context& c) {
    const auto id = parse_id(c.match.params.at("id"));
    project_alert(c, id);
    const auto update = c.db.resolve_alert(id, store::AlertResolution::manual, {});
    return json_response(200, reports::output::alert_json(*update.alert));
}

Response post_baseline_reset(Context& c) {
    const auto& q = c.q();
    store::BaselineResetRequest request;
    request.project = c.project();
    request.testbed = query_value(q, "testbed");
    request.benchmark_glob = required(q, "benchmark", "GLOB");
    request.metric = query_value(q, "metric");
    request.commit = required(q, "commit", "SHA");
    request.reason = required(q, "reason", "TEXT");
    if (auto t = query_value(q, "commit-time")) {
        auto us = core::parse_iso8601_us(*t);
        if (!us) fail(400, fmt::format("commit-time \"{}\" is not ISO 8601", *t));
        request.commit_time_us = *us;
    }
    const auto reset = c.db.add_baseline_reset(request);
    if (!reset)
        fail(404, request.testbed ? fmt::format("project {} has no results on testbed {}",
                                                request.project, *request.testbed)
                                  : fmt::format("project {} has no results yet", request.project));
    const auto closed =
        alerts::close_superseded_alerts(c.db, request.project, request.testbed, {*reset});
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& a : closed) ids.push_back(a.id);
    return json_response(
        201, {{"id", reset->id},
              {"benchmark", reset->benchmark_glob},
              {"metric", reset->metric ? nlohmann::json(*reset->metric) : nlohmann::json(nullptr)},
              {"commit", reset->commit},
              {"reason", reset->reason},
              {"closed_alerts", ids}});
}

}  // namespace

Api::Api(StorePool& pool, RateLimiter& limiter, ApiOptions options)
    : m_pool(pool), m_limiter(limiter), m_options(options) {
    // Every project route: name check, rate limit, a store connection, authorisation, then
    // the handler; store failures become 503 (unavailable) or 500.
    const auto project_route = [this](store::TokenScope need, ContextHandler handler) {
        return [this, need, handler](const Request& request, const RouteMatch& match) {
            check_name("project", match.params.at("project"), true);
            const std::string token = bearer(request);
            const std::string key =
                token.empty() ? "addr:" + request.remote_addr : "token:" + token_hash_hex(token);
            if (auto wait = m_limiter.acquire(key)) {
                auto r =
                    error_response(429, "rate limit exceeded; retry later", k_exit_unavailable);
                r.headers.emplace_back("Retry-After", std::to_string(*wait));
                return r;
            }
            auto lease = m_pool.lease();
            try {
                authorise(*lease, token, match.params.at("project"), need);
                Context c{request, match, *lease, m_options};
                return handler(c);
            } catch (const store::StoreError& e) {
                if (e.unavailable()) lease.discard();
                throw;
            }
        };
    };
    using store::TokenScope;
    m_router.add("GET", "/api/v1/health", [this](const Request&, const RouteMatch&) {
        auto lease = m_pool.lease();
        try {
            lease->status();
        } catch (const store::StoreError& e) {
            if (e.unavailable()) lease.discard();
            throw;
        }
        return json_response(200, {{"status", "ok"}, {"version", core::k_version}});
    });
    m_router.add("POST", "/api/v1/projects/{project}/runs",
                 project_route(TokenScope::ingest, post_runs));
    m_router.add("GET", "/api/v1/projects/{project}/check",
                 project_route(TokenScope::read, get_check));
    m_router.add("GET", "/api/v1/projects/{project}/backtest",
                 project_route(TokenScope::read, get_backtest));
    m_router.add("GET", "/api/v1/projects/{project}/report",
                 project_route(TokenScope::read, get_report));
    m_router.add("GET", "/api/v1/projects/{project}/series",
                 project_route(TokenScope::read, get_series));
    m_router.add("GET", "/api/v1/projects/{project}/alerts",
                 project_route(TokenScope::read, get_alerts));
    m_router.add("POST", "/api/v1/projects/{project}/alerts/{id}/ack",
                 project_route(TokenScope::admin, post_ack));
    m_router.add("POST", "/api/v1/projects/{project}/alerts/{id}/resolve",
                 project_route(TokenScope::admin, post_resolve));
    m_router.add("POST", "/api/v1/projects/{project}/baseline/reset",
                 project_route(TokenScope::admin, post_baseline_reset));
    m_dashboard = std::make_unique<dashboard::Dashboard>(m_pool, m_limiter);
    m_dashboard->add_routes(m_router);
}

Response Api::handle(const Request& request) const {
    const auto unavailable = [this](const std::string& message) {
        auto r = error_response(503, message, k_exit_unavailable);
        r.headers.emplace_back("Retry-After", std::to_string(m_options.retry_after_seconds));
        return r;
    };
    try {
        return m_router.dispatch(request);
    } catch (const ApiFailure& f) {
        return f.response;
    } catch (const store::StoreError& e) {
        if (e.unavailable()) return unavailable("database unavailable; retry later");
        return error_response(500, "database error", k_exit_internal);
    } catch (const store::SchemaVersionError& e) {
        return error_response(500, e.error.message, k_exit_usage);
    } catch (const core::ErrorException& e) {
        if (e.error.kind == core::ErrorKind::database_unavailable)
            return unavailable("database unavailable; retry later");
        return from_error(e.error);
    } catch (const std::exception&) {
        return error_response(500, "internal server error", k_exit_internal);
    }
}

}  // namespace perftrack::server
