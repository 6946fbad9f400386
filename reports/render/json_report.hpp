#pragma once
// `perftrack report --format json`: the report model as data, with the same content as the HTML
// page. It carries DESIGN.md's contract
//   {"series":[{"benchmark","params","metric","points":[...],
//               "change_points":[{"commit","change","p_value"}]}]}
// and, additively, everything else the page shows (runs, verdicts, comparisons, alerts, notes).
//
// Written straight into the output string, not through a JSON document tree: 2,000 series x 500
// runs are a million points, which as nlohmann::json nodes would take gigabytes. Deterministic:
// fixed key order, numbers in their shortest round-trip form (locale-free), NaN/Inf as null,
// invalid UTF-8 in names as U+FFFD. One top-level key, commit and series per line.

#include <string>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

std::string render_json(const ReportModel& model);

}  // namespace perftrack::reports::render
