#include "server/dashboard.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/version.hpp"
#include "reports/render/html_escape.hpp"
#include "reports/render/html_report.hpp"
#include "server/dashboard_pages.hpp"
#include "server/dashboard_reports.hpp"
#include "server/dashboard_response.hpp"
#include "server/dashboard_session.hpp"
#include "server/dashboard_urls.hpp"

namespace perftrack::server::dashboard {

namespace {

using Query = std::map<std::string, std::string>;
constexpr std::size_t k_max_name_bytes = 200;
constexpr std::size_t k_max_note_bytes = 2000;

std::string query_or(const Query& q, const std::string& name, const std::string& fallback = {}) {
    const auto it = q.find(name);
    return it == q.end() ? fallback : it->second;
}

void check_name(const std::string& what, const std::string& name) {
    if (name.empty() || name.size() > k_max_name_bytes)
        page_fail(400, "Bad request",
                  fmt::format("invalid {} name: 1 to {} bytes", what, k_max_name_bytes));
}

// The request's URL without its token parameter: where `?token=` sends the browser after
// setting the cookie.
std::string without_token(const ParsedTarget& t) {
    std::string url;
    for (const auto& s : t.segments) url += "/" + reports::render::percent_encode(s);
    char sep = '?';
    for (const auto& [name, value] : t.query) {
        if (name == "token") continue;
        url += sep + reports::render::percent_encode(name) + "=" +
               reports::render::percent_encode(value);
        sep = '&';
    }
    return url;
}

// A POST from another site's page (a browser always sends Origin with a form POST): refused
// before anything else, besides the CSRF field.
void check_origin(const Request& request) {
    const auto origin = request.headers.find("origin");
    if (origin == request.headers.end()) return;
    const auto host = request.headers.find("host");
    if (host == request.headers.end() ||
        (origin->second != "http://" + host->second && origin->second != "https://" + host->second))
        page_fail(403, "Forbidden", "this form was sent from another site; nothing was changed");
}

std::optional<std::string> data_version(store::Store& db, const std::string& project) {
    if (auto* reader = dynamic_cast<store::DashboardReader*>(&db))
        return reader->data_version(project);
    return std::nullopt;
}

store::DashboardReader& reader_of(store::Store& db) {
    auto* reader = dynamic_cast<store::DashboardReader*>(&db);
    if (!reader) page_fail(501, "Not available", "this store cannot list projects");
    return *reader;
}

}  // namespace

struct Dashboard::Impl {
    Impl(StorePool& p, RateLimiter& l) : pool(p), limiter(l) {}
    StorePool& pool;
    RateLimiter& limiter;
    ReportPages reports;

    struct Page {
        const Request& request;
        const RouteMatch& match;
        store::Store& db;
        Viewer viewer;
        const Query& q() const { return match.target.query; }
        const std::string& project() const { return match.params.at("project"); }
    };
    using PageHandler = std::function<Response(Impl&, Page&)>;

    Response error_page(const PageError& e) {
        auto r = html_response(e.status, message_page(e.title, e.message, e.login_project),
                               page_csp(), true);
        return r;
    }

    // Rate limit, store connection, errors as pages. Store failures become 503 pages.
    template <typename F>
    Response guarded(const Request& request, F&& body) {
        if (auto wait = limiter.acquire("addr:" + request.remote_addr)) {
            auto r = error_page({429, "Too many requests", "rate limit exceeded; retry later", ""});
            r.headers.emplace_back("Retry-After", std::to_string(*wait));
            return r;
        }
        try {
            auto lease = pool.lease();
            try {
                return body(*lease);
            } catch (const store::StoreError& e) {
                if (e.unavailable()) lease.discard();
                throw;
            }
        } catch (const PageError& e) {
            return error_page(e);
        } catch (const store::StoreError& e) {
            if (e.unavailable()) {
                auto r = error_page({503, "Database unavailable", "retry in a few seconds", ""});
                r.headers.emplace_back("Retry-After", "5");
                return r;
            }
            return error_page({500, "Database error", "the database refused the query", ""});
        }
    }

