// github-action-benchmark's "custom" input: [{"name", "unit", "value", "range"?, "extra"?}]. The
// file does not say which way is better (the action's tool setting does), so the metric "value"
// is lower-is-better unless --direction value=higher (customBiggerIsBetter).
#include "formats/gab_json.hpp"

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {
using nlohmann::json;
constexpr const char* k_metric = "value";
}  // namespace

bool sniff_gab_json(std::string_view text) {
    const auto head = sniff_head(text);
    if (first_significant_char(head) != '[') return false;
    const auto open = head.find('[');
    const auto brace = head.find('{', open);
    if (brace == std::string_view::npos || !trim(head.substr(open + 1, brace - open - 1)).empty())
        return false;
    const auto close = head.find('}', brace);
    const auto first = head.substr(brace, close == std::string_view::npos ? head.size() : close);
    return first.find("\"name\"") != std::string_view::npos &&
           first.find("\"unit\"") != std::string_view::npos &&
           first.find("\"value\"") != std::string_view::npos;
}

core::Result<core::RunResults> parse_gab_json(std::string_view text, std::string_view source,
                                              const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_array())
        return type_error(source, "", "a JSON array of {\"name\", \"unit\", \"value\"}", *doc);
    core::RunResults run;
    SeriesCollector series(text.size());
    const core::Params params = core::Params::object();
    for (std::size_t i = 0; i < doc->size(); ++i) {
        const json& entry = (*doc)[i];
        const std::string path = core::json_path("", i);
        if (!entry.is_object()) return type_error(source, path, "an object", entry);
        std::string fields[2];
        const char* keys[2] = {"name", "unit"};
        for (int k = 0; k < 2; ++k) {
            auto v = require_member(entry, keys[k], source, path);
            if (!v) return tl::unexpected(v.error());
            if (!(*v)->is_string())
                return type_error(source, core::json_path(path, keys[k]), "a string", **v);
            fields[k] = (*v)->get<std::string>();
        }
        if (fields[0].empty())
            return core::input_error(source, core::json_path(path, "name"), "must not be empty");
        auto value = require_member(entry, "value", source, path);
        if (!value) return tl::unexpected(value.error());
        if (!(*value)->is_number())
            return type_error(source, core::json_path(path, "value"), "a number", **value);
        MetricSpec spec = canonical_unit(k_metric, fields[1], core::Direction::lower);
        apply_overrides(spec, k_metric, options);
        if (!series.add_converted(options.suite, fields[0], params, spec, (*value)->get<double>()))
            return core::input_error(source, core::json_path(path, "value"), "out of range");
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source, "the array is empty");
}

}  // namespace perftrack::formats
