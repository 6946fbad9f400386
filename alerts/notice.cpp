#include "alerts/notice.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

namespace perftrack::alerts {

VerdictCounts count_verdicts(const std::vector<NoticeVerdict>& verdicts) {
    VerdictCounts c;
    for (const auto& v : verdicts) {
        if (v.status == k_status_regression) {
            ++c.regressions;
        } else if (v.status == k_status_improvement) {
            ++c.improvements;
        } else if (v.status == k_status_unchanged) {
            ++c.unchanged;
        } else if (v.status == k_status_insufficient_data) {
            ++c.insufficient_data;
        } else if (v.status == k_status_new) {
            ++c.new_series;
        }
    }
    return c;
}

std::string counts_phrase(const VerdictCounts& c) {
    std::vector<std::string> parts;
    const auto add = [&](std::size_t n, const char* one, const char* many) {
        if (n > 0) parts.push_back(fmt::format("{} {}", n, n == 1 ? one : many));
    };
    add(c.regressions, "regression", "regressions");
    add(c.improvements, "improvement", "improvements");
    add(c.unchanged, "unchanged", "unchanged");
    add(c.insufficient_data, "with too little data", "with too little data");
    add(c.new_series, "new", "new");
    if (parts.empty()) return "no series compared";
    std::string out = parts[0];
    for (std::size_t i = 1; i < parts.size(); ++i) out += ", " + parts[i];
    return out;
}

std::vector<const NoticeVerdict*> regressions_by_size(const std::vector<NoticeVerdict>& verdicts) {
    std::vector<const NoticeVerdict*> out;
    for (const auto& v : verdicts)
        if (v.status == k_status_regression) out.push_back(&v);
    std::stable_sort(out.begin(), out.end(), [](const NoticeVerdict* a, const NoticeVerdict* b) {
        const double ca = std::fabs(a->change_pct.value_or(0.0));
        const double cb = std::fabs(b->change_pct.value_or(0.0));
        if (ca != cb) return ca > cb;
        return std::tie(a->series.benchmark, a->series.metric) <
               std::tie(b->series.benchmark, b->series.metric);
    });
    return out;
}

}  // namespace perftrack::alerts
