#include "tests/support/three_benchmark_run.hpp"

#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace perftrack::testing {

std::string three_benchmark_run(int commit_index, double level) {
    nlohmann::json results = nlohmann::json::array();
    for (int b = 0; b < 3; ++b) {
        std::vector<double> samples;
        for (int i = 0; i < 8; ++i)
            samples.push_back((level + b * 10) * (1 + 0.003 * ((i * 7 + commit_index * 3) % 5)));
        results.push_back({{"suite", "s"},
                           {"benchmark", fmt::format("bench{}", b)},
                           {"params", {{"n", b}}},
                           {"metric", "real_time"},
                           {"unit", "ns"},
                           {"direction", "lower"},
                           {"samples", samples}});
    }
    const nlohmann::json doc = {
        {"version", 1},
        {"context", {{"commit_time", fmt::format("2026-01-01T00:{:02}:00Z", commit_index)}}},
        {"results", results}};
    return doc.dump();
}

}  // namespace perftrack::testing
