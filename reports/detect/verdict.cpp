#include "reports/detect/verdict.hpp"

#include <cmath>

#include "reports/stats/fdr.hpp"

namespace perftrack::reports::detect {

std::string_view to_string(Status status) {
    switch (status) {
        case Status::regression:
            return "regression";
        case Status::improvement:
            return "improvement";
        case Status::unchanged:
            return "unchanged";
        case Status::insufficient_data:
            return "insufficient_data";
        case Status::new_series:
            return "new";
    }
    return "unchanged";
}

double decision_p_value(const Assessment& a) {
    if (a.kind != AssessmentKind::tested) return std::numeric_limits<double>::quiet_NaN();
    return a.step ? a.step->p_value : a.current.p_value;
}

std::vector<Decision> decide(std::span<const Assessment* const> assessments, double alpha) {
    std::vector<Decision> out(assessments.size());
    std::vector<double> p;
    std::vector<std::size_t> tested;
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        const Assessment& a = *assessments[i];
        if (a.kind == AssessmentKind::new_series) {
            out[i].status = Status::new_series;
        } else if (a.kind == AssessmentKind::insufficient_data) {
            out[i].status = Status::insufficient_data;
        } else {
            out[i].p_value = decision_p_value(a);
            p.push_back(out[i].p_value);
            tested.push_back(i);
        }
    }
    // p-values are in [0, 1] by construction, so the correction cannot fail.
    const auto q = *stats::benjamini_hochberg(p);
    for (std::size_t k = 0; k < tested.size(); ++k) {
        const std::size_t i = tested[k];
        const Assessment& a = *assessments[i];
        out[i].q_value = q[k];
        out[i].status = Status::unchanged;
        if (a.step && q[k] <= alpha)
            out[i].status = a.step->sign > 0 ? Status::regression : Status::improvement;
    }
    return out;
}

}  // namespace perftrack::reports::detect
