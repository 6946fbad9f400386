#pragma once
// What must hold for any input, checked by the fuzz targets and by the regression tests over
// the inputs fuzzing found (tests/fixtures/formats/<format>/fuzz-*): a parse either fails with
// an input error that names the file, or gives results the rest of perftrack can store and
// spool (every series has finite samples, times are positive, params are strings/numbers, no
// series twice) and that survive a round trip through the native format.

#include <cmath>
#include <set>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/native_format.hpp"

namespace perftrack::fuzz {

// Empty when `result` is acceptable for an input read from `source`, else what is wrong.
inline std::string check_result(const core::Result<core::RunResults>& result,
                                std::string_view source) {
    if (!result) {
        const core::Error& e = result.error();
        if (e.kind != core::ErrorKind::input)
            return "error of another kind than input: " + e.message;
        if (e.message.rfind(std::string(source) + ": ", 0) != 0)
            return "error message does not start with the file name: " + e.message;
        return {};
    }
    const core::RunResults& run = *result;
    if (run.measurements.empty() && run.failures.empty()) return "success without any result";
    std::set<std::string> keys;
    for (const auto& m : run.measurements) {
        if (m.series.benchmark.empty()) return "a series without a benchmark name";
        if (m.series.metric.empty()) return "a series without a metric name: " + m.series.benchmark;
        if (m.samples.empty())
            return "a series without samples: " + m.series.benchmark + " " + m.series.metric;
        if (const std::string p = core::params_problem(m.series.params); !p.empty())
            return "bad params of " + m.series.benchmark + ": " + p;
        if (!keys.insert(m.series.key()).second)
            return "series twice: " + m.series.benchmark + " " + m.series.metric;
        for (double v : m.samples) {
            if (!std::isfinite(v))
                return "a sample is not finite: " + m.series.benchmark + " " + m.series.metric;
            if (m.series.unit == "ns" && v <= 0)
                return "a time sample is not positive: " + m.series.benchmark + " " +
                       m.series.metric;
        }
    }
    for (const auto& f : run.failures) {
        if (f.benchmark.empty()) return "a failure without a benchmark name";
        if (const std::string p = core::params_problem(f.params); !p.empty())
            return "bad params of failure " + f.benchmark + ": " + p;
    }
    // What ingest spools when the database is away must read back (a time of 0 or a duplicate
    // series would be refused there).
    const std::string native = core::to_native_json(run);
    auto again = core::parse_native(native, "spool");
    if (!again) return "native round trip fails: " + again.error().message;
    if (core::to_native_json(*again) != native) return "native round trip changes the results";
    return {};
}

}  // namespace perftrack::fuzz
