#pragma once
// The report's variant tables as JSON: the value of the report's "variants" key
// (docs/report.md), with the same content as the HTML tables.
//   {"enabled","by":[..],"reference":{"param","value"},"commit","runs","alpha","confidence",
//    "notes":[..],
//    "tables":[{"metric","unit","direction","anchor","columns":[{"values":{PARAM:VALUE},
//               "reference"}],"counts":{"better","worse","no_difference","insufficient"},
//               "rows":[{"suite","benchmark","params","cells":[{"kind","median","n","ratio",
//                        "ci":[low,high],"p_value","q_value","verdict","verdict_words","best",
//                        "note","failure"}]}]}]}
// kind: "missing", "reference", "compared", "unreferenced" or "failed"; verdict as
// `perftrack compare --output-format json` names it; an unbounded interval end is null (high)
// or 0 (low); numbers that are not finite are null.

#include <nlohmann/json.hpp>

#include "reports/render/variants_model.hpp"

namespace perftrack::reports::render {

std::string_view to_string(VariantCellKind kind);

nlohmann::json variants_json(const VariantsSection& section);

}  // namespace perftrack::reports::render
