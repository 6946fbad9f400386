// Flat records such as {"framework":"PyTorch","model_name":"ResNet","batch_size":32,
// "avg_time_ms":41.2,"throughput":776,"peak_memory_mb":5120}. Strings (and integers that are
// not measurements) are params, numbers are metrics whose unit and direction follow from the
// field name, and records with the same params are repetitions of one series. Two shapes that
// used to store nothing carry more: a record without numbers but with an "error" message is a
// failure, and a "context" object describes the run (it goes to the testbed fingerprint).
#include "formats/records.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "core/units.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Unit suffixes of field names: "_ms" -> a time in ms. The suffix is dropped from the metric
// name ("avg_time_ms" -> "avg_time") because the value is converted to the canonical unit, so
// the same measurement keeps one name whatever unit a script happens to print it in.
struct Suffix {
    std::string_view suffix;
    std::string_view unit;  // as core/units.hpp knows it
};
constexpr Suffix k_time_suffixes[] = {
    {"_ns", "ns"},  {"_us", "us"},     {"_ms", "ms"},   {"_s", "s"},      {"_sec", "s"},
    {"_secs", "s"}, {"_seconds", "s"}, {"_min", "min"}, {"_mins", "min"}, {"_minutes", "min"},
};
constexpr Suffix k_byte_suffixes[] = {
    {"_bytes", "B"}, {"_kb", "KB"}, {"_kib", "KiB"}, {"_mb", "MB"},
    {"_mib", "MiB"}, {"_gb", "GB"}, {"_gib", "GiB"},
};

// Rates: higher is better. "<what>_per_second" is "<what>/s".
constexpr std::string_view k_rate_suffixes[] = {"_per_second", "_per_sec", "_per_s"};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// What the field name says about a metric, or nullopt when it says nothing (then a float is a
// unitless, lower-is-better metric and an integer a param).
std::optional<MetricSpec> infer_metric(const std::string& field) {
    const std::string l = lower(field);
    for (const auto& s : k_time_suffixes)
        if (ends_with(l, s.suffix)) {
            MetricSpec spec = canonical_unit(field.substr(0, field.size() - s.suffix.size()),
                                             s.unit, core::Direction::lower);
            return spec;
        }
    for (const auto& s : k_byte_suffixes)
        if (ends_with(l, s.suffix))
            return canonical_unit(field.substr(0, field.size() - s.suffix.size()), s.unit,
                                  core::Direction::lower);
    for (auto s : k_rate_suffixes)
        if (ends_with(l, s)) {
            const std::string what = field.substr(0, field.size() - s.size());
            const auto last = what.rfind('_');
            const std::string noun = last == std::string::npos ? what : what.substr(last + 1);
            return MetricSpec{field, noun + "/s", core::Direction::higher, 1};
        }
    if (l.find("throughput") != std::string::npos)
        return MetricSpec{field, "items/s", core::Direction::higher, 1};
    if (l == "qps" || ends_with(l, "_qps") || l.substr(0, 4) == "qps_")
        return MetricSpec{field, "queries/s", core::Direction::higher, 1};
    if (l.find("memory") != std::string::npos)
        return MetricSpec{field, "B", core::Direction::lower, 1};
    return std::nullopt;
}

struct Place {
    std::string_view source;
    bool json_lines = false;
    std::size_t index = 0;  // array index or line number

    std::string at(std::string_view field) const {
        if (json_lines) return fmt::format("line {}: {}", index, field);
        return core::json_path(core::json_path("", index), field);
    }
    std::string record() const {
        return json_lines ? fmt::format("line {}", index) : core::json_path("", index);
    }
};

class RecordReader {
  public:
    RecordReader(std::string_view source, std::size_t input_bytes, const AdapterOptions& options)
        : m_source(source), m_options(options), m_series(input_bytes) {
        m_explicit_params.insert(options.param_fields.begin(), options.param_fields.end());
        m_ignored_fields.insert(options.ignored_fields.begin(), options.ignored_fields.end());
        const std::string stem = std::filesystem::path(source).stem().string();
        m_default_name = stem.empty() || stem == "-" ? "records" : stem;
    }

