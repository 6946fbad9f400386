// BenchmarkDotNet JSON: one entry of "Benchmarks" per method x parameters x job. The time of
// every measured iteration (ns per operation, overhead removed) is Statistics.OriginalValues;
// MemoryDiagnoser adds a "Memory" object (bytes allocated per operation, GC collections).
#include "formats/benchmarkdotnet.hpp"

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

// GC collections are reported per 1000 operations, as BenchmarkDotNet's summary columns do.
constexpr double k_ops_per_gc_unit = 1000;
constexpr const char* k_gc_unit = "per 1000 ops";

constexpr const char* k_fingerprint_keys[] = {
    "ProcessorName",          "OsVersion",        "RuntimeVersion",    "ClrVersion",
    "Architecture",           "LogicalCoreCount", "PhysicalCoreCount", "ProcessorCount",
    "BenchmarkDotNetVersion", "Configuration",    "HardwareTimerKind"};

std::string string_member(const json& entry, const char* key) {
    const json* v = find_member(entry, key);
    return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// "N=10&Name=x" (also "N=10, Name=x") -> params.
core::Params parse_parameters(std::string_view text) {
    core::Params params = core::Params::object();
    const bool ampersand = text.find('&') != std::string_view::npos;
    const std::string_view sep = ampersand ? "&" : ", ";
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find(sep, pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view item = trim(text.substr(pos, end - pos));
        const auto eq = item.find('=');
        if (eq != std::string_view::npos && eq > 0)
            params[std::string(trim(item.substr(0, eq)))] = param_value(trim(item.substr(eq + 1)));
        pos = end + sep.size();
    }
    return params;
}

}  // namespace

bool sniff_benchmarkdotnet(std::string_view text) {
    const auto head = sniff_head(text);
    return first_significant_char(head) == '{' &&
           head.find("\"Benchmarks\"") != std::string_view::npos &&
           (head.find("\"HostEnvironmentInfo\"") != std::string_view::npos ||
            head.find("\"Statistics\"") != std::string_view::npos);
}

