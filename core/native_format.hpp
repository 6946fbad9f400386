#pragma once
// perftrack's native result format (README, "Native format"), version 1:
//
//   {"version": 1,
//    "context": {"project": "p", "branch": "main", "commit": "abc123", "testbed": "ci-x86",
//                "commit_time": "2024-05-01T12:00:00Z", "run_id": "..."},       (optional)
//    "results": [{"suite": "s", "benchmark": "train_step/mlp", "params": {"batch_size": 32},
//                 "metric": "step_time", "unit": "ms", "direction": "lower",
//                 "samples": [12.1, 12.3, 12.0]}],
//    "failures": [{"benchmark": "b", "params": {}, "message": "..."}]}          (optional)
//
// The parser is strict: unknown keys, wrong types, NaN/Infinity, non-positive times, unknown
// directions, duplicate series and an empty result list are errors that name the file, the
// JSON path (results[3].samples[1]) and the problem.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/model.hpp"

namespace perftrack::core {

inline constexpr int k_native_format_version = 1;

// `source` names the input in messages (usually the file path).
Result<RunResults> parse_native(std::string_view text, std::string_view source);

// Serialises a run, context included, so that parse_native gives it back unchanged (used for
// the offline spool). Doubles are written with round-trip precision.
std::string to_native_json(const RunResults& run);

}  // namespace perftrack::core
