#pragma once
// Renderings of a backtest: JSON per the contract, and a plain list of flags.

#include <string>

#include <nlohmann/json.hpp>

#include "reports/detect/backtest.hpp"

namespace perftrack::reports::output {

struct BacktestContext {
    std::string project, testbed, branch;
    double alpha = 0;
    double min_change = 0;
};

// {"series":[{"benchmark","suite","params","metric","unit","direction","flags":[{"commit",
// "since","status","change","ci","p_value","q_value","exact"}]}],"summary":{...}}. Every series
// is listed, with an empty flag list when nothing was flagged.
nlohmann::json backtest_json(const detect::BacktestResult& result, const BacktestContext& context);

// One line per flag in commit order, then a summary line.
std::string render_backtest_text(const detect::BacktestResult& result,
                                 const BacktestContext& context);

}  // namespace perftrack::reports::output
