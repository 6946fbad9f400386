#pragma once
// perftrack backtest: the online check replayed at every commit of a branch, using only the
// runs up to that commit, with the same settings and exactly the same verdicts as running
// `check` commit by commit (see replay.hpp).

#include <cstddef>
#include <string>
#include <vector>

#include "reports/detect/settings.hpp"
#include "reports/detect/verdict.hpp"
#include "store/store.hpp"

namespace perftrack::reports::detect {

struct BacktestFlag {
    std::size_t position = 0;  // of the commit in the branch's history
    std::string commit;        // the commit whose check raised the flag
    std::string since;         // the first commit of the step (may be a commit or two earlier)
    Status status = Status::regression;
    double change = 0, ci_low = 0, ci_high = 0;  // relative change of the metric
    double p_value = 1, q_value = 1;
    bool exact = false;
};

struct BacktestSeries {
    core::SeriesId id;
    std::vector<BacktestFlag> flags;
};

struct BacktestResult {
    std::size_t commits = 0;             // commits of the branch replayed
    std::size_t checks = 0;              // series x commit verdicts with a baseline to compare with
    std::vector<BacktestSeries> series;  // every series of the branch, in history order
};

// `history`: the whole branch (project x testbed x branch), with its baseline resets.
BacktestResult run_backtest(const store::History& history, const DetectionSettings& settings);

}  // namespace perftrack::reports::detect
