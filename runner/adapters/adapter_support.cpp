#include "runner/adapters/adapter_support.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "core/units.hpp"

namespace perftrack::runner::adapters {

char first_significant_char(std::string_view text) {
    for (char c : text)
        if (!is_space(c) && c != '\n') return c;
    return '\0';
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (is_space(text.front()) || text.front() == '\n')) text.remove_prefix(1);
    while (!text.empty() && (is_space(text.back()) || text.back() == '\n')) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (is_space(text[i]) || text[i] == '\n')) ++i;
        const std::size_t start = i;
        while (i < text.size() && !is_space(text[i]) && text[i] != '\n') ++i;
        if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
}

std::optional<double> parse_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    // from_chars accepts "inf", "nan" and hex-free decimal forms; refuse the words up front so
    // only digits, sign, point and exponent reach it.
    for (char c : text)
        if (!((c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+'))
            return std::nullopt;
    if (text.front() == '+') return std::nullopt;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<double> parse_number_with_commas(std::string_view text) {
    if (text.find(',') == std::string_view::npos) return parse_number(text);
    // Commas must group digits: "1,234" yes, ",12" or "1,,2" no.
    std::string plain;
    plain.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ',') {
            const bool digit_before = i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9';
            const bool digit_after =
                i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9';
            if (!digit_before || !digit_after) return std::nullopt;
            continue;
        }
        plain += text[i];
    }
    return parse_number(plain);
}

namespace {

// The JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view t, bool& is_integer) {
    std::size_t i = 0;
    is_integer = true;
    if (i < t.size() && t[i] == '-') ++i;
    if (i >= t.size()) return false;
    if (t[i] == '0') {
        ++i;
    } else if (t[i] >= '1' && t[i] <= '9') {
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    } else {
        return false;
    }
    if (i < t.size() && t[i] == '.') {
        is_integer = false;
        ++i;
        const std::size_t digits = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == digits) return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        is_integer = false;
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        const std::size_t digits = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == digits) return false;
    }
    return i == t.size();
}

bool is_identifier(std::string_view t) {
    if (t.empty()) return false;
    auto alpha = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (!alpha(t.front())) return false;
    for (char c : t)
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

}  // namespace

nlohmann::json param_value(std::string_view text) {
    bool is_integer = false;
    if (!is_json_number(text, is_integer)) return std::string(text);
    if (is_integer) {
        std::int64_t v = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc() && ptr == text.data() + text.size()) return v;
        return std::string(text);  // too large to be exact: keep the digits
    }
    if (auto d = parse_number(text)) return *d;
    return std::string(text);
}

nlohmann::json param_value(const nlohmann::json& value) {
    if (value.is_string()) return value;
    if (value.is_number()) {
        if (value.is_number_float() && !std::isfinite(value.get<double>())) return value.dump();
        return value;
    }
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    return value.dump();
}

NameAndParams split_named_segments(std::string_view name, char sep) {
    NameAndParams out;
    std::vector<std::string_view> segments;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c == '<') ++depth;
        if (c == '>' && depth > 0) --depth;
        if (c == '/' && depth == 0) {
            segments.push_back(name.substr(start, i - start));
            start = i + 1;
        }
    }
    segments.push_back(name.substr(start));
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string_view seg = segments[i];
        if (i > 0) {
            const auto at = seg.find(sep);
            if (at != std::string_view::npos && at + 1 < seg.size() && seg[at + 1] != sep) {
                const std::string key(seg.substr(0, at));
                if (is_identifier(key) && !out.params.contains(key)) {
                    out.params[key] = param_value(seg.substr(at + 1));
                    continue;
                }
            }
        }
        if (i > 0) out.benchmark += '/';
        out.benchmark += seg;
    }
    return out;
}

std::string snake_case(std::string_view text) {
    std::string out;
    bool pending_sep = false;
    for (char c : text) {
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
            if (pending_sep && !out.empty()) out += '_';
            pending_sep = false;
            out += lower;
        } else {
            pending_sep = true;
        }
    }
    return out;
}

core::Direction direction_for(std::string_view metric, core::Direction fallback,
                              const AdapterOptions& options) {
    if (auto it = options.directions.find(std::string(metric)); it != options.directions.end())
        return it->second;
    return fallback;
}

tl::unexpected<core::Error> line_error(std::string_view source, std::size_t line,
                                       std::string_view problem) {
    return core::fail(core::ErrorKind::input,
                      fmt::format("{}: line {}: {}", source, line, problem));
}

tl::unexpected<core::Error> type_error(std::string_view source, std::string_view path,
                                       std::string_view what, const nlohmann::json& got) {
    return core::input_error(source, path,
                             fmt::format("expected {}, got {}", what, core::json_type_phrase(got)));
}

