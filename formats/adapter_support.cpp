#include "formats/adapter_support.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "core/units.hpp"

namespace perftrack::formats {

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

std::size_t valid_utf8_prefix(std::string_view text) {
    std::size_t i = 0;
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    while (i < text.size()) {
        const unsigned char c = byte(i);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0) low = 0xA0;   // overlong
            if (c == 0xED) high = 0x9F;  // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0) low = 0x90;   // overlong
            if (c == 0xF4) high = 0x8F;  // above U+10FFFF
        } else {
            return i;
        }
        if (i + length > text.size()) return i;
        if (byte(i + 1) < low || byte(i + 1) > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
        i += length;
    }
    return i;
}

core::Result<void> require_utf8(std::string_view text, std::string_view source) {
    const std::size_t bad = valid_utf8_prefix(text);
    if (bad == text.size()) return {};
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < bad; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return core::fail(core::ErrorKind::input,
                      fmt::format("{}: line {}, column {}: byte 0x{:02X} is not UTF-8 text; save "
                                  "the tool's output as UTF-8 (e.g. iconv -t UTF-8)",
                                  source, line, column, static_cast<unsigned char>(text[bad])));
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

SeriesCollector::SeriesCollector(std::size_t input_bytes, std::string zero_time_hint)
    : m_zero_time_hint(std::move(zero_time_hint)),
      m_budget_bytes(input_bytes * k_max_identity_bytes_per_input_byte +
                     k_identity_allowance_bytes) {}

const std::string& SeriesCollector::params_text(const core::Params& params) {
    if (!m_have_last_params || params != m_last_params) {
        m_last_params = params;
        m_have_last_params = true;
        // dump() throws on text that is not UTF-8, and the store could not hold it either.
        bool valid = true;
        for (const auto& [key, value] : params.items())
            valid = valid && is_valid_utf8(key) &&
                    (!value.is_string() || is_valid_utf8(value.get_ref<const std::string&>()));
        if (!valid && m_problem.empty()) m_problem = "a param is not UTF-8 text";
        m_last_params_text = valid ? params.dump() : std::string();
    }
    return m_last_params_text;
}

namespace {
std::string shortened(std::string_view text) {
    constexpr std::size_t k_shown = 60;
    if (text.size() <= k_shown) return std::string(text);
    return std::string(text.substr(0, k_shown)) + "...";
}
}  // namespace

bool SeriesCollector::admit(const std::string& benchmark, const std::string& params,
                            const std::string& metric, std::size_t extra_bytes) {
    if (!m_problem.empty()) return false;
    if (benchmark.empty()) {
        m_problem = "a benchmark without a name";
    } else if (!is_valid_utf8(benchmark) || !is_valid_utf8(metric)) {
        m_problem = "a benchmark or metric name is not UTF-8 text";
    } else if (benchmark.size() > k_max_benchmark_name_bytes) {
        m_problem = fmt::format(
            "a benchmark name of {} bytes is longer than the limit of {}: "
            "\"{}\"",
            benchmark.size(), k_max_benchmark_name_bytes, shortened(benchmark));
    } else if (params.size() > k_max_params_bytes) {
        m_problem = fmt::format(
            "the params of benchmark \"{}\" take {} bytes as JSON, more than "
            "the limit of {}: {}",
            shortened(benchmark), params.size(), k_max_params_bytes, shortened(params));
    } else if (metric.size() > k_max_metric_name_bytes) {
        m_problem = fmt::format("a metric name of {} bytes is longer than the limit of {}: \"{}\"",
                                metric.size(), k_max_metric_name_bytes, shortened(metric));
    } else {
        m_used_bytes += benchmark.size() + params.size() + metric.size() + extra_bytes;
        if (m_used_bytes > m_budget_bytes)
            m_problem = fmt::format(
                "the benchmark names and params would take more than {} bytes, {} times the "
                "input: refusing it as pathological",
                m_budget_bytes, k_max_identity_bytes_per_input_byte);
    }
    return m_problem.empty();
}

std::size_t SeriesCollector::series(const std::string& suite, const std::string& benchmark,
                                    const core::Params& params, const std::string& metric,
                                    const std::string& unit, core::Direction direction) {
    if (!m_problem.empty()) return std::string::npos;
    const std::string& ptext = params_text(params);
    if (!m_problem.empty()) return std::string::npos;
    // SeriesId::key() from the params text already at hand (no SeriesId per sample).
    std::string key = core::series_key(suite, benchmark, ptext, metric, unit);
    if (auto it = m_index.find(key); it != m_index.end()) return it->second;
    if (!is_valid_utf8(suite) || !is_valid_utf8(unit)) {
        m_problem = "a suite or unit name is not UTF-8 text";
        return std::string::npos;
    }
    if (metric.empty()) {
        m_problem = "a metric without a name (benchmark \"" + benchmark.substr(0, 60) + "\")";
        return std::string::npos;
    }
    if (!admit(benchmark, ptext, metric, suite.size() + unit.size())) return std::string::npos;
    core::Measurement m;
    m.series = {suite, benchmark, params, metric, unit, direction};
    m_index.emplace(std::move(key), m_measurements.size());
    m_measurements.push_back(std::move(m));
    return m_measurements.size() - 1;
}

void SeriesCollector::add(const std::string& suite, const std::string& benchmark,
                          const core::Params& params, const std::string& metric,
                          const std::string& unit, core::Direction direction, double value) {
    const std::size_t at = series(suite, benchmark, params, metric, unit, direction);
    if (at != std::string::npos) m_measurements[at].samples.push_back(value);
}

void SeriesCollector::add_time_ns(const std::string& suite, const std::string& benchmark,
                                  const core::Params& params, const std::string& metric,
                                  core::Direction direction, double value_ns) {
    // The series exists even when all its values are dropped (finish() leaves it out), so the
    // warning can name it.
    const std::size_t at = series(suite, benchmark, params, metric, "ns", direction);
    if (at == std::string::npos) return;
    if (m_time_counts.size() <= at) m_time_counts.resize(at + 1);
    ++m_time_counts[at].seen;
    if (value_ns > 0) {
        m_measurements[at].samples.push_back(value_ns);
    } else {
        ++m_time_counts[at].dropped;
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

void SeriesCollector::add_failure(core::BenchmarkFailure failure) {
    const std::string& ptext = params_text(failure.params);
    if (!is_valid_utf8(failure.message) || !is_valid_utf8(failure.suite)) {
        if (m_problem.empty()) m_problem = "a failure message is not UTF-8 text";
        return;
    }
    if (!admit(failure.benchmark, ptext, "", failure.message.size() + failure.suite.size())) return;
    m_failures.push_back(std::move(failure));
}

core::Result<void> SeriesCollector::finish(core::RunResults& run, std::string_view source) {
    if (!m_problem.empty())
        return core::fail(core::ErrorKind::input, fmt::format("{}: {}", source, m_problem));
    // Warnings first, while the series are still here to name them.
    for (std::size_t i = 0; i < m_time_counts.size(); ++i) {
        const TimeCounts& c = m_time_counts[i];
        if (c.dropped == 0) continue;
        const core::Measurement& m = m_measurements[i];
        run.warnings.push_back(fmt::format(
            "{}{} {}: {} of {} time values were 0 or negative and were left out (a time must be "
            "positive; {})",
            m.series.benchmark, m.series.params.empty() ? "" : " " + m.series.params.dump(),
            m.series.metric, c.dropped, c.seen, m_zero_time_hint));
    }
    // A series whose every time was dropped has no samples: it is not stored.
    for (auto& m : m_measurements)
        if (!m.samples.empty()) run.measurements.push_back(std::move(m));
    for (auto& f : m_failures) run.failures.push_back(std::move(f));
    m_measurements.clear();
    m_failures.clear();
    m_index.clear();
    m_time_counts.clear();
    return {};
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

}  // namespace perftrack::formats
