#pragma once
// Number and text formatting shared by the text and Markdown renderers: fixed precision,
// locale-independent (fmt never reads the locale unless asked), and escaping of untrusted text.

#include <string>
#include <string_view>

#include "store/store.hpp"

namespace perftrack::reports::output {

// "BM_Sort/1024" or "train_step {batch_size=32, framework=pytorch}" (suite prefixed when set).
std::string display_name(const store::SeriesInfo& series);

// A metric value with its unit, 4 significant digits: "1.204 ms", "12.50 Mitems/s" is not
// attempted (units are the user's); NaN gives "-".
std::string format_value(double value, std::string_view unit);

// A relative change as a signed percentage with one decimal: "+12.3%", "-0.4%"; NaN gives "-".
std::string format_percent(double change);

// "[+10.1%, +14.9%]"; "-" when either end is NaN.
std::string format_interval(double low, double high);

// A probability: "0.0003", "1.2e-07", "1"; NaN gives "-".
std::string format_probability(double p);

// The first 12 characters of a commit.
std::string short_commit(std::string_view sha);

// Text for Markdown (GitHub comments): HTML-escaped (<, >, &, ") and Markdown's punctuation
// (\ ` * _ [ ] | # ~) backslash-escaped, newlines flattened, so a benchmark name cannot inject
// markup, links or table cells.
std::string markdown_text(std::string_view text);

}  // namespace perftrack::reports::output
