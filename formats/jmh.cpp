// JMH JSON: an array with one entry per benchmark x params. primaryMetric.rawData holds the
// score of every measurement iteration, one array per fork. The mode says what the score is:
// thrpt is operations per time unit, avgt/sample/ss are time per operation.
#include "formats/jmh.hpp"

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "core/units.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

constexpr double k_ns_per_s = 1e9;

struct Mode {
    std::string_view name;
    std::string_view metric;
    bool throughput;
};
constexpr Mode k_modes[] = {
    {"thrpt", "throughput", true},
    {"avgt", "average_time", false},
    {"sample", "sample_time", false},
    {"ss", "single_shot_time", false},
};

// "ops/ms" -> ops per second (factor 1e3); "us/op" -> ns per op (factor 1e3). nullopt when the
// unit is not of that shape.
std::optional<MetricSpec> rate_unit(std::string metric, std::string_view unit,
                                    const AdapterOptions& options) {
    if (unit.substr(0, 4) != "ops/") return std::nullopt;
    auto ns = core::ns_per_unit(unit.substr(4));
    if (!ns) return std::nullopt;
    MetricSpec spec{std::move(metric), "ops/s", core::Direction::higher, k_ns_per_s / *ns};
    spec.direction = direction_for(spec.name, spec.direction, options);
    return spec;
}

std::optional<MetricSpec> time_per_op_unit(std::string metric, std::string_view unit,
                                           const AdapterOptions& options) {
    const auto slash = unit.find("/op");
    if (slash == std::string_view::npos || slash + 3 != unit.size()) return std::nullopt;
    auto ns = core::ns_per_unit(unit.substr(0, slash));
    if (!ns) return std::nullopt;
    MetricSpec spec{std::move(metric), "ns", core::Direction::lower, *ns};
    spec.direction = direction_for(spec.name, spec.direction, options);
    return spec;
}

// Adds rawData (all forks, in order) or, without it, the score; returns whether it used the
// score. `skip_zero_times`: profiler metrics such as gc.time report 0 for "none happened".
core::Result<bool> add_metric(SeriesCollector& series, const std::string& suite,
                              const std::string& benchmark, const core::Params& params,
                              const MetricSpec& spec, const json& metric, std::string_view source,
                              const std::string& path, bool skip_zero_times) {
    if (const json* raw = find_member(metric, "rawData")) {
        if (!raw->is_array())
            return type_error(source, core::json_path(path, "rawData"), "an array of arrays", *raw);
        std::size_t added = 0;
        for (std::size_t f = 0; f < raw->size(); ++f) {
            const json& fork = (*raw)[f];
            const std::string fpath = core::json_path(core::json_path(path, "rawData"), f);
            if (!fork.is_array()) return type_error(source, fpath, "an array of numbers", fork);
            for (std::size_t k = 0; k < fork.size(); ++k) {
                const json& v = fork[k];
                const std::string vpath = core::json_path(fpath, k);
                if (!v.is_number()) return type_error(source, vpath, "a number", v);
                if (skip_zero_times && spec.is_time() && v.get<double>() <= 0) continue;
                if (!series.add_converted(suite, benchmark, params, spec, v.get<double>()))
                    return core::input_error(source, vpath, "out of range");
                ++added;
            }
        }
        if (added > 0 || skip_zero_times) return false;
    }
    auto score = require_member(metric, "score", source, path);
    if (!score) return tl::unexpected(score.error());
    if (!(*score)->is_number())
        return type_error(source, core::json_path(path, "score"), "a number", **score);
    if (skip_zero_times && spec.is_time() && (*score)->get<double>() <= 0) return false;
    if (!series.add_converted(suite, benchmark, params, spec, (*score)->get<double>()))
        return core::input_error(source, core::json_path(path, "score"), "out of range");
    return true;
}

}  // namespace

bool sniff_jmh(std::string_view text) {
    const auto head = sniff_head(text);
    return first_significant_char(head) == '[' &&
           (head.find("\"jmhVersion\"") != std::string_view::npos ||
            head.find("\"primaryMetric\"") != std::string_view::npos);
}

