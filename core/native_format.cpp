#include "core/native_format.hpp"

#include <cmath>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "core/json_util.hpp"
#include "core/time.hpp"
#include "core/units.hpp"

// Parsing uses simdjson's DOM (a few hundred MB/s): the native format is what `perftrack run`
// and large CI pipelines ingest, and ingest must keep up with PostgreSQL's COPY (the
// target is 1.5x psql's \copy, README "Speed"). nlohmann is used only to describe syntax errors
// precisely.

namespace perftrack::core {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

struct ContextField {
    const char* key;
    std::optional<std::string> RunContext::*member;
};
constexpr ContextField k_context_fields[] = {
    {"project", &RunContext::project},
    {"testbed", &RunContext::testbed},
    {"branch", &RunContext::branch},
    {"commit", &RunContext::commit},
    {"commit_time", &RunContext::commit_time},
    {"commit_subject", &RunContext::commit_subject},
    {"parent_commit", &RunContext::parent_commit},
    {"run_id", &RunContext::run_id},
    {"run_group", &RunContext::run_group},
    {"shard", &RunContext::shard},
    {"ci_provider", &RunContext::ci_provider},
    {"ci_run_key", &RunContext::ci_run_key},
    {"ci_job_url", &RunContext::ci_job_url},
    {"pull_request", &RunContext::pull_request},
};

std::string known_context_keys() {
    std::string out;
    for (const auto& f : k_context_fields) {
        if (!out.empty()) out += ", ";
        out += f.key;
    }
    return out + ", fingerprint";
}

std::string type_phrase(const element& e) {
    switch (e.type()) {
        case element_type::ARRAY:
            return "an array";
        case element_type::OBJECT:
            return "an object";
        case element_type::STRING:
            return "a string";
        case element_type::BOOL:
            return "a boolean";
        case element_type::NULL_VALUE:
            return "null";
        default:
            return "a number";
    }
}

bool is_number(const element& e) {
    const auto t = e.type();
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

double number_value(const element& e) {
    switch (e.type()) {
        case element_type::INT64:
            return static_cast<double>(int64_t(e));
        case element_type::UINT64:
            return static_cast<double>(uint64_t(e));
        default:
            return double(e);
    }
}

// The raw text of a number, for messages ("got -1").
std::string number_text(const element& e) {
    switch (e.type()) {
        case element_type::INT64:
            return std::to_string(int64_t(e));
        case element_type::UINT64:
            return std::to_string(uint64_t(e));
        default:
            return fmt::format("{}", double(e));
    }
}

// simdjson element -> nlohmann json (params and fingerprint: small objects).
nlohmann::json to_nlohmann(const element& e) {
    switch (e.type()) {
        case element_type::ARRAY: {
            nlohmann::json out = nlohmann::json::array();
            const simdjson::dom::array items = e.get_array().value_unsafe();
            for (element item : items) out.push_back(to_nlohmann(item));
            return out;
        }
        case element_type::OBJECT: {
            nlohmann::json out = nlohmann::json::object();
            const object fields = e.get_object().value_unsafe();
            for (auto f : fields) out[std::string(f.key)] = to_nlohmann(f.value);
            return out;
        }
        case element_type::INT64:
            return int64_t(e);
        case element_type::UINT64:
            return uint64_t(e);
        case element_type::DOUBLE:
            return double(e);
        case element_type::STRING:
            return std::string(std::string_view(e));
        case element_type::BOOL:
            return bool(e);
        case element_type::NULL_VALUE:
            return nullptr;
    }
    return nullptr;
}

std::optional<element> field(const object& obj, std::string_view key) {
    element value;
    if (obj.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
    return value;
}

Result<std::string> require_string(const object& obj, const char* key, std::string_view source,
                                   const std::string& path, bool allow_empty = false) {
    auto value = field(obj, key);
    if (!value) return input_error(source, path, fmt::format("missing required field \"{}\"", key));
    if (value->type() != element_type::STRING)
        return input_error(source, json_path(path, key),
                           fmt::format("expected a string, got {}", type_phrase(*value)));
    std::string text{std::string_view(*value)};
    if (!allow_empty && text.empty())
        return input_error(source, json_path(path, key), "must not be empty");
    return text;
}

Result<void> reject_unknown_keys(const object& obj, std::initializer_list<std::string_view> known,
                                 std::string_view source, const std::string& path) {
    for (auto f : obj) {
        bool ok = false;
        for (auto k : known) ok = ok || f.key == k;
        if (ok) continue;
        std::string list;
        for (auto k : known) {
            if (!list.empty()) list += ", ";
            list += k;
        }
        return input_error(source, json_path(path, f.key),
                           fmt::format("unknown key (known: {})", list));
    }
    return {};
}

Result<RunContext> parse_context(const element& ctx, std::string_view source) {
    RunContext out;
    if (ctx.type() != element_type::OBJECT)
        return input_error(source, "context",
                           fmt::format("expected an object, got {}", type_phrase(ctx)));
    const object fields = ctx.get_object().value_unsafe();
    for (auto f : fields) {
        const std::string key(f.key);
        const std::string path = json_path("context", key);
        if (key == "fingerprint") {
            if (f.value.type() != element_type::OBJECT)
                return input_error(source, path,
                                   fmt::format("expected an object, got {}", type_phrase(f.value)));
            out.fingerprint = to_nlohmann(f.value);
            continue;
        }
        const ContextField* known = nullptr;
        for (const auto& c : k_context_fields)
            if (key == c.key) known = &c;
        if (known == nullptr)
            return input_error(
                source, path, fmt::format("unknown context key (known: {})", known_context_keys()));
        std::string text;
        if (f.value.type() == element_type::STRING) {
            text = std::string(std::string_view(f.value));
        } else if (key == "pull_request" && (f.value.type() == element_type::INT64 ||
                                             f.value.type() == element_type::UINT64)) {
            text = number_text(f.value);
        } else {
            return input_error(source, path,
                               fmt::format("expected a string, got {}", type_phrase(f.value)));
        }
        if (text.empty()) return input_error(source, path, "must not be empty");
        if (key == "commit_time" && !parse_iso8601_us(text))
            return input_error(
                source, path,
                fmt::format("\"{}\" is not an ISO 8601 time such as 2024-05-01T12:30:00Z", text));
        out.*(known->member) = std::move(text);
    }
    return out;
}

Result<Params> parse_params(const object& entry, std::string_view source, const std::string& path) {
    auto value = field(entry, "params");
    if (!value || value->type() == element_type::NULL_VALUE) return Params::object();
    const std::string params_path = json_path(path, "params");
    if (value->type() != element_type::OBJECT)
        return input_error(source, params_path,
                           fmt::format("expected an object, got {}", type_phrase(*value)));
    Params params = Params::object();
    const object fields = value->get_object().value_unsafe();
    for (auto f : fields) {
        if (f.key.empty()) return input_error(source, params_path, "empty key");
        if (f.value.type() != element_type::STRING && !is_number(f.value))
            return input_error(
                source, json_path(params_path, f.key),
                fmt::format("expected a string or a number, got {}", type_phrase(f.value)));
        params[std::string(f.key)] = to_nlohmann(f.value);
    }
    return params;
}

Result<Measurement> parse_result(const element& entry, std::string_view source,
                                 const std::string& path) {
    if (entry.type() != element_type::OBJECT)
        return input_error(source, path,
                           fmt::format("expected an object, got {}", type_phrase(entry)));
    const object obj = entry.get_object().value_unsafe();
    if (auto ok = reject_unknown_keys(
            obj, {"suite", "benchmark", "params", "metric", "unit", "direction", "samples"}, source,
            path);
        !ok)
        return tl::unexpected(ok.error());
    Measurement m;
    if (field(obj, "suite")) {
        auto suite = require_string(obj, "suite", source, path, true);
        if (!suite) return tl::unexpected(suite.error());
        m.series.suite = std::move(*suite);
    }
    auto benchmark = require_string(obj, "benchmark", source, path);
    if (!benchmark) return tl::unexpected(benchmark.error());
    m.series.benchmark = std::move(*benchmark);
    auto params = parse_params(obj, source, path);
    if (!params) return tl::unexpected(params.error());
    m.series.params = std::move(*params);
    auto metric = require_string(obj, "metric", source, path);
    if (!metric) return tl::unexpected(metric.error());
    m.series.metric = std::move(*metric);
    auto unit = require_string(obj, "unit", source, path, true);
    if (!unit) return tl::unexpected(unit.error());
    m.series.unit = std::move(*unit);
    auto direction = require_string(obj, "direction", source, path);
    if (!direction) return tl::unexpected(direction.error());
    auto dir = parse_direction(*direction);
    if (!dir)
        return input_error(source, json_path(path, "direction"),
                           fmt::format("unknown direction \"{}\" (expected \"lower\" or "
                                       "\"higher\")",
                                       *direction));
    m.series.direction = *dir;

    auto samples = field(obj, "samples");
    if (!samples) return input_error(source, path, "missing required field \"samples\"");
    const std::string samples_path = json_path(path, "samples");
    if (samples->type() != element_type::ARRAY)
        return input_error(
            source, samples_path,
            fmt::format("expected an array of numbers, got {}", type_phrase(*samples)));
    const auto array = samples->get_array().value_unsafe();
    const bool is_time = is_time_unit(m.series.unit);
    m.samples.reserve(array.size());
    std::size_t i = 0;
    for (element v : array) {
        if (!is_number(v))
            return input_error(source, json_path(samples_path, i),
                               fmt::format("expected a number, got {}", type_phrase(v)));
        const double x = number_value(v);
        if (!std::isfinite(x))
            return input_error(source, json_path(samples_path, i),
                               "number is out of range (not finite)");
        if (is_time && x <= 0)
            return input_error(source, json_path(samples_path, i),
                               fmt::format("a time must be greater than zero, got {} {}",
                                           number_text(v), m.series.unit));
        m.samples.push_back(x);
        ++i;
    }
    if (m.samples.empty()) return input_error(source, samples_path, "no samples (empty array)");
    return m;
}

Result<BenchmarkFailure> parse_failure(const element& entry, std::string_view source,
                                       const std::string& path) {
    if (entry.type() != element_type::OBJECT)
        return input_error(source, path,
                           fmt::format("expected an object, got {}", type_phrase(entry)));
    const object obj = entry.get_object().value_unsafe();
    if (auto ok =
            reject_unknown_keys(obj, {"suite", "benchmark", "params", "message"}, source, path);
        !ok)
        return tl::unexpected(ok.error());
    BenchmarkFailure f;
    if (field(obj, "suite")) {
        auto suite = require_string(obj, "suite", source, path, true);
        if (!suite) return tl::unexpected(suite.error());
        f.suite = std::move(*suite);
    }
    auto benchmark = require_string(obj, "benchmark", source, path);
    if (!benchmark) return tl::unexpected(benchmark.error());
    f.benchmark = std::move(*benchmark);
    auto params = parse_params(obj, source, path);
    if (!params) return tl::unexpected(params.error());
    f.params = std::move(*params);
    auto message = require_string(obj, "message", source, path, true);
    if (!message) return tl::unexpected(message.error());
    f.message = std::move(*message);
    return f;
}

// simdjson rejected the text: let nlohmann say where and why (line, column, NaN, truncation).
tl::unexpected<Error> syntax_error(std::string_view text, std::string_view source,
                                   simdjson::error_code code) {
    auto precise = parse_json_document(text, source);
    if (!precise) return tl::unexpected(precise.error());
    // Valid JSON that simdjson cannot represent (an integer beyond 64 bits).
    return input_error(source, "",
                       fmt::format("unsupported JSON: {}", simdjson::error_message(code)));
}

}  // namespace

Result<RunResults> parse_native(std::string_view text, std::string_view source) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return fail(ErrorKind::input, fmt::format("{}: file is empty, expected JSON", source));
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(text);
    element doc;
    if (auto code = parser.parse(padded).get(doc); code != simdjson::SUCCESS)
        return syntax_error(text, source, code);
    if (doc.type() != element_type::OBJECT)
        return input_error(
            source, "",
            fmt::format("expected a JSON object at the top level, got {}", type_phrase(doc)));
    const object top = doc.get_object().value_unsafe();
    if (auto ok =
            reject_unknown_keys(top, {"version", "context", "results", "failures"}, source, "");
        !ok)
        return tl::unexpected(ok.error());
    auto version = field(top, "version");
    if (!version) return input_error(source, "", "missing required field \"version\" (expected 1)");
    if ((version->type() != element_type::INT64 && version->type() != element_type::UINT64) ||
        number_value(*version) != k_native_format_version)
        return input_error(
            source, "version",
            fmt::format("unsupported version {} (this perftrack reads version {})",
                        is_number(*version) ? number_text(*version) : type_phrase(*version),
                        k_native_format_version));
    RunResults run;
    if (auto ctx = field(top, "context"); ctx && ctx->type() != element_type::NULL_VALUE) {
        auto parsed = parse_context(*ctx, source);
        if (!parsed) return tl::unexpected(parsed.error());
        run.context = std::move(*parsed);
    }
    auto results = field(top, "results");
    if (!results) return input_error(source, "", "missing required field \"results\"");
    if (results->type() != element_type::ARRAY)
        return input_error(source, "results",
                           fmt::format("expected an array, got {}", type_phrase(*results)));
    std::unordered_map<std::string, std::size_t> seen;
    std::size_t index = 0;
    const simdjson::dom::array entries = results->get_array().value_unsafe();
    for (element entry : entries) {
        const std::string path = json_path("results", index);
        auto m = parse_result(entry, source, path);
        if (!m) return tl::unexpected(m.error());
        auto [it, inserted] = seen.emplace(m->series.key(), index);
        if (!inserted)
            return input_error(
                source, path,
                fmt::format("duplicate series: benchmark \"{}\" with the same params "
                            "and metric \"{}\" is already in results[{}]",
                            m->series.benchmark, m->series.metric, it->second));
        run.measurements.push_back(std::move(*m));
        ++index;
    }
    if (auto failures = field(top, "failures"); failures) {
        if (failures->type() != element_type::ARRAY)
            return input_error(source, "failures",
                               fmt::format("expected an array, got {}", type_phrase(*failures)));
        std::size_t i = 0;
        const simdjson::dom::array failure_entries = failures->get_array().value_unsafe();
        for (element entry : failure_entries) {
            auto f = parse_failure(entry, source, json_path("failures", i++));
            if (!f) return tl::unexpected(f.error());
            run.failures.push_back(std::move(*f));
        }
    }
    if (run.measurements.empty() && run.failures.empty())
        return input_error(source, "results", "no results (empty list): nothing to store");
    return run;
}

std::string to_native_json(const RunResults& run) {
    using nlohmann::json;
    json doc = json::object();
    doc["version"] = k_native_format_version;
    json ctx = json::object();
    for (const auto& f : k_context_fields)
        if (const auto& v = run.context.*(f.member)) ctx[f.key] = *v;
    if (run.context.fingerprint.is_object() && !run.context.fingerprint.empty())
        ctx["fingerprint"] = run.context.fingerprint;
    doc["context"] = std::move(ctx);
    json results = json::array();
    for (const auto& m : run.measurements) {
        json e = json::object();
        if (!m.series.suite.empty()) e["suite"] = m.series.suite;
        e["benchmark"] = m.series.benchmark;
        e["params"] = m.series.params;
        e["metric"] = m.series.metric;
        e["unit"] = m.series.unit;
        e["direction"] = std::string(to_string(m.series.direction));
        e["samples"] = m.samples;
        results.push_back(std::move(e));
    }
    doc["results"] = std::move(results);
    if (!run.failures.empty()) {
        json failures = json::array();
        for (const auto& f : run.failures) {
            json e = json::object();
            if (!f.suite.empty()) e["suite"] = f.suite;
            e["benchmark"] = f.benchmark;
            e["params"] = f.params;
            e["message"] = f.message;
            failures.push_back(std::move(e));
        }
        doc["failures"] = std::move(failures);
    }
    return doc.dump(1);
}

}  // namespace perftrack::core
