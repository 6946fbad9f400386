#pragma once
// Helpers for the adapter tests (header-only: the test CMake globs *_test.cpp): read a fixture,
// parse it with a named format, find a series.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/model.hpp"
#include "formats/adapter.hpp"

namespace perftrack::formats::test {

// The whole file as bytes; fails the calling test and returns "" when unreadable.
inline std::string read_fixture(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ADD_FAILURE() << "cannot read fixture " << path;
        return {};
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// parse_results(format, text of `path`, source = path, options).
inline core::Result<core::RunResults> parse_file(std::string_view format,
                                                 const std::filesystem::path& path,
                                                 const AdapterOptions& options = {}) {
    const std::string text = read_fixture(path);
    return parse_results(format, text, path.string(), options);
}

// The series with this benchmark, params (compact JSON such as {"n":5}) and metric (and unit
// when non-empty, suite when given), or nullptr.
inline const core::Measurement* find_series(const core::RunResults& run, std::string_view benchmark,
                                            std::string_view params_json, std::string_view metric,
                                            std::string_view unit = {},
                                            const char* suite = nullptr) {
    for (const auto& m : run.measurements)
        if (m.series.benchmark == benchmark && m.series.params.dump() == params_json &&
            m.series.metric == metric && (unit.empty() || m.series.unit == unit) &&
            (suite == nullptr || m.series.suite == suite))
            return &m;
    return nullptr;
}

// One line per series and failure, for failure messages.
inline std::string describe(const core::RunResults& run) {
    std::string out;
    for (const auto& m : run.measurements)
        out += m.series.suite + "|" + m.series.benchmark + " " + m.series.params.dump() + " " +
               m.series.metric + " [" + m.series.unit + "] n=" + std::to_string(m.samples.size()) +
               "\n";
    for (const auto& f : run.failures) out += "FAILED " + f.benchmark + ": " + f.message + "\n";
    return out;
}

}  // namespace perftrack::formats::test