core::Result<core::RunResults> parse_benchmarkdotnet(std::string_view text, std::string_view source,
                                                     const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_object()) return type_error(source, "", "a JSON object with \"Benchmarks\"", *doc);
    core::RunResults run;
    if (const json* host = find_member(*doc, "HostEnvironmentInfo")) {
        if (!host->is_object())
            return type_error(source, "HostEnvironmentInfo", "an object", *host);
        for (const char* key : k_fingerprint_keys) {
            const json* v = find_member(*host, key);
            if (v == nullptr) continue;
            // 0.9.x wraps some values: {"IsValueCreated": true, "Value": "..."}.
            if (v->is_object() && v->contains("Value")) v = &(*v)["Value"];
            if (v->is_string() || v->is_number()) run.context.fingerprint[key] = *v;
        }
    }
    auto benchmarks = require_member(*doc, "Benchmarks", source, "");
    if (!benchmarks) return tl::unexpected(benchmarks.error());
    if (!(*benchmarks)->is_array())
        return type_error(source, "Benchmarks", "an array", **benchmarks);

    SeriesCollector series(text.size());
    std::size_t medians_only = 0;
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    for (std::size_t i = 0; i < (*benchmarks)->size(); ++i) {
        const json& entry = (**benchmarks)[i];
        const std::string path = core::json_path("Benchmarks", i);
        if (!entry.is_object()) return type_error(source, path, "an object", entry);
        for (const char* key :
             {"Namespace", "Type", "Method", "FullName", "Parameters", "DisplayInfo"})
            if (const json* v = find_member(entry, key); v != nullptr && !v->is_string())
                return type_error(source, core::json_path(path, key), "a string", *v);
        // Namespace.Type.Method is stable; FullName also spells out arguments in newer versions.
        std::string benchmark;
        for (const char* key : {"Namespace", "Type", "Method"}) {
            const std::string part = string_member(entry, key);
            if (part.empty()) continue;
            if (!benchmark.empty()) benchmark += '.';
            benchmark += part;
        }
        if (string_member(entry, "Method").empty()) benchmark = string_member(entry, "FullName");
        if (benchmark.empty())
            return core::input_error(source, path,
                                     "missing required field \"Method\" (or \"FullName\")");
        core::Params params = parse_parameters(string_member(entry, "Parameters"));
        // "Type.Method: ShortRun(IterationCount=3, ...)": a job other than the default is part
        // of the identity (the same method under two runtimes is two series).
        const std::string display = string_member(entry, "DisplayInfo");
        if (const auto colon = display.rfind(": "); colon != std::string::npos) {
            const std::string job = display.substr(colon + 2);
            if (!job.empty() && job != "DefaultJob" && !params.contains("job")) params["job"] = job;
        }

        const json* stats = find_member(entry, "Statistics");
        const std::string spath = core::json_path(path, "Statistics");
        if (stats == nullptr) {
            series.add_failure(
                core::BenchmarkFailure{options.suite, benchmark, params,
                                       "no Statistics: the benchmark failed or did not run"});
            continue;
        }
        if (!stats->is_object()) return type_error(source, spath, "an object", *stats);
        const json* values = find_member(*stats, "OriginalValues");
        if (values != nullptr && !values->is_array())
            return type_error(source, core::json_path(spath, "OriginalValues"), "an array",
                              *values);
        if (values != nullptr && !values->empty()) {
            for (std::size_t j = 0; j < values->size(); ++j) {
                const json& v = (*values)[j];
                const std::string vpath =
                    core::json_path(core::json_path(spath, "OriginalValues"), j);
                if (!v.is_number()) return type_error(source, vpath, "a number", v);
                if (!series.add_converted(options.suite, benchmark, params, time, v.get<double>()))
                    return core::input_error(source, vpath, "out of range");
            }
        } else {
            auto median = require_member(*stats, "Median", source, spath);
            if (!median) return tl::unexpected(median.error());
            if (!(*median)->is_number())
                return type_error(source, core::json_path(spath, "Median"), "a number", **median);
            if (!series.add_converted(options.suite, benchmark, params, time,
                                      (*median)->get<double>()))
                return core::input_error(source, core::json_path(spath, "Median"), "out of range");
            ++medians_only;
        }

        const json* memory = find_member(entry, "Memory");
        if (memory == nullptr) continue;
        const std::string mpath = core::json_path(path, "Memory");
        if (!memory->is_object()) return type_error(source, mpath, "an object", *memory);
        for (const char* key : {"BytesAllocatedPerOperation", "TotalOperations", "Gen0Collections",
                                "Gen1Collections", "Gen2Collections"})
            if (const json* v = find_member(*memory, key); v != nullptr && !v->is_number())
                return type_error(source, core::json_path(mpath, key), "a number", *v);
        if (const json* bytes = find_member(*memory, "BytesAllocatedPerOperation")) {
            MetricSpec spec{"allocated_bytes", "B", core::Direction::lower, 1};
            spec.direction = direction_for(spec.name, spec.direction, options);
            if (!series.add_converted(options.suite, benchmark, params, spec, bytes->get<double>()))
                return core::input_error(
                    source, core::json_path(mpath, "BytesAllocatedPerOperation"), "out of range");
        }
        const json* total = find_member(*memory, "TotalOperations");
        if (total == nullptr || total->get<double>() <= 0) continue;
        for (const auto& [key, metric] : {std::pair{"Gen0Collections", "gc_gen0_collections"},
                                          std::pair{"Gen1Collections", "gc_gen1_collections"},
                                          std::pair{"Gen2Collections", "gc_gen2_collections"}}) {
            const json* count = find_member(*memory, key);
            if (count == nullptr) continue;
            MetricSpec spec{metric, k_gc_unit, core::Direction::lower, 1};
            spec.direction = direction_for(spec.name, spec.direction, options);
            const double per_unit = count->get<double>() / total->get<double>() * k_ops_per_gc_unit;
            if (!series.add_converted(options.suite, benchmark, params, spec, per_unit))
                return core::input_error(source, core::json_path(mpath, key), "out of range");
        }
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    if (medians_only > 0)
        run.notes.push_back(fmt::format(
            "{} benchmark(s) have no Statistics.OriginalValues (older BenchmarkDotNet versions): "
            "stored the median as one sample each",
            medians_only));
    return require_results(std::move(run), source, "the \"Benchmarks\" list is empty");
}

}  // namespace perftrack::formats
