// hyperfine JSON: one entry of "results" per command (per parameter value with -P/-L), with the
// wall-clock time of every run in "times" and the mean user and system CPU times.
#include "formats/hyperfine.hpp"

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

constexpr double k_ns_per_s = 1e9;

core::Result<double> number_member(const json& entry, const char* key, std::string_view source,
                                   const std::string& path) {
    auto v = require_member(entry, key, source, path);
    if (!v) return tl::unexpected(v.error());
    if (!(*v)->is_number()) return type_error(source, core::json_path(path, key), "a number", **v);
    return (*v)->get<double>();
}

}  // namespace

bool sniff_hyperfine(std::string_view text) {
    const auto head = sniff_head(text);
    return first_significant_char(head) == '{' &&
           head.find("\"results\"") != std::string_view::npos &&
           head.find("\"command\"") != std::string_view::npos &&
           (head.find("\"times\"") != std::string_view::npos ||
            head.find("\"mean\"") != std::string_view::npos);
}

core::Result<core::RunResults> parse_hyperfine(std::string_view text, std::string_view source,
                                               const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_object()) return type_error(source, "", "a JSON object with \"results\"", *doc);
    auto results = require_member(*doc, "results", source, "");
    if (!results) return tl::unexpected(results.error());
    if (!(*results)->is_array()) return type_error(source, "results", "an array", **results);

    core::RunResults run;
    // hyperfine subtracts the time to spawn a shell and clamps at 0.
    SeriesCollector series(
        text.size(),
        "the command was faster than the shell-spawn time hyperfine subtracts: run it with "
        "--shell=none (-N) or make it do more work");
    std::vector<std::string> means_only;
    for (std::size_t i = 0; i < (*results)->size(); ++i) {
        const json& entry = (**results)[i];
        const std::string path = core::json_path("results", i);
        if (!entry.is_object()) return type_error(source, path, "an object", entry);
        auto command = require_member(entry, "command", source, path);
        if (!command) return tl::unexpected(command.error());
        if (!(*command)->is_string() || (*command)->get_ref<const std::string&>().empty())
            return type_error(source, core::json_path(path, "command"), "a non-empty string",
                              **command);
        const std::string& benchmark = (*command)->get_ref<const std::string&>();
        core::Params params = core::Params::object();
        if (const json* p = find_member(entry, "parameters")) {
            if (!p->is_object())
                return type_error(source, core::json_path(path, "parameters"), "an object", *p);
            for (const auto& [key, value] : p->items()) {
                if (key.empty()) continue;
                params[key] = value.is_string() ? param_value(value.get_ref<const std::string&>())
                                                : param_value(value);
            }
        }
        const MetricSpec wall{"wall_time", "ns",
                              direction_for("wall_time", core::Direction::lower, options),
                              k_ns_per_s};
        if (const json* times = find_member(entry, "times")) {
            if (!times->is_array())
                return type_error(source, core::json_path(path, "times"), "an array of numbers",
                                  *times);
            for (std::size_t j = 0; j < times->size(); ++j) {
                const json& v = (*times)[j];
                const std::string vpath = core::json_path(core::json_path(path, "times"), j);
                if (!v.is_number()) return type_error(source, vpath, "a number", v);
                if (!series.add_converted(options.suite, benchmark, params, wall, v.get<double>()))
                    return core::input_error(source, vpath, "out of range");
            }
        }
        if (find_member(entry, "times") == nullptr || find_member(entry, "times")->empty()) {
            auto mean = number_member(entry, "mean", source, path);
            if (!mean) return tl::unexpected(mean.error());
            if (!series.add_converted(options.suite, benchmark, params, wall, *mean))
                return core::input_error(source, core::json_path(path, "mean"), "out of range");
            means_only.push_back(benchmark);
        }
        // hyperfine reports only the mean CPU times over the runs. A mean of 0 means "not
        // measurable", not a benchmark that took no time: skipped without a warning.
        for (const auto& [key, metric] :
             {std::pair{"user", "user_time"}, std::pair{"system", "system_time"}}) {
            const json* v = find_member(entry, key);
            if (v == nullptr) continue;
            if (!v->is_number())
                return type_error(source, core::json_path(path, key), "a number", *v);
            if (v->get<double>() <= 0) continue;
            const MetricSpec cpu{
                metric, "ns", direction_for(metric, core::Direction::lower, options), k_ns_per_s};
            if (!series.add_converted(options.suite, benchmark, params, cpu, v->get<double>()))
                return core::input_error(source, core::json_path(path, key), "out of range");
        }
        if (const json* codes = find_member(entry, "exit_codes")) {
            if (!codes->is_array())
                return type_error(source, core::json_path(path, "exit_codes"), "an array", *codes);
            std::size_t failed = 0;
            for (const auto& code : *codes)
                if (!(code.is_number_integer() && code.get<long long>() == 0)) ++failed;
            if (failed > 0)
                run.notes.push_back(
                    fmt::format("{}: exited with a non-zero code (or a signal) in {} of {} runs "
                                "(hyperfine -i): its times are stored",
                                benchmark, failed, codes->size()));
        }
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    if (!means_only.empty())
        run.notes.push_back(fmt::format(
            "{} command(s) have no \"times\": stored the mean as one wall_time sample each",
            means_only.size()));
    return require_results(std::move(run), source, "the \"results\" list is empty");
}

}  // namespace perftrack::formats
