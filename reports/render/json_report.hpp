#pragma once
// `perftrack report --format json`: the report model as data, with the same content as the HTML
// page. The DESIGN.md contract fields come first in each series
// ({"series":[{"benchmark","params","metric","points":[...],"change_points":[{"commit","change",
// "p_value"}]}]}); everything else is additive. Deterministic: keys sorted (nlohmann), numbers
// printed by nlohmann's locale-independent shortest round-trip form, NaN/Inf as null.

#include <string>

#include <nlohmann/json.hpp>

#include "reports/render/report_model.hpp"

namespace perftrack::reports::render {

nlohmann::json report_json(const ReportModel& model);

// report_json(model) dumped with two-space indentation and a final newline; invalid UTF-8 in
// names becomes U+FFFD.
std::string render_json(const ReportModel& model);

}  // namespace perftrack::reports::render
