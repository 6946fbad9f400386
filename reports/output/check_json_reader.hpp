#pragma once
// The inverse of check_json: a check result read back from its JSON (what `perftrack check
// --format json` prints and the server's check endpoint returns), so `check --server` renders
// text and Markdown byte-identical to `check --db`. check_json(check_from_json(j)) == j for
// every j check_json produced; numbers round-trip exactly (JSON carries 17 significant digits).

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "reports/detect/check.hpp"

namespace perftrack::reports::output {

// Errors (kind input): a document that is not check JSON (missing or mistyped fields, an
// unknown status), naming the JSON path.
core::Result<detect::CheckResult> check_from_json(const nlohmann::json& doc);

}  // namespace perftrack::reports::output