    core::Result<void> add(const json& record, const Place& place) {
        if (!record.is_object())
            return type_error(m_source, place.record(), "a flat JSON object", record);
        // The benchmark's name: a "benchmark" or "name" field, else the file's name.
        std::string benchmark = m_default_name;
        std::string name_field;
        for (const char* key : {"benchmark", "name"}) {
            const json* v = find_member(record, key);
            if (v == nullptr || !v->is_string() || m_explicit_params.count(key) != 0) continue;
            if (v->get_ref<const std::string&>().empty())
                return core::input_error(m_source, place.at(key), "must not be empty");
            benchmark = v->get<std::string>();
            name_field = key;
            break;
        }
        core::Params params = core::Params::object();
        struct Metric {
            std::string field;
            MetricSpec spec;
            std::vector<double> values;
        };
        std::vector<Metric> metrics;
        std::set<std::string> ignored;
        bool has_context = false;
        for (const auto& [key, value] : record.items()) {
            if (key.empty()) return core::input_error(m_source, place.record(), "empty field name");
            if (key == name_field) continue;
            if (value.is_null() || m_ignored_fields.count(key) != 0) continue;
            if (key == k_context_field && value.is_object() && m_explicit_params.count(key) == 0) {
                if (auto ok = add_context(value, place); !ok) return ok;
                has_context = true;
                continue;
            }
            const bool is_param = m_explicit_params.empty() ? default_is_param(key, value)
                                                            : m_explicit_params.count(key) != 0;
            if (is_param) {
                if (value.is_object() || value.is_array())
                    return core::input_error(
                        m_source, place.at(key),
                        fmt::format("a param must be a string or a number, got {}",
                                    core::json_type_phrase(value)));
                params[key] = param_value(value);
                continue;
            }
            std::vector<double> values;
            if (value.is_number()) {
                values.push_back(value.get<double>());
            } else if (value.is_array() && !value.empty() &&
                       std::all_of(value.begin(), value.end(),
                                   [](const json& v) { return v.is_number(); })) {
                for (const auto& v : value) values.push_back(v.get<double>());
            } else {
                ignored.insert(key);
                continue;
            }
            metrics.push_back({key, metric_spec(key), std::move(values)});
        }
        if (metrics.empty()) {
            // A record that measured nothing but says why is a failed benchmark.
            const json* error = find_member(record, k_error_field);
            const bool failed = error != nullptr && error->is_string() &&
                                !error->get_ref<const std::string&>().empty() &&
                                m_ignored_fields.count(k_error_field) == 0;
            if (failed) {
                params.erase(k_error_field);
                ignored.erase(k_error_field);
                m_series.add_failure(
                    {m_options.suite, benchmark, std::move(params), error->get<std::string>()});
            } else if (!has_context) {
                ++m_without_metrics;
            }
        }
        m_ignored.insert(ignored.begin(), ignored.end());
        if (metrics.empty()) return {};
        for (const auto& m : metrics)
            for (double v : m.values)
                if (!m_series.add_converted(m_options.suite, benchmark, params, m.spec, v))
                    return core::input_error(m_source, place.at(m.field), "out of range");
        return {};
    }

    core::Result<core::RunResults> finish() {
        core::RunResults run;
        if (auto ok = m_series.finish(run, m_source); !ok) return tl::unexpected(ok.error());
        run.context.fingerprint = std::move(m_context);
        if (!m_ignored.empty()) {
            std::string names;
            for (const auto& n : m_ignored) names += (names.empty() ? "" : ", ") + n;
            run.notes.push_back(
                fmt::format("fields ignored (neither a param nor numbers): {}{}", names,
                            m_explicit_params.empty() ? ""
                                                      : " (only the fields named in --params are "
                                                        "params)"));
        }
        if (m_without_metrics > 0)
            run.notes.push_back(
                fmt::format("{} record(s) have no numeric field: nothing stored "
                            "from them",
                            m_without_metrics));
        return require_results(std::move(run), m_source,
                               "no record has a numeric field to store as a metric");
    }

  private:
    static constexpr const char* k_context_field = "context";
    static constexpr const char* k_error_field = "error";

