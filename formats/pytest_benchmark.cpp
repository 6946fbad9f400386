// pytest-benchmark JSON. Each entry of "benchmarks" is one test; stats.data holds the time of
// every round (per iteration, in seconds). --benchmark-json writes it; runs saved with
// --benchmark-save keep it only with --benchmark-save-data, else only the statistics remain.
#include "formats/pytest_benchmark.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

constexpr double k_ns_per_s = 1e9;

// "tests/test_x.py::test_fib[5]" -> "tests/test_x.py::test_fib" when the test has params: the
// bracketed id repeats the params, which are stored as params instead.
std::string strip_param_id(const std::string& name) {
    const auto scope = name.rfind("::");
    const auto open = name.find('[', scope == std::string::npos ? 0 : scope + 2);
    if (open == std::string::npos || open == 0 || name.back() != ']') return name;
    return name.substr(0, open);
}

}  // namespace

bool sniff_pytest_benchmark(std::string_view text) {
    const auto head = sniff_head(text);
    return first_significant_char(head) == '{' &&
           head.find("\"benchmarks\"") != std::string_view::npos &&
           (head.find("\"machine_info\"") != std::string_view::npos ||
            (head.find("\"stats\"") != std::string_view::npos &&
             head.find("\"fullname\"") != std::string_view::npos));
}

core::Result<core::RunResults> parse_pytest_benchmark(std::string_view text,
                                                      std::string_view source,
                                                      const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_object()) return type_error(source, "", "a JSON object with \"benchmarks\"", *doc);
    core::RunResults run;
    if (const json* machine = find_member(*doc, "machine_info")) {
        if (!machine->is_object()) return type_error(source, "machine_info", "an object", *machine);
        run.context.fingerprint = *machine;
    }
    auto benchmarks = require_member(*doc, "benchmarks", source, "");
    if (!benchmarks) return tl::unexpected(benchmarks.error());
    if (!(*benchmarks)->is_array())
        return type_error(source, "benchmarks", "an array", **benchmarks);

    SeriesCollector series(text.size());
    std::vector<std::string> stats_only, incomplete;
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options),
                          k_ns_per_s};
    for (std::size_t i = 0; i < (*benchmarks)->size(); ++i) {
        const json& entry = (**benchmarks)[i];
        const std::string path = core::json_path("benchmarks", i);
        if (!entry.is_object()) return type_error(source, path, "an object", entry);
        // fullname ("file.py::test") is unique across modules; name is not.
        const char* name_key = find_member(entry, "fullname") != nullptr ? "fullname" : "name";
        auto name = require_member(entry, name_key, source, path);
        if (!name) return tl::unexpected(name.error());
        if (!(*name)->is_string() || (*name)->get_ref<const std::string&>().empty())
            return type_error(source, core::json_path(path, name_key), "a non-empty string",
                              **name);
        core::Params params = core::Params::object();
        if (const json* p = find_member(entry, "params")) {
            if (!p->is_object())
                return type_error(source, core::json_path(path, "params"), "an object", *p);
            for (const auto& [key, value] : p->items())
                if (!key.empty()) params[key] = param_value(value);
        }
        if (const json* group = find_member(entry, "group")) {
            if (!group->is_string())
                return type_error(source, core::json_path(path, "group"), "a string", *group);
            if (!group->get_ref<const std::string&>().empty() && !params.contains("group"))
                params["group"] = *group;
        }
        const std::string& full = (*name)->get_ref<const std::string&>();
        const std::string benchmark = find_member(entry, "params") != nullptr && !params.empty()
                                          ? strip_param_id(full)
                                          : full;

        auto stats = require_member(entry, "stats", source, path);
        if (!stats) return tl::unexpected(stats.error());
        const std::string stats_path = core::json_path(path, "stats");
        if (!(*stats)->is_object()) return type_error(source, stats_path, "an object", **stats);
        const json* data = find_member(**stats, "data");
        if (data != nullptr && !data->is_array())
            return type_error(source, core::json_path(stats_path, "data"), "an array of numbers",
                              *data);
        // The rounds are usable when every one is there: some files are trimmed by hand
        // ("... omitted") and then only the statistics describe all rounds.
        const json* rounds = find_member(**stats, "rounds");
        const bool complete =
            data != nullptr && !data->empty() &&
            std::all_of(data->begin(), data->end(), [](const json& v) { return v.is_number(); }) &&
            (rounds == nullptr || !rounds->is_number_integer() ||
             rounds->get<std::int64_t>() == static_cast<std::int64_t>(data->size()));
        if (complete) {
            for (std::size_t j = 0; j < data->size(); ++j)
                if (!series.add_converted(options.suite, benchmark, params, time,
                                          (*data)[j].get<double>()))
                    return core::input_error(
                        source, core::json_path(core::json_path(stats_path, "data"), j),
                        "out of range");
            continue;
        }
        if (data != nullptr && !data->empty()) incomplete.push_back(benchmark);
        auto median = require_member(**stats, "median", source, stats_path);
        if (!median) return tl::unexpected(median.error());
        if (!(*median)->is_number())
            return type_error(source, core::json_path(stats_path, "median"), "a number", **median);
        if (!series.add_converted(options.suite, benchmark, params, time, (*median)->get<double>()))
            return core::input_error(source, core::json_path(stats_path, "median"), "out of range");
        stats_only.push_back(benchmark);
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    if (!incomplete.empty())
        run.notes.push_back(fmt::format(
            "{} benchmark(s) have an incomplete stats.data (fewer numbers than rounds): stored "
            "the median as one sample each",
            incomplete.size()));
    if (stats_only.size() > incomplete.size())
        run.notes.push_back(fmt::format(
            "{} benchmark(s) have statistics but no per-round data (stats.data): stored the "
            "median as one sample each (saved runs keep the rounds only with "
            "--benchmark-save-data)",
            stats_only.size() - incomplete.size()));
    return require_results(std::move(run), source, "the \"benchmarks\" list is empty");
}

}  // namespace perftrack::formats
