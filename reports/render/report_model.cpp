#include "reports/render/report_model.hpp"

#include <algorithm>
#include <cmath>

#include "reports/render/html_escape.hpp"

namespace perftrack::reports::render {

std::string_view to_string(VerdictStatus status) {
    switch (status) {
        case VerdictStatus::regression:
            return "regression";
        case VerdictStatus::improvement:
            return "improvement";
        case VerdictStatus::unchanged:
            return "unchanged";
        case VerdictStatus::insufficient_data:
            return "insufficient_data";
        case VerdictStatus::new_series:
            return "new";
    }
    return "unchanged";
}

std::string_view to_string(AlertState state) {
    switch (state) {
        case AlertState::open:
            return "open";
        case AlertState::acknowledged:
            return "acknowledged";
        case AlertState::resolved:
            return "resolved";
    }
    return "open";
}

VerdictCounts count_verdicts(const ReportModel& model) {
    VerdictCounts c;
    for (const auto& s : model.series) {
        if (!s.verdict) continue;
        switch (s.verdict->status) {
            case VerdictStatus::regression:
                ++c.regressions;
                break;
            case VerdictStatus::improvement:
                ++c.improvements;
                break;
            case VerdictStatus::unchanged:
                ++c.unchanged;
                break;
            case VerdictStatus::insufficient_data:
                ++c.insufficient_data;
                break;
            case VerdictStatus::new_series:
                ++c.new_series;
                break;
        }
    }
    return c;
}

std::vector<std::size_t> flagged_series(const ReportModel& model) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < model.series.size(); ++i) {
        const auto& v = model.series[i].verdict;
        if (v &&
            (v->status == VerdictStatus::regression || v->status == VerdictStatus::improvement))
            out.push_back(i);
    }
    auto rank = [&](std::size_t i) {
        return model.series[i].verdict->status == VerdictStatus::regression ? 0 : 1;
    };
    auto size = [&](std::size_t i) {
        const auto& c = model.series[i].verdict->change;
        return c && std::isfinite(*c) ? std::fabs(*c) : 0.0;
    };
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        return size(a) > size(b);
    });
    return out;
}

bool site_relative_url(std::string_view url) {
    // "//host/..." and "/\\host/..." would leave the site (browsers read both as a host).
    return url.size() >= 2 && url[0] == '/' && url[1] != '/' && url[1] != '\\';
}

std::string commit_url(std::string_view template_text, std::string_view sha) {
    if (!(template_text.starts_with("https://") || template_text.starts_with("http://") ||
          site_relative_url(template_text)))
        return {};
    std::string out;
    const std::string encoded = percent_encode(sha);
    std::size_t i = 0;
    while (i < template_text.size()) {
        if (template_text.substr(i, 5) == "{sha}") {
            out += encoded;
            i += 5;
        } else {
            out += template_text[i++];
        }
    }
    return out;
}

}  // namespace perftrack::reports::render
