#pragma once
// Builds the report's variant tables (variants_model.hpp) from the measurements of one commit
// and the failures of its runs. Pure: the caller reads the store.
//
// Per metric, the cells are exactly what `perftrack compare --commit C --by REF_PARAM --ref
// REF_VALUE --metric METRIC` prints for those series: the same grouping (rows_by_param), the
// same statistics and the same Benjamini-Hochberg family (compare_rows over the table's rows).

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "reports/compare/compare.hpp"
#include "reports/render/variants_model.hpp"
#include "store/store.hpp"

namespace perftrack::reports::render {

struct VariantsRequest {
    std::vector<std::string> by = {"framework", "mode"};  // the params that form the columns
    std::string reference_param = "mode";                 // must be one of `by`
    std::string reference_value = "eager";
    std::vector<std::string> metrics;  // only these, in this order; empty: every metric
    compare::CompareSettings settings;
};

// Checks a request (kind usage): `by` non-empty without repeats, the reference param one of
// them, a non-empty reference value.
core::Result<void> check_variants_request(const VariantsRequest& request);

// "mode=eager" -> {"mode", "eager"}; error (kind usage) without "=" or with an empty side.
core::Result<std::pair<std::string, std::string>> parse_variants_reference(std::string_view text);

// "framework,mode" -> {"framework", "mode"}; error (kind usage) for an empty name.
core::Result<std::vector<std::string>> parse_variants_by(std::string_view text);

// The tables of the measurements at `commit` (already joined across its runs, as
// compare::measurements_at_commit gives them) and that commit's failures. Series without every
// param of `by` are left out; a metric whose series lack the reference value gets a table
// without ratios. `enabled` is false when no series has every param of `by`. Errors (kind
// input) only from a request check_variants_request refuses.
core::Result<VariantsSection> build_variants(const std::vector<core::Measurement>& measurements,
                                             const std::vector<store::StoredFailure>& failures,
                                             const VariantsRequest& request,
                                             const std::string& commit, std::size_t runs);

// "variants-" + `metric` with every byte outside [A-Za-z0-9_-] as ".XX" (hex): a valid,
// unique id and URL fragment for any metric name.
std::string variants_anchor(std::string_view metric);

}  // namespace perftrack::reports::render
