#pragma once
// `perftrack compare` as people read it: an aligned text table, a Markdown table (untrusted
// names escaped) and JSON. Numbers, units and probabilities follow core/display.hpp.

#include <string>

#include <nlohmann/json.hpp>

#include "reports/compare/compare.hpp"

namespace perftrack::reports::compare {

// What the two sides are called in headers: file names, "mode=eager" / "mode=*", commits.
struct SideNames {
    std::string reference;
    std::string candidate;
};

// One line that says what was compared and what was found, one line that says how, then the
// table: series, metric, both medians (one scale per row), ratio, interval, p, q, verdict.
std::string render_compare_text(const Comparison& comparison, const SideNames& names);

// The same as a GitHub-flavoured Markdown table.
std::string render_compare_markdown(const Comparison& comparison, const SideNames& names);

// {"reference","candidate","settings":{...},"rows":[{"suite","benchmark","params","metric",
// "unit","direction","candidate_label","method","reference":{"n","median"},"candidate":{...},
// "ratio","ci":[low,high],"p_value","q_value","verdict","verdict_words","note"}],
// "summary":{"rows","better","worse","no_difference","insufficient"}}. Unknown numbers and
// unbounded interval ends are null.
nlohmann::json render_compare_json(const Comparison& comparison, const SideNames& names);

}  // namespace perftrack::reports::compare
