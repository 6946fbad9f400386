#pragma once
// `perftrack report --format json`: the report model as data, with the same content as the HTML
// page. It carries the contract scripts rely on (docs/report.md)
//   {"series":[{"benchmark","params","metric","points":[...],
//               "change_points":[{"commit","change","p_value"}]}]}
// and, additively, everything else the page shows:
//   {"project","branch","testbed","generated_at","perftrack_version","commit_url_template",
//    "commits":[{"commit","subject","commit_time","runs","partial"}],
//    "verdicts":{"evaluated","commit","baseline","note","summary":{..counts..},"flagged":[i]},
//    "series":[{"suite","benchmark","params","metric","unit","direction",
//               "points":[{"commit","commit_time","subject","value","runs","median","min","max",
//                          "repetitions","baseline":{"median","low","high","commits"}|null}],
//               "change_points":[..],"verdict":{"status","change","ci","p_value","q_value",
//               "baseline":{"median"},"candidate":{"median"}}|null}],
//    "comparisons":[{"metric","unit","direction","dimensions","entries":[{"series","value",
//                    "commit"}]}],
//    "alerts":{"tracked","note","items":[{"id","state","source","series","benchmark","params",
//              "metric","commit","commit_subject","change","opened_at","resolved_at"}]},
//    "variants":{..the variant tables, variants_json.hpp..},
//    "notes":[..]}
// `value` is the detector's value of the commit (mean over its runs of each run's trimmed mean,
// what check and the change points judge); median/min/max are over all its repetitions (what
// the chart draws). Times are ISO 8601 UTC; changes are fractions (+0.1 = 10 % larger).
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