    // A project page: name check, `?token=` exchange, access.
    Handler project_page_route(bool need_admin, PageHandler handler) {
        return [this, need_admin, handler](const Request& request, const RouteMatch& match) {
            return guarded(request, [&](store::Store& db) {
                const std::string& project = match.params.at("project");
                check_name("project", project);
                if (request.method == "GET") {
                    if (const auto t = match.target.query.find("token");
                        t != match.target.query.end()) {
                        auto r = redirect(without_token(match.target));
                        if (!t->second.empty())
                            r.headers.emplace_back("Set-Cookie",
                                                   token_cookie(request, project, t->second));
                        return r;
                    }
                } else {
                    check_origin(request);
                }
                Page page{request, match, db, viewer(db, request, project, need_admin)};
                switch (page.viewer.access) {
                    case Access::granted:
                        return handler(*this, page);
                    case Access::needs_token:
                        page_fail(need_admin ? 403 : 401,
                                  need_admin ? "Admin token needed" : "Token needed",
                                  need_admin ? "this needs an admin token of the project; "
                                               "nothing was changed"
                                             : "this project is not public (or does not exist): "
                                               "sign in with a read token of it",
                                  project);
                    case Access::bad_token: {
                        auto r = error_page({401, "Token not valid",
                                             "the token of this browser is invalid, expired or "
                                             "revoked; sign in again",
                                             project});
                        r.headers.emplace_back("Set-Cookie", clear_cookie(request, project));
                        return r;
                    }
                    case Access::forbidden:
                        page_fail(403, "Forbidden",
                                  need_admin ? "this needs an admin token of the project; "
                                               "nothing was changed"
                                             : "the token of this browser does not allow reading "
                                               "this project",
                                  project);
                }
                page_fail(500, "Error", "unexpected access state");
            });
        };
    }

    Response projects(const Request& request) {
        return guarded(request, [&](store::Store& db) {
            ProjectsPage page;
            page.version = core::k_version;
            for (auto& p : reader_of(db).list_projects()) {
                const bool readable =
                    p.is_public || (cookie_value(request, cookie_name(p.name)) &&
                                    viewer(db, request, p.name, false).access == Access::granted);
                if (readable)
                    page.projects.push_back(std::move(p));
                else
                    ++page.hidden;
            }
            return html_response(200, projects_page(page), page_csp(), true);
        });
    }

    static std::optional<std::string> version_of(Page& p) {
        return data_version(p.db, p.project());
    }

    Response project(Page& p) {
        ProjectPage page;
        page.project = p.project();
        page.is_public = p.db.project_public(page.project).value_or(false);
        page.signed_in = !p.viewer.token.empty();
        page.admin = p.viewer.admin;
        if (page.signed_in) page.csrf = csrf_token(p.viewer.token);
        page.version = core::k_version;
        const auto version = version_of(p);
        for (auto& head : reader_of(p.db).branch_heads(page.project)) {
            HeadRow row;
            row.verdict = reports.head_verdict(p.db, {page.project, head.testbed, head.branch},
                                               head.commit, version);
            row.head = std::move(head);
            page.heads.push_back(std::move(row));
        }
        store::AlertQuery q;
        q.project = page.project;
        q.active_only = true;
        page.alerts = p.db.list_alerts(q);
        if (const auto acked = query_or(p.q(), "acked"); !acked.empty())
            page.flash = "Alert #" + acked + " acknowledged.";
        return html_response(200, project_page(page), page_csp(), !page.is_public);
    }

    // testbed and branch from the query; when missing, the project's only testbed of the
    // branch, and main (or the first branch).
    BranchKey branch_key(Page& p) {
        BranchKey key{p.project(), query_or(p.q(), "testbed"), query_or(p.q(), "branch")};
        if (key.testbed.empty() || key.branch.empty()) {
            const auto heads = reader_of(p.db).branch_heads(key.project);
            const auto pick = [&](const std::string& branch) {
                for (const auto& h : heads)
                    if ((branch.empty() || h.branch == branch) &&
                        (key.testbed.empty() || h.testbed == key.testbed)) {
                        key.testbed = h.testbed;
                        key.branch = h.branch;
                        return true;
                    }
                return false;
            };
            if (!pick(key.branch.empty() ? "main" : key.branch) && key.branch.empty()) pick("");
        }
        check_name("testbed", key.testbed);
        check_name("branch", key.branch);
        return key;
    }

    Response report(Page& p) {
        const auto key = branch_key(p);
        const std::string commit = query_or(p.q(), "commit");
        const bool is_public = p.db.project_public(key.project).value_or(false);
        return html_response(200, reports.report_html(p.db, key, commit, version_of(p)),
                             report_csp(), !is_public);
    }

