#pragma once
// The renderings of a check (text, JSON, Markdown; README, "Command reference"): pure functions of
// a CheckResult, deterministic (fixed order and precision), so the CLI, the PR-comment poster and
// the tests share them.

#include <string>

#include <nlohmann/json.hpp>

#include "reports/detect/check.hpp"

namespace perftrack::reports::output {

// {"results":[{"benchmark","suite","params","metric","unit","direction","status","change",
// "ci":[lo,hi],"p_value","q_value","since","pending","exact","note","baseline":{...},
// "candidate":{...}}],"summary":{...},"notes":[...]}. Unknown numbers are null.
nlohmann::json check_json(const detect::CheckResult& result);

struct TextOptions {
    bool colour = false;  // ANSI colours (the CLI decides: a terminal, and no NO_COLOR)
};

// An aligned table, regressions first, then a summary line.
std::string render_check_text(const detect::CheckResult& result, const TextOptions& options = {});

// A pull-request comment: one summary line, a table of regressions and improvements, and the
// rest folded in <details>. Untrusted names are escaped.
std::string render_check_markdown(const detect::CheckResult& result);

}  // namespace perftrack::reports::output