core::Result<const nlohmann::json*> require_member(const nlohmann::json& object, const char* key,
                                                   std::string_view source, std::string_view path) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return core::input_error(source, path, fmt::format("missing required field \"{}\"", key));
    return &*it;
}

const nlohmann::json* find_member(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

MetricSpec canonical_unit(std::string name, std::string_view unit, core::Direction direction) {
    MetricSpec spec{std::move(name), std::string(unit), direction, 1};
    if (auto ns = core::ns_per_unit(unit)) {
        spec.unit = "ns";
        spec.factor = *ns;
    } else if (auto bytes = core::bytes_per_unit(unit)) {
        spec.unit = "B";
        spec.factor = *bytes;
    }
    return spec;
}

void apply_overrides(MetricSpec& spec, std::string_view raw_name, const AdapterOptions& options) {
    auto it = options.metrics.find(spec.name);
    if (it == options.metrics.end()) it = options.metrics.find(std::string(raw_name));
    if (it != options.metrics.end()) {
        if (it->second.unit) {
            const MetricSpec unit = canonical_unit(spec.name, *it->second.unit, spec.direction);
            spec.unit = unit.unit;
            spec.factor = unit.factor;
        }
        if (it->second.direction) spec.direction = *it->second.direction;
    }
    spec.direction = direction_for(spec.name, spec.direction, options);
}

core::Measurement& SeriesCollector::series(const std::string& suite, const std::string& benchmark,
                                           const core::Params& params, const std::string& metric,
                                           const std::string& unit, core::Direction direction) {
    core::Measurement probe;
    probe.suite = suite;
    probe.benchmark = benchmark;
    probe.params = params;
    probe.metric = metric;
    probe.unit = unit;
    const std::string key = core::series_key(probe);
    if (auto it = m_index.find(key); it != m_index.end()) return m_measurements[it->second];
    probe.direction = direction;
    m_index.emplace(key, m_measurements.size());
    m_measurements.push_back(std::move(probe));
    return m_measurements.back();
}

void SeriesCollector::add(const std::string& suite, const std::string& benchmark,
                          const core::Params& params, const std::string& metric,
                          const std::string& unit, core::Direction direction, double value) {
    series(suite, benchmark, params, metric, unit, direction).samples.push_back(value);
}

void SeriesCollector::add_time_ns(const std::string& suite, const std::string& benchmark,
                                  const core::Params& params, const std::string& metric,
                                  core::Direction direction, double value_ns) {
    std::string label = benchmark;
    if (!params.empty()) label += " " + params.dump();
    label += " " + metric;
    auto [it, inserted] = m_dropped_index.emplace(label, m_dropped.size());
    if (inserted) m_dropped.push_back({label, {0, 0}});
    auto& counts = m_dropped[it->second].second;
    ++counts.second;
    if (value_ns > 0) {
        add(suite, benchmark, params, metric, "ns", direction, value_ns);
    } else {
        ++counts.first;
    }
}

bool SeriesCollector::add_converted(const std::string& suite, const std::string& benchmark,
                                    const core::Params& params, const MetricSpec& spec,
                                    double raw) {
    const double value = raw * spec.factor;
    if (!std::isfinite(value)) return false;
    if (spec.is_time()) {
        add_time_ns(suite, benchmark, params, spec.name, spec.direction, value);
    } else {
        add(suite, benchmark, params, spec.name, spec.unit, spec.direction, value);
    }
    return true;
}

void SeriesCollector::finish(core::RunResults& run) {
    for (auto& m : m_measurements) run.measurements.push_back(std::move(m));
    m_measurements.clear();
    m_index.clear();
    for (const auto& [label, counts] : m_dropped) {
        if (counts.first == 0) continue;
        run.warnings.push_back(fmt::format(
            "{}: {} of {} time values were 0 or negative and were left out (a time must be "
            "positive; {})",
            label, counts.first, counts.second, m_zero_time_hint));
    }
    m_dropped.clear();
    m_dropped_index.clear();
}

core::Result<core::RunResults> require_results(core::RunResults run, std::string_view source,
                                               std::string_view expected) {
    if (!run.measurements.empty() || !run.failures.empty()) return run;
    std::string msg = fmt::format("{}: no benchmark results found ({})", source, expected);
    if (!run.warnings.empty()) msg += "; " + run.warnings.front();
    return core::fail(core::ErrorKind::input, std::move(msg));
}

std::optional<std::string_view> LineReader::next() {
    if (m_pos >= m_text.size()) return std::nullopt;
    const auto end = m_text.find('\n', m_pos);
    std::string_view line =
        end == std::string_view::npos ? m_text.substr(m_pos) : m_text.substr(m_pos, end - m_pos);
    m_pos = end == std::string_view::npos ? m_text.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++m_number;
    return line;
}

}  // namespace perftrack::runner::adapters
