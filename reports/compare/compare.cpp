#include "reports/compare/compare.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/units.hpp"
#include "reports/stats/descriptive.hpp"
#include "reports/stats/fdr.hpp"
#include "reports/stats/hodges_lehmann.hpp"
#include "reports/stats/rank_tests.hpp"

namespace perftrack::reports::compare {

namespace {

Side summarise(const std::vector<double>& x) {
    Side s;
    s.n = x.size();
    if (!x.empty()) s.median = stats::median(x).value_or(std::nan(""));
    return s;
}

bool all_positive(const std::vector<double>& x) {
    return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v) && v > 0; });
}

std::vector<double> logs(const std::vector<double>& x) {
    std::vector<double> out(x.size());
    std::transform(x.begin(), x.end(), out.begin(), [](double v) { return std::log(v); });
    return out;
}

bool speed_like(std::string_view unit) {
    return core::ns_per_time_unit(unit).has_value() ||
           (unit.size() > 2 && unit.substr(unit.size() - 2) == "/s");
}

// The ratio and its interval from a shift of the logs; false (with the reason in the row's note)
// when the shift could not be estimated.
bool set_ratio(Row& row, const core::Result<stats::ShiftEstimate>& shift) {
    if (!shift) {
        row.note = shift.error().message;
        return false;
    }
    row.ratio = std::exp(shift->estimate);
    row.ci_low = std::exp(shift->ci_low);
    row.ci_high = std::exp(shift->ci_high);
    return true;
}

// Fills ratio, interval and p-value of a row whose sides are valid. The interval and the test
// come from the same rank distribution, so they agree up to the adjustment.
void estimate(Row& row, const RowInput& in, const CompareSettings& settings) {
    const auto lr = logs(in.reference);
    const auto lc = logs(in.candidate);
    if (row.method == Method::paired) {
        std::vector<double> d(lr.size());
        bool any_nonzero = false;
        for (std::size_t i = 0; i < d.size(); ++i) {
            d[i] = lc[i] - lr[i];
            any_nonzero = any_nonzero || d[i] != 0;
        }
        auto shift = stats::hodges_lehmann_paired(d, settings.confidence);
        if (!set_ratio(row, shift)) return;
        // Every pair equal: no evidence of any difference.
        if (!any_nonzero) {
            row.p_value = 1.0;
            return;
        }
        auto w = stats::wilcoxon_signed_rank(std::span<const double>(d));
        if (!w) {
            row.note = w.error().message;
            return;
        }
        row.p_value = w->p_value;
        return;
    }
    auto shift = stats::hodges_lehmann_shift(lr, lc, settings.confidence);
    if (!set_ratio(row, shift)) return;
    auto u = stats::mann_whitney_u(lc, lr);
    if (!u) {
        row.note = u.error().message;
        return;
    }
    row.p_value = u->p_value;
}

}  // namespace

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::better:
            return "better";
        case Verdict::worse:
            return "worse";
        case Verdict::no_difference:
            return "no_difference";
        case Verdict::insufficient:
            return "insufficient";
    }
    return "insufficient";
}

std::string_view verdict_words(Verdict verdict, const core::SeriesId& series) {
    const bool speed = speed_like(series.unit);
    switch (verdict) {
        case Verdict::better:
            return speed ? "faster" : "better";
        case Verdict::worse:
            return speed ? "slower" : "worse";
        case Verdict::no_difference:
            return "no significant difference";
        case Verdict::insufficient:
            return "not compared";
    }
    return "not compared";
}

std::string_view to_string(Method method) {
    return method == Method::paired ? "paired" : "unpaired";
}

std::size_t Comparison::count(Verdict verdict) const {
    return static_cast<std::size_t>(std::count_if(
        rows.begin(), rows.end(), [&](const Row& r) { return r.verdict == verdict; }));
}

core::Result<Comparison> compare_rows(std::vector<RowInput> inputs,
                                      const CompareSettings& settings) {
    if (!(settings.alpha > 0 && settings.alpha < 1))
        return core::fail(core::ErrorKind::input,
                          fmt::format("alpha must be between 0 and 1, got {}", settings.alpha));
    if (!(settings.confidence > 0 && settings.confidence < 1))
        return core::fail(
            core::ErrorKind::input,
            fmt::format("the confidence must be between 0 and 1, got {}", settings.confidence));
    Comparison out;
    out.settings = settings;
    std::vector<double> p_values;
    std::vector<std::size_t> tested;  // indices into out.rows, parallel to p_values
    for (auto& in : inputs) {
        Row row;
        row.series = in.series;
        row.candidate_label = in.candidate_label;
        row.reference = summarise(in.reference);
        row.candidate = summarise(in.candidate);
        if (in.reference.empty() || in.candidate.empty()) {
            row.note = in.reference.empty() ? "no samples on the reference side"
                                            : "no samples on the candidate side";
        } else if (!all_positive(in.reference) || !all_positive(in.candidate)) {
            row.note = "a value is zero, negative or not finite: no ratio";
        } else {
            if (settings.paired) {
                if (in.reference.size() == in.candidate.size()) {
                    row.method = Method::paired;
                } else {
                    row.note = fmt::format("{} and {} samples do not pair: compared unpaired",
                                           in.reference.size(), in.candidate.size());
                }
            }
            estimate(row, in, settings);
            if (row.ratio && row.note.empty() && (row.ci_low == 0 || std::isinf(row.ci_high)))
                row.note = fmt::format("{} and {} samples: too few for a {:g}% interval",
                                       in.reference.size(), in.candidate.size(),
                                       100 * settings.confidence);
        }
        if (row.p_value) {
            p_values.push_back(*row.p_value);
            tested.push_back(out.rows.size());
        }
        out.rows.push_back(std::move(row));
    }
    auto q = stats::benjamini_hochberg(p_values);
    if (!q) return tl::unexpected<core::Error>(q.error());
    for (std::size_t i = 0; i < tested.size(); ++i) {
        Row& row = out.rows[tested[i]];
        row.q_value = (*q)[i];
        if (*row.q_value > settings.alpha || *row.ratio == 1.0) {
            row.verdict = Verdict::no_difference;
        } else {
            row.verdict = core::is_worse(row.series.direction, *row.ratio - 1.0) ? Verdict::worse
                                                                                 : Verdict::better;
        }
    }
    return out;
}

}  // namespace perftrack::reports::compare
