#pragma once
// The report's variant tables: execution variants (e.g. framework x mode) of the same workload
// side by side at one commit, each against a reference variant (mode=eager) with the ratio, its
// interval and a q-value, as `perftrack compare --commit C --by mode --ref eager --metric M`
// computes them (reports/compare/). Built by variants_builder.hpp, rendered by
// variants_html.hpp and variants_json.hpp.
//
// Units: medians are in the series' own unit (time usually ns); ratios are candidate /
// reference (1.25: 25 % larger, whatever the direction; the verdict says whether that is good).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "reports/compare/compare.hpp"

namespace perftrack::reports::render {

enum class VariantCellKind {
    missing,       // the variant was not measured for this row
    reference,     // the reference variant (REF): the others' ratios are to it
    compared,      // measured, with a ratio to the row's reference
    unreferenced,  // measured, but the row has no reference variant (JAX has no eager mode)
    failed,        // the variant ran and failed (no value), with the reason
};

struct VariantCell {
    VariantCellKind kind = VariantCellKind::missing;
    std::optional<double> median;  // of every sample of every run at the commit
    std::size_t n = 0;             // those samples
    // kind == compared: the row of the comparison; verdict `insufficient` when no ratio.
    std::optional<double> ratio;
    double ci_low = 0;  // of the ratio; 0 or inf when the samples are too few for an interval
    double ci_high = 0;
    std::optional<double> p_value;
    std::optional<double> q_value;  // Benjamini-Hochberg across the table
    compare::Verdict verdict = compare::Verdict::insufficient;
    std::string verdict_words;        // "faster", "slower", "better", "worse", "no significant ..."
    bool interval_unbounded = false;  // too few samples for an interval at the confidence
    bool best = false;                // the best median of its row (by the metric's direction)
    std::string note;                 // compare's note, or why there is no ratio
    std::string failure;  // kind == failed: the reason; else a failure in another run, if any
};

// One column: a combination of the compared params' values, e.g. {"pytorch", "eager"}.
struct VariantColumn {
    std::vector<std::string> values;  // parallel to VariantsSection::by
    bool reference = false;           // its value of the reference param is the reference
};

// One workload: the series identity without the compared params and the metric.
struct VariantRow {
    std::string suite;
    std::string benchmark;
    core::Params params = core::Params::object();  // without the compared params
    std::vector<VariantCell> cells;                // parallel to VariantTable::columns
};

struct VariantCounts {
    std::size_t better = 0;  // significantly faster (or better)
    std::size_t worse = 0;
    std::size_t no_difference = 0;
    std::size_t insufficient = 0;  // compared cells without a test
};

// One metric (name and unit): every series of it that has all compared params.
struct VariantTable {
    std::string metric;
    std::string unit;
    core::Direction direction = core::Direction::lower;
    bool speed = true;   // verdicts read faster/slower (times, rates), else better/worse
    std::string anchor;  // "variants-" + the metric, made safe for an id and a URL fragment
    std::vector<VariantColumn> columns;
    std::vector<VariantRow> rows;  // by suite, benchmark, params
    VariantCounts counts;
};

struct VariantsSection {
    bool enabled = false;         // false: not asked for, or nothing to show (no section)
    std::vector<std::string> by;  // the compared params, e.g. {"framework", "mode"}
    std::string reference_param;  // one of `by`, e.g. "mode"
    std::string reference_value;  // e.g. "eager"
    std::string commit;           // the full sha whose runs the tables show
    std::size_t runs = 0;         // runs stored at that commit
    compare::CompareSettings settings;
    std::vector<VariantTable> tables;  // in the requested metric order, else by metric name
    std::vector<std::string> notes;    // e.g. metrics asked for that no series has
};

}  // namespace perftrack::reports::render
