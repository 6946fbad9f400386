#pragma once
// The calls of API v1 the CLI makes (API_CONTRACT.md), each one request through ApiClient.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/api_client.hpp"
#include "store/store.hpp"

namespace perftrack::client {

// Query parameters in order; names are the CLI's long flag names.
using Query = std::vector<std::pair<std::string, std::string>>;

// "?a=1&b=x%20y" ("" for none).
std::string query_string(const Query& query);

// The body the server parses for a run: the run in perftrack's native JSON, its resolved
// context included, with run_id = the run key, so a retry after a lost response (or a `push` of
// a run the server did store) is stored once.
std::string upload_body(const store::RunToStore& run);

struct UploadReply {
    bool stored = false;  // false: the run key was already stored; nothing written
    std::int64_t run_id = 0;
    std::optional<nlohmann::json> check;  // with_check: the check JSON of the run's commit
    std::optional<int> check_exit_code;   // 0 or 1, as `check` would exit
};

// POST /projects/{project}/runs?format=perftrack&run-id=...
ApiResult<UploadReply> upload_run(const ApiClient& api, const store::RunToStore& run,
                                  bool with_check);

// GET /projects/{project}/{what}?query; the body as JSON and X-Perftrack-Exit-Code.
struct JsonReply {
    nlohmann::json body;
    std::optional<int> exit_code;
};
ApiResult<JsonReply> get_json(const ApiClient& api, const std::string& project,
                              const std::string& what, const Query& query);
// POST /projects/{project}/{what}?query with an empty body (acknowledge, resolve, reset).
ApiResult<JsonReply> post_json(const ApiClient& api, const std::string& project,
                               const std::string& what, const Query& query);

}  // namespace perftrack::client
