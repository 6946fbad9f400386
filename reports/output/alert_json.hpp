#pragma once
// The alerts list as JSON, as `perftrack alerts list --format json` prints it and the API's
// GET /api/v1/projects/{project}/alerts returns it: {"alerts": [...]}, newest first.

#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.hpp"

namespace perftrack::reports::output {

// One alert: ids, status, series, commits, change in percent with its interval, times (ISO 8601
// UTC; null when not reached) and the delivery state per channel.
nlohmann::json alert_json(const store::Alert& alert);

// {"alerts": [alert_json(a)...]}
nlohmann::json alerts_json(const std::vector<store::Alert>& alerts);

}  // namespace perftrack::reports::output
