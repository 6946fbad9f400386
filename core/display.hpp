#pragma once
// Numbers, units, changes, probabilities, commits and series names as people read them: the
// one place that decides how perftrack shows them, in the check's text and Markdown, the HTML
// report, the alerts list and the chat and GitHub messages alike. Each thing has one rule:
//
//   missing number   NaN (or an absent value) is "n/a", everywhere
//   number           3 significant digits, fixed notation, never an exponent: 1.23, 12.3, 123,
//                    12346 (digits before the point are kept), 0.00123; "0" for zero (also
//                    for a negative value that rounds to zero); "inf" / "-inf"
//   value + unit     scaled by its own size within its unit's family: time ns, µs, ms, s (the
//                    spelled-out "seconds" too: 4.739e-05 seconds is "47.4 µs"); bytes B, KiB,
//                    MiB, GiB, TiB (binary, as memory tools mean them); byte rates B/s ... GiB/s;
//                    other rates and counts SI prefixes k, M, G, T, P, E from 10^4 on
//                    ("4.56 M items/s"); ratios ("%", "x") keep their unit
//   change           a fraction shown as a signed percentage: "+12.3%", "-4.0%", "0.0%"; one
//                    decimal, none from 100 % up ("+250%"), two significant digits below
//                    0.05 % ("+0.012%": one byte in a megabyte still shows); "+inf%" / "-inf%"
//   interval         "[+10.1%, +14.9%]"; "n/a" when either end is missing
//   probability      p- and q-values: 3 decimals from 0.01 ("0.034"), 4 below ("0.0012"),
//                    "<0.0001" under that (also for 0)
//   commit           the first 12 characters (unambiguous in large repositories)
//   series           "suite/benchmark {key=value, ...}" (suite and params when there are any)
//
// Output is locale-independent (fmt never reads the locale unless asked), so reports are
// byte-identical on every machine. Escaping for a medium (HTML, Slack) belongs to its renderer;
// Markdown's is here because the check and the GitHub comment share it.

#include <optional>
#include <string>
#include <string_view>

#include "core/series_id.hpp"

namespace perftrack::core {

// What a missing number prints as.
inline constexpr std::string_view k_missing = "n/a";

// How to show values of one unit: shown = value / divisor, followed by `unit`.
struct DisplayScale {
    double divisor = 1.0;
    std::string unit;
};

// The scale for values of `unit` whose typical size is `magnitude` (for a chart axis: its
// largest absolute value). Zero and non-finite magnitudes, and units of no known family
// below 10^4, keep the unit as given.
DisplayScale display_scale(std::string_view unit, double magnitude);

// One scale for two values to be read side by side (a baseline and a candidate): the scale of
// `first`, or of `second` when `first` is not finite.
DisplayScale shared_scale(std::string_view unit, double first, double second);

// `value` with `significant` significant digits (at least 1); see the rule above.
std::string format_number(double value, int significant = 3);

// `value` shown in `scale`: "1.23 ms", "12.5%", "42.0"; "n/a" for NaN.
std::string format_scaled(double value, const DisplayScale& scale, int significant = 3);

// `value` of `unit`, scaled by its own magnitude: format_value(1234567, "ns") == "1.23 ms".
std::string format_value(double value, std::string_view unit, int significant = 3);

// A relative change given as a fraction (0.123 -> "+12.3%").
std::string format_change(double fraction);
std::string format_change(std::optional<double> fraction);
// The same for a change already in percent (12.3 -> "+12.3%"), as alerts keep them.
std::string format_change_percent(std::optional<double> percent);

// A change's confidence interval, ends as fractions: "[+10.1%, +14.9%]".
std::string format_interval(double low, double high);

// A p- or q-value.
std::string format_probability(double p);
std::string format_probability(std::optional<double> p);

// The first 12 characters of a commit name (shorter names unchanged).
std::string short_sha(std::string_view sha);

// "batch_size=32, framework=pytorch" (keys sorted, strings unquoted); "" for no params.
std::string params_text(const Params& params);

// "suite/BM_Sort {n=1024}", "train_step/mlp" (no suite, no params).
std::string series_name(const SeriesId& series);

// The columns `text` (UTF-8) takes in a text table: its code points ("µs" is 2), so columns
// that hold units stay aligned.
std::size_t text_width(std::string_view text);

// Text for Markdown (GitHub comments): HTML-escaped (<, >, &, ") and Markdown's punctuation
// (\ ` * _ [ ] | # ~) backslash-escaped, line breaks flattened to spaces, so untrusted text (a
// benchmark name) cannot inject markup, links, code spans or table cells.
std::string markdown_text(std::string_view text);

}  // namespace perftrack::core
