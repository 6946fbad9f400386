#include "client/api_calls.hpp"

#include <fmt/format.h>

#include "core/native_format.hpp"

namespace perftrack::client {

namespace {

std::string project_path(const std::string& project, const std::string& what) {
    return fmt::format("/projects/{}/{}", url_encode(project), what);
}

ApiResult<nlohmann::json> parse_body(const ApiClient& api, const ApiReply& reply) {
    auto doc = nlohmann::json::parse(reply.body, nullptr, false);
    if (doc.is_discarded()) {
        ApiError e;
        e.exit_code = 3;
        e.message = fmt::format("perftrack server {}: HTTP {} with a body that is not JSON",
                                api.target().describe(), reply.status);
        e.hint = "is --server the perftrack server, not a proxy's error page?";
        return tl::unexpected(std::move(e));
    }
    return doc;
}

}  // namespace

std::string query_string(const Query& query) {
    std::string out;
    for (const auto& [name, value] : query)
        out += fmt::format("{}{}={}", out.empty() ? "?" : "&", url_encode(name), url_encode(value));
    return out;
}

std::string upload_body(const store::RunToStore& run) {
    core::RunResults results = run.results;
    results.context.run_id = run.run_key;
    return core::to_native_json(results);
}

ApiResult<UploadReply> upload_run(const ApiClient& api, const store::RunToStore& run,
                                  bool with_check) {
    // The body's context says everything; the parameters repeat what the contract names, so a
    // server that reads them (flags > file) agrees with the body.
    Query query = {{"format", "perftrack"},
                   {"run-id", run.run_key},
                   {"branch", run.branch},
                   {"commit", run.commit},
                   {"testbed", run.testbed}};
    if (with_check) query.emplace_back("check", "1");
    auto reply = api.post(project_path(run.project, "runs") + query_string(query), upload_body(run),
                          "application/json");
    if (!reply) return tl::unexpected(reply.error());
    auto doc = parse_body(api, *reply);
    if (!doc) return tl::unexpected(doc.error());
    UploadReply out;
    out.stored = reply->status == 201 || doc->value("stored", false);
    if (auto it = doc->find("run_id"); it != doc->end() && it->is_number_integer())
        out.run_id = it->get<std::int64_t>();
    if (auto it = doc->find("check"); it != doc->end() && it->is_object()) out.check = *it;
    out.check_exit_code = reply->exit_code;
    return out;
}

ApiResult<JsonReply> get_json(const ApiClient& api, const std::string& project,
                              const std::string& what, const Query& query) {
    auto reply = api.get(project_path(project, what) + query_string(query));
    if (!reply) return tl::unexpected(reply.error());
    auto doc = parse_body(api, *reply);
    if (!doc) return tl::unexpected(doc.error());
    return JsonReply{std::move(*doc), reply->exit_code};
}

ApiResult<JsonReply> post_json(const ApiClient& api, const std::string& project,
                               const std::string& what, const Query& query) {
    auto reply =
        api.post(project_path(project, what) + query_string(query), "{}", "application/json");
    if (!reply) return tl::unexpected(reply.error());
    if (reply->body.empty()) return JsonReply{nlohmann::json::object(), reply->exit_code};
    auto doc = parse_body(api, *reply);
    if (!doc) return tl::unexpected(doc.error());
    return JsonReply{std::move(*doc), reply->exit_code};
}

}  // namespace perftrack::client