    Response series(Page& p) {
        const auto key = branch_key(p);
        core::SeriesId want;
        want.suite = query_or(p.q(), "suite");
        want.benchmark = query_or(p.q(), "benchmark");
        check_name("benchmark", want.benchmark);
        const std::string params = query_or(p.q(), "params", "{}");
        try {
            want.params = core::Params::parse(params);
        } catch (const std::exception&) {
            page_fail(400, "Bad request", "params must be a JSON object");
        }
        if (!want.params.is_object()) page_fail(400, "Bad request", "params must be a JSON object");
        want.metric = query_or(p.q(), "metric");
        const bool match_unit = p.q().count("unit") != 0;
        want.unit = query_or(p.q(), "unit");
        const bool is_public = p.db.project_public(key.project).value_or(false);
        return html_response(200,
                             reports.series_html(p.db, key, want, match_unit,
                                                 query_or(p.q(), "point"), version_of(p)),
                             report_csp(), !is_public);
    }

    Response ack(Page& p) {
        const auto fields = form_fields(p.request.body);
        if (!fields || !csrf_matches(p.viewer.token, query_or(*fields, "csrf")))
            page_fail(403, "Forbidden",
                      "the form's CSRF token is missing or wrong (reload the project page); "
                      "nothing was changed");
        std::int64_t id = 0;
        const std::string& text = p.match.params.at("id");
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0)
            page_fail(400, "Bad request", "alert id must be a positive integer");
        const std::string note = query_or(*fields, "note");
        if (note.find_first_not_of(" \t\r\n") == std::string::npos ||
            note.size() > k_max_note_bytes)
            page_fail(400, "Bad request", "the note must say something (at most 2000 bytes)");
        store::AlertQuery q;
        q.id = id;
        const auto found = p.db.list_alerts(q);
        if (found.empty() || found.front().project != p.project())
            page_fail(404, "Not found",
                      fmt::format("no alert with id {} in project {}", id, p.project()));
        const auto update = p.db.acknowledge_alert(id, note);
        if (!update.changed)
            page_fail(409, "Conflict", fmt::format("alert {} is already resolved", id));
        return redirect(project_url(p.project()) + "?acked=" + std::to_string(id) + "#alerts");
    }

    static std::string report_csp() {
        return reports::render::content_security_policy() + "; frame-ancestors 'none'";
    }
};

Dashboard::Dashboard(StorePool& pool, RateLimiter& limiter)
    : m_impl(std::make_unique<Impl>(pool, limiter)) {}

Dashboard::~Dashboard() = default;

void Dashboard::add_routes(Router& router) {
    auto* impl = m_impl.get();
    const auto page = [impl](bool need_admin, Response (Impl::*fn)(Impl::Page&)) {
        return impl->project_page_route(need_admin,
                                        [fn](Impl& i, Impl::Page& p) { return (i.*fn)(p); });
    };
    router.add("GET", "/", [impl](const Request& request, const RouteMatch&) {
        return impl->projects(request);
    });
    router.add("GET", "/p/{project}", page(false, &Impl::project));
    router.add("GET", "/p/{project}/report", page(false, &Impl::report));
    router.add("GET", "/p/{project}/series", page(false, &Impl::series));
    router.add("POST", "/p/{project}/alerts/{id}/ack", page(true, &Impl::ack));
    // Signing in stores the token as a cookie without checking it: the next page does (and
    // says so when it is not valid). Only its format is checked here.
    router.add("POST", "/p/{project}/login", [impl](const Request& request, const RouteMatch& m) {
        return impl->guarded(request, [&](store::Store&) {
            const std::string& project = m.params.at("project");
            check_name("project", project);
            check_origin(request);
            const auto fields = form_fields(request.body);
            const std::string token = fields ? query_or(*fields, "token") : std::string();
            if (token.empty() || token.size() > k_max_name_bytes ||
                token.find_first_not_of("ptk_0123456789abcdef") != std::string::npos)
                page_fail(400, "Bad request", "that is not a perftrack token (ptk_...)", project);
            auto r = redirect(project_url(project));
            r.headers.emplace_back("Set-Cookie", token_cookie(request, project, token));
            return r;
        });
    });
    router.add("POST", "/p/{project}/logout", [impl](const Request& request, const RouteMatch& m) {
        return impl->guarded(request, [&](store::Store&) {
            const std::string& project = m.params.at("project");
            check_name("project", project);
            check_origin(request);
            const auto fields = form_fields(request.body);
            const auto token = cookie_value(request, cookie_name(project));
            if (!fields || !token || !csrf_matches(*token, query_or(*fields, "csrf")))
                page_fail(403, "Forbidden", "the form's CSRF token is missing or wrong");
            auto r = redirect(project_url(project));
            r.headers.emplace_back("Set-Cookie", clear_cookie(request, project));
            return r;
        });
    });
}

}  // namespace perftrack::server::dashboard
