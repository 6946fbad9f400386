#pragma once
// Building blocks shared by the adapters: number and name parsing, the series collector that
// keeps samples in first-seen order, direction overrides, line iteration for text formats and
// the error/warning wording, so every adapter says things the same way.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/model.hpp"
#include "formats/adapter.hpp"

namespace perftrack::formats {

// How much of the text sniff() functions look at: enough to get past a tool's preamble (test
// output before the benchmarks, a long context block), small enough to stay cheap on huge input.
inline constexpr std::size_t k_sniff_bytes = 64 * 1024;
inline std::string_view sniff_head(std::string_view text) {
    return text.substr(0, k_sniff_bytes);
}

// First non-whitespace character of `text`, or '\0' when there is none.
char first_significant_char(std::string_view text);

// Parses a whole token as a finite number (locale-independent; "1e3", "-0.5"; no leading '+',
// no "inf"/"nan"). nullopt for anything else, including out-of-range values.
std::optional<double> parse_number(std::string_view text);

// Like parse_number, but also accepts thousands separators ("13,967,756.30"), as libtest prints.
std::optional<double> parse_number_with_commas(std::string_view text);

// A param value taken from text: a JSON-number-shaped token ("64", "-3", "0.5") becomes a number
// (an integer when it is one and fits in 64 bits), anything else stays a string. "007" and "1."
// stay strings so no information is lost.
nlohmann::json param_value(std::string_view text);

inline nlohmann::json param_value(const std::string& text) {
    return param_value(std::string_view(text));
}

// Param values given as JSON by a tool: strings and numbers are kept, booleans become "true" /
// "false", anything else (null, arrays, objects) its compact JSON text.
nlohmann::json param_value(const nlohmann::json& value);

struct NameAndParams {
    std::string benchmark;
    core::Params params = core::Params::object();
};

// Splits a '/'-separated benchmark name into the name and its named parameters: a segment
// "key<sep>value" (key an identifier, value non-empty and not starting with sep, so "a::b" is
// no param) becomes a param, the other segments are
// joined back with '/'. The first segment always stays in the name, and '/' inside <...> does not
// split (template arguments). A key seen twice keeps its first value; the repeat stays in the
// name. Examples (sep ':'): "train_step/model:mlp/batch_size:32" -> "train_step"
// {model:"mlp", batch_size:32}; "BM_Template<4>/64/real_time/threads:2" ->
// "BM_Template<4>/64/real_time" {threads:2}; "BM_Sort/1024" -> "BM_Sort/1024" {}.
NameAndParams split_named_segments(std::string_view name, char sep);

// "Final Blocks" -> "final_blocks", "gc.alloc.rate" -> "gc_alloc_rate": lower case, every run of
// other characters than [a-z0-9] becomes one '_', none at either end. "" stays "".
std::string snake_case(std::string_view text);

// The direction of `metric`: --direction NAME=... when given for it, else `fallback`.
core::Direction direction_for(std::string_view metric, core::Direction fallback,
                              const AdapterOptions& options);

// Length in bytes of the valid UTF-8 prefix of `text` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); text.size() when all of it is valid.
std::size_t valid_utf8_prefix(std::string_view text);
inline bool is_valid_utf8(std::string_view text) {
    return valid_utf8_prefix(text) == text.size();
}

// Text formats: fails (kind input) naming the line and column of the first byte that is not
// UTF-8, since names must be stored as UTF-8 text.
core::Result<void> require_utf8(std::string_view text, std::string_view source);

// "<source>: line N: <problem>" as an input error (text formats).
tl::unexpected<core::Error> line_error(std::string_view source, std::size_t line,
                                       std::string_view problem);

// ---- JSON inputs

// "<source>: <path>: expected <what>, got <a string|a number|...>" as an input error.
tl::unexpected<core::Error> type_error(std::string_view source, std::string_view path,
                                       std::string_view what, const nlohmann::json& got);

// The member `key` of `object` (at `path`), or an input error "missing required field".
core::Result<const nlohmann::json*> require_member(const nlohmann::json& object, const char* key,
                                                   std::string_view source, std::string_view path);

// The member `key` when present and not null, else nullptr.
const nlohmann::json* find_member(const nlohmann::json& object, const char* key);

// What --metric NAME=UNIT:DIRECTION and the unit/direction rules make of one metric.
struct MetricSpec {
    std::string name;
    std::string unit;  // canonical: "ns" for times, "B" for byte sizes
    core::Direction direction = core::Direction::lower;
    double factor = 1;  // multiply raw values by this to get `unit`
    bool is_time() const { return unit == "ns"; }
};

// Canonicalises a unit: a time unit becomes "ns" and a byte unit "B" (with the factor to convert
// values); any other unit is kept as it is with factor 1.
MetricSpec canonical_unit(std::string name, std::string_view unit, core::Direction direction);

// Applies --metric (unit and/or direction) given for `name` or for `raw_name` (the field name as
// written in the input), then --direction for `name`, to `spec`.
void apply_overrides(MetricSpec& spec, std::string_view raw_name, const AdapterOptions& options);

// Limits on what one series' identity may take, so a pathological input cannot make perftrack
// store (or compare, per sample) megabytes of name. Real names are far shorter: the longest
// Google Benchmark template names seen are a few hundred bytes.
inline constexpr std::size_t k_max_benchmark_name_bytes = 1024;
inline constexpr std::size_t k_max_params_bytes = 2048;  // compact JSON
inline constexpr std::size_t k_max_metric_name_bytes = 256;
// Names and params may repeat (a test case's name before every benchmark in it, a configuration
// line before every Go result), so the output can be larger than the input; beyond this factor
// (plus a fixed allowance) the input is refused as pathological rather than exhausting memory.
inline constexpr std::size_t k_max_identity_bytes_per_input_byte = 4;
inline constexpr std::size_t k_identity_allowance_bytes = 1024 * 1024;

// Collects samples into series (suite, benchmark, params, metric, unit), creating each series
// on first use so the output keeps the input's order, and failures. Times must be positive: a
// time value <= 0 (a benchmark shorter than the timer's resolution, or a failed one) is left out
// and counted, and finish() reports the counts as warnings. Identities over the limits above
// are not stored; finish() then fails.
class SeriesCollector {
  public:
    // `input_bytes`: the size of the input, for the identity budget. `zero_time_hint` ends the
    // warning about dropped times: what the user can do about them.
    explicit SeriesCollector(std::size_t input_bytes,
                             std::string zero_time_hint = k_default_zero_time_hint);

