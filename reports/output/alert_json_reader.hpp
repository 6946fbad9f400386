#pragma once
// Alerts read back from the JSON `perftrack alerts list --format json` prints (and the server's
// alerts endpoint returns), so `alerts list --server` prints the same table as against the
// database. Reads what that JSON carries; nothing else of store::Alert is set.

#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "store/store.hpp"

namespace perftrack::reports::output {

// {"alerts": [...]} or one alert object. Errors (kind input): missing or mistyped fields,
// naming the JSON path.
core::Result<std::vector<store::Alert>> alerts_from_json(const nlohmann::json& doc);

}  // namespace perftrack::reports::output
