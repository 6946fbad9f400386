// Bencher Metric Format: benchmark name -> measure -> {value, lower_value, upper_value}. The
// measure's name is the metric; Bencher's built-in measures carry known units, any other is
// unitless unless --metric says otherwise.
#include "formats/bmf.hpp"

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

// Bencher's built-in measures (slug, unit as Bencher defines it, direction).
struct BuiltinMeasure {
    std::string_view slug;
    std::string_view unit;
    core::Direction direction;
};
constexpr BuiltinMeasure k_builtin[] = {
    {"latency", "ns", core::Direction::lower},
    {"throughput", "ops/s", core::Direction::higher},
    {"build_time", "s", core::Direction::lower},
    {"file_size", "B", core::Direction::lower},
};

// A cheap look at the shape: { "name" : { "measure" : { ... "value" ...
std::size_t skip_ws(std::string_view t, std::size_t i) {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) ++i;
    return i;
}

std::size_t skip_string(std::string_view t, std::size_t i) {
    if (i >= t.size() || t[i] != '"') return std::string_view::npos;
    for (++i; i < t.size(); ++i) {
        if (t[i] == '\\') {
            ++i;
        } else if (t[i] == '"') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

}  // namespace

bool sniff_bmf(std::string_view text) {
    const auto head = sniff_head(text);
    std::size_t i = skip_ws(head, 0);
    if (i >= head.size() || head[i] != '{') return false;
    for (int level = 0; level < 2; ++level) {
        i = skip_string(head, skip_ws(head, i + 1));
        if (i == std::string_view::npos) return false;
        i = skip_ws(head, i);
        if (i >= head.size() || head[i] != ':') return false;
        i = skip_ws(head, i + 1);
        if (i >= head.size() || head[i] != '{') return false;
    }
    return head.find("\"value\"", i) != std::string_view::npos;
}

core::Result<core::RunResults> parse_bmf(std::string_view text, std::string_view source,
                                         const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_object())
        return type_error(source, "", "a JSON object of benchmarks (Bencher Metric Format)", *doc);
    core::RunResults run;
    SeriesCollector series(text.size());
    const core::Params params = core::Params::object();
    for (const auto& [benchmark, measures] : doc->items()) {
        const std::string path = benchmark;
        if (benchmark.empty()) return core::input_error(source, "", "empty benchmark name");
        if (!measures.is_object())
            return type_error(source, path, "an object of measures", measures);
        for (const auto& [measure, entry] : measures.items()) {
            const std::string mpath = core::json_path(path, measure);
            const std::string name = snake_case(measure);
            if (name.empty())
                return core::input_error(source, mpath, "a measure name needs letters or digits");
            if (!entry.is_object())
                return type_error(source, mpath, "an object with \"value\"", entry);
            auto value = require_member(entry, "value", source, mpath);
            if (!value) return tl::unexpected(value.error());
            if (!(*value)->is_number())
                return type_error(source, core::json_path(mpath, "value"), "a number", **value);
            MetricSpec spec{name, "", core::Direction::lower, 1};
            for (const auto& b : k_builtin)
                if (b.slug == name) spec = canonical_unit(name, b.unit, b.direction);
            apply_overrides(spec, measure, options);
            if (!series.add_converted(options.suite, benchmark, params, spec,
                                      (*value)->get<double>()))
                return core::input_error(source, core::json_path(mpath, "value"), "out of range");
        }
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source, "the object has no benchmarks");
}

}  // namespace perftrack::formats