    static constexpr const char* k_default_zero_time_hint =
        "the benchmark is probably shorter than the timer's resolution: make each iteration "
        "do more work";

    // Appends `value` to the series; creates it with `direction` on first use.
    void add(const std::string& suite, const std::string& benchmark, const core::Params& params,
             const std::string& metric, const std::string& unit, core::Direction direction,
             double value);

    // add() for a time already converted to nanoseconds (unit "ns"): values <= 0 are counted
    // for finish()'s warning instead of stored.
    void add_time_ns(const std::string& suite, const std::string& benchmark,
                     const core::Params& params, const std::string& metric,
                     core::Direction direction, double value_ns);

    // Converts `raw` with spec.factor and adds it (through add_time_ns when spec.unit is "ns").
    // Returns false, adding nothing, when the converted value is not finite (1e308 s in ns).
    [[nodiscard]] bool add_converted(const std::string& suite, const std::string& benchmark,
                                     const core::Params& params, const MetricSpec& spec,
                                     double raw);

    void add_failure(core::BenchmarkFailure failure);

    bool empty() const { return m_measurements.empty(); }
    std::size_t size() const { return m_measurements.size(); }
    // True once an identity went over the limits: finish() will fail, so adapters may stop.
    bool failed() const { return !m_problem.empty(); }

    // Moves the series and failures into `run` and adds one warning per series that lost time
    // values; fails (kind input, naming `source`) when an identity went over the limits.
    core::Result<void> finish(core::RunResults& run, std::string_view source);

  private:
    // The series' position in m_measurements, creating it; npos when over the limits.
    std::size_t series(const std::string& suite, const std::string& benchmark,
                       const core::Params& params, const std::string& metric,
                       const std::string& unit, core::Direction direction);
    const std::string& params_text(const core::Params& params);
    // False (and the first problem remembered) when this identity may not be stored.
    bool admit(const std::string& benchmark, const std::string& params_text,
               const std::string& metric, std::size_t extra_bytes);

    struct TimeCounts {
        std::size_t dropped = 0;
        std::size_t seen = 0;
    };

    std::string m_zero_time_hint;
    std::size_t m_budget_bytes;
    std::size_t m_used_bytes = 0;
    std::string m_problem;
    std::vector<core::Measurement> m_measurements;
    std::vector<core::BenchmarkFailure> m_failures;
    std::unordered_map<std::string, std::size_t> m_index;  // series key -> position
    std::vector<TimeCounts> m_time_counts;                 // by position in m_measurements
    // The last params seen and their JSON text: consecutive samples mostly share them.
    core::Params m_last_params;
    std::string m_last_params_text;
    bool m_have_last_params = false;
};

// Fails (kind input) when `run` holds neither measurements nor failures: "<source>: no benchmark
// results found (<what was expected>)", plus the first warning when there is one, since it usually
// says why (every value was zero, ...).
core::Result<core::RunResults> require_results(core::RunResults run, std::string_view source,
                                               std::string_view expected);

// Iterates over the lines of a text without copying it; strips "\n" and "\r\n".
class LineReader {
  public:
    explicit LineReader(std::string_view text) : m_text(text) {}
    // The next line, or nullopt at the end. number() is its 1-based line number.
    std::optional<std::string_view> next();
    std::size_t number() const { return m_number; }

  private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_number = 0;
};

// Whitespace handling for text formats (space, tab, CR, vertical tab, form feed).
bool is_space(char c);
std::string_view trim(std::string_view text);

// Splits on runs of whitespace.
std::vector<std::string_view> split_whitespace(std::string_view text);

}  // namespace perftrack::formats
