#pragma once
// Which measurements `perftrack compare` sets side by side: the same series in two groups (two
// files, two runs), or variants inside one group that differ only in one param (`--by mode
// --ref eager`). Pure functions over the result model.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "reports/compare/compare.hpp"
#include "store/store.hpp"

namespace perftrack::reports::compare {

struct Grouping {
    std::vector<RowInput> rows;      // sorted by series, then candidate label
    std::size_t only_reference = 0;  // series without a partner on the candidate side
    std::size_t only_candidate = 0;  // ... on the reference side
};

// One row per series present in both groups (suite, benchmark, params, metric and unit equal).
// A series that appears more than once in a group has its samples joined.
Grouping rows_by_series(const std::vector<core::Measurement>& reference,
                        const std::vector<core::Measurement>& candidate);

// The text of a param value as rows label it: strings as they are, numbers as JSON ("32").
std::string param_value_text(const nlohmann::json& value);

// Variants: every series whose `param` is `reference_value` is a reference; every series equal
// to it except for another value of `param` is a candidate of that reference, labelled
// "param=value". Row series are the identity without `param`. Series without the param are
// ignored. Error (kind input) when no series has param = reference_value (the message lists
// the values seen).
core::Result<Grouping> rows_by_param(const std::vector<core::Measurement>& measurements,
                                     std::string_view param, std::string_view reference_value);

// The measurements of every run in `history` at `commit` (a stored commit name exactly, else a
// unique prefix of at least 4 characters), each series' samples joined across those runs. Errors
// (kind input): no run at that commit (the message names `where`, e.g. "project p, testbed t,
// branch main"), or a prefix that matches two commits.
struct CommitMeasurements {
    std::string commit;  // the full sha the prefix matched
    std::vector<core::Measurement> measurements;
};
core::Result<CommitMeasurements> measurements_at_commit(const store::History& history,
                                                        std::string_view commit,
                                                        std::string_view where);

}  // namespace perftrack::reports::compare
