#include "alerts/notice.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

namespace perftrack::alerts {

VerdictCounts count_verdicts(const std::vector<SeriesVerdict>& verdicts) {
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

std::vector<const SeriesVerdict*> regressions_by_size(const std::vector<SeriesVerdict>& verdicts) {
    std::vector<const SeriesVerdict*> out;
    for (const auto& v : verdicts)
        if (v.status == k_status_regression) out.push_back(&v);
    std::stable_sort(out.begin(), out.end(), [](const SeriesVerdict* a, const SeriesVerdict* b) {
        const double ca = std::fabs(a->change_pct.value_or(0.0));
        const double cb = std::fabs(b->change_pct.value_or(0.0));
        if (ca != cb) return ca > cb;
        return std::tie(a->benchmark, a->metric) < std::tie(b->benchmark, b->metric);
    });
    return out;
}

std::string format_change(std::optional<double> change_pct) {
    if (!change_pct || !std::isfinite(*change_pct)) return "n/a";
    // fmt formats locale-independently unless asked otherwise ('L').
    return fmt::format("{:+.1f} %", *change_pct);
}

std::string params_phrase(const core::Params& params) {
    if (!params.is_object() || params.empty()) return "";
    std::string out;
    for (const auto& [key, value] : params.items()) {
        if (!out.empty()) out += ", ";
        out += key;
        out += '=';
        out += value.is_string() ? value.get<std::string>() : value.dump();
    }
    return out;
}

}  // namespace perftrack::alerts
