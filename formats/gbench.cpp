// Google Benchmark JSON. One entry of "benchmarks" is one row: a repetition of one benchmark
// instance ("iteration"), or a statistic over its repetitions ("aggregate": mean, median, stddev,
// cv, user statistics, and the BigO/RMS complexity fits). See docs/formats.md for the mapping.
#include "formats/gbench.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "core/units.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

// Keys of a row that are not user counters. Everything else numeric is a counter (Google
// Benchmark writes counters as flat keys of the row).
constexpr std::string_view k_row_fields[] = {
    "name",
    "family_index",
    "per_family_instance_index",
    "run_name",
    "run_type",
    "repetitions",
    "repetition_index",
    "threads",
    "iterations",
    "real_time",
    "cpu_time",
    "time_unit",
    "bytes_per_second",
    "items_per_second",
    "label",
    "error_occurred",
    "error_message",
    "skipped",
    "skip_message",
    "aggregate_name",
    "aggregate_unit",
    "big_o",
    "cpu_coefficient",
    "real_coefficient",
    "rms",
};

// Context keys that change from run to run on the same machine: not part of a testbed's
// fingerprint.
constexpr std::string_view k_volatile_context_keys[] = {"date", "load_avg", "executable"};

bool is_row_field(std::string_view key) {
    return std::find(std::begin(k_row_fields), std::end(k_row_fields), key) !=
           std::end(k_row_fields);
}

struct Value {
    std::string metric;
    std::string unit;  // "ns" for times (converted)
    core::Direction direction = core::Direction::lower;
    double value = 0;
    bool is_time = false;
};

// One benchmark instance (a run_name) and the rows that belong to it.
struct Instance {
    std::string run_name;
    NameAndParams identity;
    std::size_t first_row = 0;
    // Iteration rows that measured something: (repetition_index or -1, values).
    std::vector<std::pair<std::int64_t, std::vector<Value>>> repetitions;
    bool has_iteration_rows = false;
    std::optional<std::vector<Value>> median;
    std::size_t aggregates = 0;
    // Failure messages in first-seen order, each once.
    std::vector<std::string> failures;
    std::set<std::string> failure_set;  // to keep each message once without a linear search
};

core::Result<std::string> optional_string(const json& row, const char* key, std::string_view source,
                                          const std::string& path) {
    auto it = row.find(key);
    if (it == row.end() || it->is_null()) return std::string();
    if (!it->is_string())
        return core::input_error(
            source, core::json_path(path, key),
            fmt::format("expected a string, got {}", core::json_type_phrase(*it)));
    return it->get<std::string>();
}

core::Result<bool> optional_bool(const json& row, const char* key, std::string_view source,
                                 const std::string& path) {
    auto it = row.find(key);
    if (it == row.end() || it->is_null()) return false;
    if (!it->is_boolean())
        return core::input_error(
            source, core::json_path(path, key),
            fmt::format("expected true or false, got {}", core::json_type_phrase(*it)));
    return it->get<bool>();
}

core::Result<double> required_number(const json& row, const char* key, std::string_view source,
                                     const std::string& path) {
    auto it = row.find(key);
    if (it == row.end())
        return core::input_error(source, path, fmt::format("missing required field \"{}\"", key));
    if (!it->is_number())
        return core::input_error(
            source, core::json_path(path, key),
            fmt::format("expected a number, got {}", core::json_type_phrase(*it)));
    return it->get<double>();
}

