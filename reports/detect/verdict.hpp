#pragma once
// From per-series assessments to verdicts: Benjamini-Hochberg across every series checked at
// one commit, then a status per series.

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "reports/detect/online_detector.hpp"

namespace perftrack::reports::detect {

enum class Status { regression, improvement, unchanged, insufficient_data, new_series };

// "regression", "improvement", "unchanged", "insufficient_data", "new" (the JSON contract).
std::string_view to_string(Status status);

struct Decision {
    Status status = Status::insufficient_data;
    double p_value = std::numeric_limits<double>::quiet_NaN();  // NaN when not tested
    double q_value = std::numeric_limits<double>::quiet_NaN();
};

// The p-value a series enters the correction with: that of the confirmed step when there is
// one, else that of the candidate's own runs. NaN when the series was not tested.
double decision_p_value(const Assessment& a);

// One decision per assessment (same order). A series is flagged when a step was confirmed and
// its q-value is at most alpha: `regression` when it got worse, `improvement` when better.
std::vector<Decision> decide(std::span<const Assessment* const> assessments, double alpha);

}  // namespace perftrack::reports::detect