core::Result<core::RunResults> parse_jmh(std::string_view text, std::string_view source,
                                         const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_array()) return type_error(source, "", "a JSON array (JMH -rf json)", *doc);
    core::RunResults run;
    SeriesCollector series(text.size());
    std::size_t scores_only = 0;
    for (std::size_t i = 0; i < doc->size(); ++i) {
        const json& entry = (*doc)[i];
        const std::string path = core::json_path("", i);
        if (!entry.is_object()) return type_error(source, path, "an object", entry);
        if (i == 0)
            for (const char* key : {"jmhVersion", "jdkVersion", "vmName", "vmVersion"})
                if (const json* v = find_member(entry, key); v != nullptr && v->is_string())
                    run.context.fingerprint[key] = *v;
        auto name = require_member(entry, "benchmark", source, path);
        if (!name) return tl::unexpected(name.error());
        if (!(*name)->is_string() || (*name)->get_ref<const std::string&>().empty())
            return type_error(source, core::json_path(path, "benchmark"), "a non-empty string",
                              **name);
        const std::string& benchmark = (*name)->get_ref<const std::string&>();
        auto mode_field = require_member(entry, "mode", source, path);
        if (!mode_field) return tl::unexpected(mode_field.error());
        if (!(*mode_field)->is_string())
            return type_error(source, core::json_path(path, "mode"), "a string", **mode_field);
        const Mode* mode = nullptr;
        for (const auto& m : k_modes)
            if (m.name == (*mode_field)->get_ref<const std::string&>()) mode = &m;
        if (mode == nullptr)
            return core::input_error(source, core::json_path(path, "mode"),
                                     fmt::format("unknown mode {} (expected thrpt, avgt, sample "
                                                 "or ss)",
                                                 (*mode_field)->dump()));
        core::Params params = core::Params::object();
        if (const json* p = find_member(entry, "params")) {
            if (!p->is_object())
                return type_error(source, core::json_path(path, "params"), "an object", *p);
            for (const auto& [key, value] : p->items()) {
                if (key.empty()) continue;
                params[key] = value.is_string() ? param_value(value.get_ref<const std::string&>())
                                                : param_value(value);
            }
        }
        auto primary = require_member(entry, "primaryMetric", source, path);
        if (!primary) return tl::unexpected(primary.error());
        const std::string ppath = core::json_path(path, "primaryMetric");
        if (!(*primary)->is_object()) return type_error(source, ppath, "an object", **primary);
        auto unit = require_member(**primary, "scoreUnit", source, ppath);
        if (!unit) return tl::unexpected(unit.error());
        if (!(*unit)->is_string())
            return type_error(source, core::json_path(ppath, "scoreUnit"), "a string", **unit);
        const std::string& score_unit = (*unit)->get_ref<const std::string&>();
        const std::string metric(mode->metric);
        auto spec = mode->throughput ? rate_unit(metric, score_unit, options)
                                     : time_per_op_unit(metric, score_unit, options);
        if (!spec)
            return core::input_error(
                source, core::json_path(ppath, "scoreUnit"),
                fmt::format("\"{}\" does not fit mode {} (expected {})", score_unit, mode->name,
                            mode->throughput ? "ops/s, ops/ms, ops/us or ops/ns"
                                             : "s/op, ms/op, us/op or ns/op"));
        auto used_score = add_metric(series, options.suite, benchmark, params, *spec, **primary,
                                     source, ppath, false);
        if (!used_score) return tl::unexpected(used_score.error());
        if (*used_score) ++scores_only;

        if (const json* secondary = find_member(entry, "secondaryMetrics")) {
            const std::string spath = core::json_path(path, "secondaryMetrics");
            if (!secondary->is_object()) return type_error(source, spath, "an object", *secondary);
            for (const auto& [key, value] : secondary->items()) {
                const std::string mpath = core::json_path(spath, key);
                if (!value.is_object()) return type_error(source, mpath, "an object", value);
                std::string sname = snake_case(key);
                if (sname.empty()) continue;
                std::string sunit;
                if (const json* u = find_member(value, "scoreUnit")) {
                    if (!u->is_string())
                        return type_error(source, core::json_path(mpath, "scoreUnit"), "a string",
                                          *u);
                    sunit = u->get<std::string>();
                }
                std::optional<MetricSpec> sspec = rate_unit(sname, sunit, options);
                if (!sspec) sspec = time_per_op_unit(sname, sunit, options);
                if (!sspec) {
                    sspec = canonical_unit(sname, sunit, core::Direction::lower);
                    sspec->direction = direction_for(sname, sspec->direction, options);
                }
                auto used = add_metric(series, options.suite, benchmark, params, *sspec, value,
                                       source, mpath, true);
                if (!used) return tl::unexpected(used.error());
            }
        }
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    if (scores_only > 0)
        run.notes.push_back(fmt::format(
            "{} result(s) have no primaryMetric.rawData: stored the score as one sample each",
            scores_only));
    return require_results(std::move(run), source, "the file's array is empty");
}

}  // namespace perftrack::formats
