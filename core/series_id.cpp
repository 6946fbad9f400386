#include "core/series_id.hpp"

namespace perftrack::core {

std::string_view to_string(Direction d) {
    return d == Direction::higher ? "higher" : "lower";
}

std::optional<Direction> parse_direction(std::string_view text) {
    if (text == "lower" || text == "lower_is_better" || text == "smaller") return Direction::lower;
    if (text == "higher" || text == "higher_is_better" || text == "bigger")
        return Direction::higher;
    return std::nullopt;
}

bool is_worse(Direction d, double change) {
    return d == Direction::lower ? change > 0 : change < 0;
}

std::string series_key(std::string_view suite, std::string_view benchmark,
                       std::string_view params_text, std::string_view metric,
                       std::string_view unit) {
    constexpr char k_separator = '\x1f';
    std::string key;
    key.reserve(suite.size() + benchmark.size() + params_text.size() + metric.size() + unit.size() +
                4);
    key.append(suite).append(1, k_separator).append(benchmark).append(1, k_separator);
    key.append(params_text).append(1, k_separator).append(metric).append(1, k_separator);
    key.append(unit);
    return key;
}

std::string SeriesId::key() const {
    return series_key(suite, benchmark, params.dump(), metric, unit);
}

bool operator==(const SeriesId& a, const SeriesId& b) {
    // Params by canonical text: nlohmann's == calls 32 and 32.0 equal, but they are two series.
    return a.suite == b.suite && a.benchmark == b.benchmark && a.metric == b.metric &&
           a.unit == b.unit && a.params.dump() == b.params.dump();
}

std::strong_ordering operator<=>(const SeriesId& a, const SeriesId& b) {
    if (auto c = a.suite <=> b.suite; c != 0) return c;
    if (auto c = a.benchmark <=> b.benchmark; c != 0) return c;
    if (auto c = a.params.dump() <=> b.params.dump(); c != 0) return c;
    if (auto c = a.metric <=> b.metric; c != 0) return c;
    return a.unit <=> b.unit;
}

}  // namespace perftrack::core