    // The strings, numbers and booleans of a "context" object, for the testbed fingerprint (as
    // Google Benchmark's context is): thread counts, library versions. Records may each carry
    // one; a key given twice must have the same value.
    core::Result<void> add_context(const json& context, const Place& place) {
        for (const auto& [key, value] : context.items()) {
            if (!value.is_string() && !value.is_number() && !value.is_boolean()) {
                m_ignored.insert(fmt::format("{}.{}", k_context_field, key));
                continue;
            }
            if (m_context.contains(key) && m_context[key] != value)
                return core::input_error(m_source,
                                         place.at(fmt::format("{}.{}", k_context_field, key)),
                                         fmt::format("{} differs from {} in an earlier record",
                                                     value.dump(), m_context[key].dump()));
            m_context[key] = value;
        }
        return {};
    }

    // Default (no --params): strings and booleans are params; an integer is a param unless its
    // name says it is a measurement (a unit suffix, throughput, memory, ...) or --metric /
    // --direction name it; other numbers are metrics.
    bool default_is_param(const std::string& key, const json& value) const {
        if (value.is_string() || value.is_boolean()) return true;
        if (!value.is_number_integer()) return false;
        if (infer_metric(key) || m_options.metrics.count(key) != 0 ||
            m_options.directions.count(key) != 0)
            return false;
        return true;
    }

    MetricSpec metric_spec(const std::string& key) const {
        MetricSpec spec =
            infer_metric(key).value_or(MetricSpec{key, "", core::Direction::lower, 1});
        apply_overrides(spec, key, m_options);
        return spec;
    }

    std::string_view m_source;
    const AdapterOptions& m_options;
    std::set<std::string> m_explicit_params;
    std::set<std::string> m_ignored_fields;
    json m_context = json::object();
    std::string m_default_name;
    SeriesCollector m_series;
    std::set<std::string> m_ignored;
    std::size_t m_without_metrics = 0;
};

}  // namespace

bool sniff_records(std::string_view text) {
    const auto head = sniff_head(text);
    const char first = first_significant_char(head);
    if (first == '[') {
        const auto open = head.find('[');
        const auto brace = head.find_first_not_of(" \t\r\n", open + 1);
        return brace != std::string_view::npos && head[brace] == '{';
    }
    if (first != '{') return false;
    // JSON lines: the first non-empty line is a whole object.
    LineReader lines(head);
    while (auto line = lines.next()) {
        const auto t = trim(*line);
        if (t.empty()) continue;
        return t.front() == '{' && t.back() == '}';
    }
    return false;
}

core::Result<core::RunResults> parse_records(std::string_view text, std::string_view source,
                                             const AdapterOptions& options) {
    RecordReader reader(source, text.size(), options);
    if (first_significant_char(text) != '{') {
        auto doc = core::parse_json_document(text, source);
        if (!doc) return tl::unexpected(doc.error());
        if (doc->is_object()) {
            if (auto ok = reader.add(*doc, Place{source, false, 0}); !ok)
                return tl::unexpected(ok.error());
            return reader.finish();
        }
        if (!doc->is_array())
            return type_error(source, "", "a JSON array of records or JSON lines", *doc);
        for (std::size_t i = 0; i < doc->size(); ++i)
            if (auto ok = reader.add((*doc)[i], Place{source, false, i}); !ok)
                return tl::unexpected(ok.error());
        return reader.finish();
    }
    // One object (possibly over several lines), else JSON lines.
    try {
        const json doc = json::parse(text);
        if (auto ok = reader.add(doc, Place{source, false, 0}); !ok)
            return tl::unexpected(ok.error());
        return reader.finish();
    } catch (const json::exception&) {
        // not a single document: read it as JSON lines below
    }
    LineReader lines(text);
    while (auto line = lines.next()) {
        if (trim(*line).empty()) continue;
        const std::string where = fmt::format("{}: line {}", source, lines.number());
        auto doc = core::parse_json_document(*line, where);
        if (!doc) {
            // "<file>: line 4: invalid JSON at line 1, column 9: ..." -> "... at column 9: ..."
            std::string message = doc.error().message;
            const std::string redundant = "at line 1, column";
            if (auto at = message.find(redundant); at != std::string::npos)
                message.replace(at, redundant.size(), "at column");
            return core::fail(core::ErrorKind::input, std::move(message));
        }
        if (auto ok = reader.add(*doc, Place{source, true, lines.number()}); !ok)
            return tl::unexpected(ok.error());
    }
    return reader.finish();
}

}  // namespace perftrack::formats