// The measured values of a row that has real_time/cpu_time: times in ns, throughputs, counters.
core::Result<std::vector<Value>> row_values(const json& row, std::string_view source,
                                            const std::string& path,
                                            const AdapterOptions& options) {
    auto unit = optional_string(row, "time_unit", source, path);
    if (!unit) return tl::unexpected(unit.error());
    if (unit->empty())
        return core::input_error(source, path, "missing required field \"time_unit\"");
    const auto factor = core::ns_per_unit(*unit);
    if (!factor)
        return core::input_error(
            source, core::json_path(path, "time_unit"),
            fmt::format("unknown time unit \"{}\" (expected ns, us, ms or s)", *unit));
    std::vector<Value> values;
    for (const char* key : {"real_time", "cpu_time"}) {
        auto v = required_number(row, key, source, path);
        if (!v) return tl::unexpected(v.error());
        const double ns = *v * *factor;
        if (!std::isfinite(ns))
            return core::input_error(
                source, core::json_path(path, key),
                fmt::format("{} {} is out of range in nanoseconds", *v, *unit));
        values.push_back(
            {key, "ns", direction_for(key, core::Direction::lower, options), ns, true});
    }
    // Rates: bytes and items per second are both "throughput", told apart by their unit.
    for (const auto& [key, rate_unit] :
         {std::pair{"bytes_per_second", "B/s"}, std::pair{"items_per_second", "items/s"}}) {
        auto it = row.find(key);
        if (it == row.end()) continue;
        if (!it->is_number())
            return core::input_error(
                source, core::json_path(path, key),
                fmt::format("expected a number, got {}", core::json_type_phrase(*it)));
        values.push_back({"throughput", rate_unit,
                          direction_for("throughput", core::Direction::higher, options),
                          it->get<double>(), false});
    }
    // User counters carry no unit in the JSON: "" unless --metric NAME=UNIT:DIRECTION (or a
    // suite's [metrics.NAME] in perftrack.toml) says what it is, e.g. peak_memory=B or
    // compile_time=ns; a time unit is converted to ns like real_time.
    for (const auto& [key, value] : row.items()) {
        if (is_row_field(key) || !value.is_number()) continue;
        MetricSpec spec = canonical_unit(key, "", core::Direction::lower);
        apply_overrides(spec, key, options);
        values.push_back({spec.name, spec.unit, spec.direction, value.get<double>() * spec.factor,
                          spec.is_time()});
    }
    return values;
}

void add_context(const json& ctx, core::RunResults& run) {
    for (const auto& [key, value] : ctx.items()) {
        if (std::find(std::begin(k_volatile_context_keys), std::end(k_volatile_context_keys),
                      key) != std::end(k_volatile_context_keys))
            continue;
        run.context.fingerprint[key] = value;
    }
    if (auto it = ctx.find("library_build_type"); it != ctx.end() && *it == "debug")
        run.warnings.push_back(
            "the Google Benchmark library is a debug build (library_build_type: debug): its "
            "own overhead can distort very short benchmarks; link a release build of the "
            "library (Debian's libbenchmark reports debug) when iterations take nanoseconds");
    if (auto it = ctx.find("cpu_scaling_enabled"); it != ctx.end() && *it == true)
        run.warnings.push_back(
            "CPU frequency scaling was enabled while benchmarking (cpu_scaling_enabled: true), "
            "so times are noisy; set the performance governor before benchmarking (e.g. "
            "cpupower frequency-set --governor performance)");
}

// The instance an aggregate row belongs to: run_name, else the name without "_<aggregate>".
std::string aggregate_run_name(const std::string& name, const std::string& run_name,
                               const std::string& aggregate_name) {
    if (!run_name.empty()) return run_name;
    const std::string suffix = "_" + aggregate_name;
    if (!aggregate_name.empty() && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return name.substr(0, name.size() - suffix.size());
    return name;
}

std::string list_names(const std::vector<std::string>& names) {
    constexpr std::size_t k_shown = 5;
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < k_shown; ++i) {
        if (i > 0) out += ", ";
        out += names[i];
    }
    if (names.size() > k_shown) out += fmt::format(" and {} more", names.size() - k_shown);
    return out;
}

}  // namespace

bool sniff_gbench(std::string_view text) {
    const auto head = sniff_head(text);
    if (first_significant_char(head) != '{') return false;
    if (head.find("\"benchmarks\"") == std::string_view::npos) return false;
    // pytest-benchmark also has "benchmarks"; Google Benchmark's rows have real_time / run_type
    // and its context has mhz_per_cpu / library_build_type.
    if (head.find("\"machine_info\"") != std::string_view::npos) return false;
    return head.find("\"real_time\"") != std::string_view::npos ||
           head.find("\"run_type\"") != std::string_view::npos ||
           head.find("\"mhz_per_cpu\"") != std::string_view::npos ||
           head.find("\"library_build_type\"") != std::string_view::npos;
}

