#pragma once
// What one series is: a benchmark (suite, name, params) measured by one metric in one unit, and
// which way is better. Every layer carries this one value by composition — a measurement, a
// stored series, a verdict, an alert, a row of a report — instead of copying its fields.
//
// Naming: a struct that is itself a series (store::SeriesHistory, reports::render::SeriesReport)
// holds it as `id`; a struct about a series (core::Measurement, a verdict, an alert) as
// `series`.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace perftrack::core {

// Which way is better. Stored as text ("lower"/"higher"), so the enum values never reach disk.
enum class Direction { lower, higher };

std::string_view to_string(Direction d);
std::optional<Direction> parse_direction(std::string_view text);

// True when `change` (+ means the value grew; a difference, a fraction or a percentage) makes a
// metric of direction `d` worse: growth of a lower-is-better metric, a drop of a
// higher-is-better one. Zero and NaN are never worse.
bool is_worse(Direction d, double change);

// Benchmark parameters: a JSON object whose values are strings or numbers, for example
// {"framework":"pytorch","mode":"compile","batch_size":32}. nlohmann's object keeps its keys
// sorted, so dump() is canonical and two equal Params always serialise identically.
using Params = nlohmann::json;

struct SeriesId {
    std::string suite;      // "" when the tool has no notion of suites
    std::string benchmark;  // e.g. "BM_Sort/1024" or "train_step/mlp"
    Params params = Params::object();
    std::string metric;  // e.g. "real_time", "throughput", "peak_memory"
    std::string unit;    // e.g. "ns", "items/s", "B"
    // Which way is better. It belongs to the metric (the store keeps one direction per metric
    // name and unit), so it is not part of the identity: ==, <=> and key() leave it out.
    Direction direction = Direction::lower;

    // The identity as one string: suite, benchmark, params (canonical JSON), metric and unit
    // joined by U+001F (which no name contains). Equal keys exactly for equal ids.
    std::string key() const;
};

// The identity fields, in this order: suite, benchmark, params (by canonical text), metric,
// unit — the order histories and reports list series in.
bool operator==(const SeriesId& a, const SeriesId& b);
std::strong_ordering operator<=>(const SeriesId& a, const SeriesId& b);

// SeriesId::key() from the parts, for callers that already hold the params' canonical text
// (parsers that see the same params for many samples).
std::string series_key(std::string_view suite, std::string_view benchmark,
                       std::string_view params_text, std::string_view metric,
                       std::string_view unit);

}  // namespace perftrack::core