core::Result<core::RunResults> parse_gbench(std::string_view text, std::string_view source,
                                            const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_object())
        return core::input_error(source, "",
                                 fmt::format("expected a JSON object with \"benchmarks\", got {}",
                                             core::json_type_phrase(*doc)));
    core::RunResults run;
    if (auto ctx = doc->find("context"); ctx != doc->end() && !ctx->is_null()) {
        if (!ctx->is_object())
            return core::input_error(
                source, "context",
                fmt::format("expected an object, got {}", core::json_type_phrase(*ctx)));
        add_context(*ctx, run);
    }
    auto rows = doc->find("benchmarks");
    if (rows == doc->end())
        return core::input_error(source, "", "missing required field \"benchmarks\"");
    if (!rows->is_array())
        return core::input_error(
            source, "benchmarks",
            fmt::format("expected an array, got {}", core::json_type_phrase(*rows)));

    std::vector<Instance> instances;
    std::map<std::string, std::size_t> by_run_name;
    std::vector<std::string> complexity_rows;
    std::set<std::string> complexity_set;
    auto instance_for = [&](const std::string& run_name, std::size_t row) -> Instance& {
        auto [it, inserted] = by_run_name.emplace(run_name, instances.size());
        if (inserted) {
            Instance inst;
            inst.run_name = run_name;
            inst.identity = split_named_segments(run_name, ':');
            inst.first_row = row;
            instances.push_back(std::move(inst));
        }
        return instances[it->second];
    };

    for (std::size_t i = 0; i < rows->size(); ++i) {
        const json& row = (*rows)[i];
        const std::string path = core::json_path("benchmarks", i);
        if (!row.is_object())
            return core::input_error(
                source, path,
                fmt::format("expected an object, got {}", core::json_type_phrase(row)));
        auto name = optional_string(row, "name", source, path);
        if (!name) return tl::unexpected(name.error());
        if (name->empty()) {
            if (!row.contains("name"))
                return core::input_error(source, path, "missing required field \"name\"");
            return core::input_error(source, core::json_path(path, "name"), "must not be empty");
        }
        auto run_name = optional_string(row, "run_name", source, path);
        if (!run_name) return tl::unexpected(run_name.error());
        auto run_type = optional_string(row, "run_type", source, path);
        if (!run_type) return tl::unexpected(run_type.error());

        if (*run_type == "aggregate") {
            auto aggregate = optional_string(row, "aggregate_name", source, path);
            if (!aggregate) return tl::unexpected(aggregate.error());
            const std::string owner = aggregate_run_name(*name, *run_name, *aggregate);
            if (*aggregate == "BigO" || *aggregate == "RMS") {
                if (complexity_set.insert(owner).second) complexity_rows.push_back(owner);
                continue;
            }
            Instance& inst = instance_for(owner, i);
            ++inst.aggregates;
            if (*aggregate == "median" && !inst.median) {
                auto values = row_values(row, source, path, options);
                if (!values) return tl::unexpected(values.error());
                inst.median = std::move(*values);
            }
            continue;
        }
        if (!run_type->empty() && *run_type != "iteration")
            return core::input_error(source, core::json_path(path, "run_type"),
                                     fmt::format("unknown run_type \"{}\" (expected iteration or "
                                                 "aggregate)",
                                                 *run_type));

        Instance& inst = instance_for(run_name->empty() ? *name : *run_name, i);
        inst.has_iteration_rows = true;
        auto errored = optional_bool(row, "error_occurred", source, path);
        if (!errored) return tl::unexpected(errored.error());
        auto skipped = optional_bool(row, "skipped", source, path);
        if (!skipped) return tl::unexpected(skipped.error());
        if (*errored || *skipped) {
            auto message =
                optional_string(row, *errored ? "error_message" : "skip_message", source, path);
            if (!message) return tl::unexpected(message.error());
            std::string text_message = *errored ? *message : "skipped: " + *message;
            if (message->empty()) text_message = *errored ? "error (no message)" : "skipped";
            if (inst.failure_set.insert(text_message).second)
                inst.failures.push_back(std::move(text_message));
            continue;
        }
        std::int64_t repetition = -1;
        if (auto it = row.find("repetition_index"); it != row.end() && !it->is_null()) {
            if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
                return core::input_error(
                    source, core::json_path(path, "repetition_index"),
                    fmt::format("expected a non-negative integer, got {}", it->dump()));
            repetition = it->get<std::int64_t>();
        }
        auto values = row_values(row, source, path, options);
        if (!values) return tl::unexpected(values.error());
        inst.repetitions.emplace_back(repetition, std::move(*values));
    }

    // Two instances must not map to one series (e.g. "BM/a:1/b:2" and "BM/b:2/a:1").
    std::map<std::string, const Instance*> identities;
    for (const auto& inst : instances) {
        const std::string key = inst.identity.benchmark + '\x1f' + inst.identity.params.dump();
        auto [it, inserted] = identities.emplace(key, &inst);
        if (!inserted)
            return core::input_error(
                source, core::json_path("benchmarks", inst.first_row),
                fmt::format("\"{}\" and \"{}\" name the same benchmark \"{}\" with the same "
                            "params {}",
                            it->second->run_name, inst.run_name, inst.identity.benchmark,
                            inst.identity.params.dump()));
    }

    SeriesCollector series(text.size());
    std::vector<std::string> medians_only, not_stored;
    auto add_values = [&](const Instance& inst, const std::vector<Value>& values) {
        for (const auto& v : values) {
            if (v.is_time) {
                series.add_time_ns(options.suite, inst.identity.benchmark, inst.identity.params,
                                   v.metric, v.direction, v.value);
            } else {
                series.add(options.suite, inst.identity.benchmark, inst.identity.params, v.metric,
                           v.unit, v.direction, v.value);
            }
        }
    };
    for (auto& inst : instances) {
        for (const auto& message : inst.failures)
            series.add_failure(core::BenchmarkFailure{options.suite, inst.identity.benchmark,
                                                      inst.identity.params, message});
        if (!inst.repetitions.empty()) {
            // samples[i] is repetition i: random interleaving reports repetitions out of order.
            const bool all_indexed = std::all_of(inst.repetitions.begin(), inst.repetitions.end(),
                                                 [](const auto& r) { return r.first >= 0; });
            if (all_indexed)
                std::stable_sort(inst.repetitions.begin(), inst.repetitions.end(),
                                 [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& [index, values] : inst.repetitions) add_values(inst, values);
        } else if (!inst.has_iteration_rows && inst.median) {
            add_values(inst, *inst.median);
            medians_only.push_back(inst.run_name);
        } else if (!inst.has_iteration_rows && inst.aggregates > 0) {
            not_stored.push_back(inst.run_name);
        }
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());

    if (!medians_only.empty())
        run.notes.push_back(fmt::format(
            "{} benchmark(s) have aggregate rows only (--benchmark_report_aggregates_only?): "
            "stored the median of their repetitions as one sample each: {}",
            medians_only.size(), list_names(medians_only)));
    if (!not_stored.empty())
        run.notes.push_back(fmt::format(
            "{} benchmark(s) have aggregate rows only and none is a median: not stored: {}",
            not_stored.size(), list_names(not_stored)));
    if (!complexity_rows.empty())
        run.notes.push_back(fmt::format(
            "complexity rows (BigO, RMS) are fits across sizes, not measurements: not stored "
            "for {}",
            list_names(complexity_rows)));
    return require_results(std::move(run), source,
                           not_stored.empty()
                               ? "the \"benchmarks\" list has no measured rows"
                               : "the \"benchmarks\" list has aggregate rows only, and none is "
                                 "a median");
}

}  // namespace perftrack::formats
