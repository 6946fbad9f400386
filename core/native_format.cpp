#include "core/native_format.hpp"

#include <cmath>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "core/time.hpp"
#include "core/units.hpp"

namespace perftrack::core {

namespace {

using nlohmann::json;

// Context keys, in the order they are written back.
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

Result<std::string> require_string(const json& obj, const char* key, std::string_view source,
                                   const std::string& path, bool allow_empty = false) {
    auto it = obj.find(key);
    if (it == obj.end())
        return input_error(source, path, fmt::format("missing required field \"{}\"", key));
    if (!it->is_string())
        return input_error(source, json_path(path, key),
                           fmt::format("expected a string, got {}", json_type_phrase(*it)));
    auto value = it->get<std::string>();
    if (!allow_empty && value.empty())
        return input_error(source, json_path(path, key), "must not be empty");
    return value;
}

Result<RunContext> parse_context(const json& ctx, std::string_view source) {
    RunContext out;
    if (!ctx.is_object())
        return input_error(source, "context",
                           fmt::format("expected an object, got {}", json_type_phrase(ctx)));
    for (const auto& [key, value] : ctx.items()) {
        const std::string path = json_path("context", key);
        if (key == "fingerprint") {
            if (!value.is_object())
                return input_error(source, path, fmt::format("expected an object, got {}",
                                                             json_type_phrase(value)));
            out.fingerprint = value;
            continue;
        }
        const ContextField* field = nullptr;
        for (const auto& f : k_context_fields)
            if (key == f.key) field = &f;
        if (field == nullptr)
            return input_error(source, path,
                               fmt::format("unknown context key (known: {})", known_context_keys()));
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_number_integer() && key == "pull_request") {
            text = value.dump();
        } else {
            return input_error(source, path,
                               fmt::format("expected a string, got {}", json_type_phrase(value)));
        }
        if (text.empty()) return input_error(source, path, "must not be empty");
        if (key == "commit_time" && !parse_iso8601_us(text))
            return input_error(source, path,
                               fmt::format("\"{}\" is not an ISO 8601 time such as "
                                           "2024-05-01T12:30:00Z",
                                           text));
        out.*(field->member) = std::move(text);
    }
    return out;
}

Result<Params> parse_params(const json& entry, std::string_view source, const std::string& path) {
    auto it = entry.find("params");
    if (it == entry.end() || it->is_null()) return Params::object();
    if (!it->is_object())
        return input_error(source, json_path(path, "params"),
                           fmt::format("expected an object, got {}", json_type_phrase(*it)));
    for (const auto& [key, value] : it->items()) {
        if (key.empty()) return input_error(source, json_path(path, "params"), "empty key");
        if (!value.is_string() && !value.is_number())
            return input_error(source, json_path(json_path(path, "params"), key),
                               fmt::format("expected a string or a number, got {}",
                                           json_type_phrase(value)));
        if (value.is_number_float() && !std::isfinite(value.get<double>()))
            return input_error(source, json_path(json_path(path, "params"), key),
                               "must be a finite number");
    }
    return *it;
}

Result<void> reject_unknown_keys(const json& obj, std::initializer_list<std::string_view> known,
                                 std::string_view source, const std::string& path) {
    for (const auto& [key, value] : obj.items()) {
        bool ok = false;
        for (auto k : known) ok = ok || key == k;
        if (!ok) {
            std::string list;
            for (auto k : known) {
                if (!list.empty()) list += ", ";
                list += k;
            }
            return input_error(source, json_path(path, key),
                               fmt::format("unknown key (known: {})", list));
        }
    }
    return {};
}

Result<Measurement> parse_result(const json& entry, std::string_view source,
                                 const std::string& path) {
    if (!entry.is_object())
        return input_error(source, path,
                           fmt::format("expected an object, got {}", json_type_phrase(entry)));
    if (auto ok = reject_unknown_keys(
            entry, {"suite", "benchmark", "params", "metric", "unit", "direction", "samples"},
            source, path);
        !ok)
        return tl::unexpected(ok.error());
    Measurement m;
    if (entry.contains("suite")) {
        auto suite = require_string(entry, "suite", source, path, true);
        if (!suite) return tl::unexpected(suite.error());
        m.suite = *suite;
    }
    auto benchmark = require_string(entry, "benchmark", source, path);
    if (!benchmark) return tl::unexpected(benchmark.error());
    m.benchmark = *benchmark;
    auto params = parse_params(entry, source, path);
    if (!params) return tl::unexpected(params.error());
    m.params = *params;
    auto metric = require_string(entry, "metric", source, path);
    if (!metric) return tl::unexpected(metric.error());
    m.metric = *metric;
    auto unit = require_string(entry, "unit", source, path, true);
    if (!unit) return tl::unexpected(unit.error());
    m.unit = *unit;
    auto direction = require_string(entry, "direction", source, path);
    if (!direction) return tl::unexpected(direction.error());
    auto dir = parse_direction(*direction);
    if (!dir)
        return input_error(source, json_path(path, "direction"),
                           fmt::format("unknown direction \"{}\" (expected \"lower\" or "
                                       "\"higher\")",
                                       *direction));
    m.direction = *dir;

    auto it = entry.find("samples");
    if (it == entry.end()) return input_error(source, path, "missing required field \"samples\"");
    const std::string samples_path = json_path(path, "samples");
    if (!it->is_array())
        return input_error(source, samples_path,
                           fmt::format("expected an array of numbers, got {}",
                                       json_type_phrase(*it)));
    if (it->empty()) return input_error(source, samples_path, "no samples (empty array)");
    const bool is_time = is_time_unit(m.unit);
    m.samples.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& v = (*it)[i];
        if (!v.is_number())
            return input_error(source, json_path(samples_path, i),
                               fmt::format("expected a number, got {}", json_type_phrase(v)));
        const double x = v.get<double>();
        if (!std::isfinite(x))
            return input_error(source, json_path(samples_path, i),
                               "number is out of range (not finite)");
        if (is_time && x <= 0)
            return input_error(
                source, json_path(samples_path, i),
                fmt::format("a time must be greater than zero, got {} {}", v.dump(), m.unit));
        m.samples.push_back(x);
    }
    return m;
}

Result<BenchmarkFailure> parse_failure(const json& entry, std::string_view source,
                                       const std::string& path) {
    if (!entry.is_object())
        return input_error(source, path,
                           fmt::format("expected an object, got {}", json_type_phrase(entry)));
    if (auto ok = reject_unknown_keys(entry, {"suite", "benchmark", "params", "message"}, source,
                                      path);
        !ok)
        return tl::unexpected(ok.error());
    BenchmarkFailure f;
    if (entry.contains("suite")) {
        auto suite = require_string(entry, "suite", source, path, true);
        if (!suite) return tl::unexpected(suite.error());
        f.suite = *suite;
    }
    auto benchmark = require_string(entry, "benchmark", source, path);
    if (!benchmark) return tl::unexpected(benchmark.error());
    f.benchmark = *benchmark;
    auto params = parse_params(entry, source, path);
    if (!params) return tl::unexpected(params.error());
    f.params = *params;
    auto message = require_string(entry, "message", source, path, true);
    if (!message) return tl::unexpected(message.error());
    f.message = *message;
    return f;
}

}  // namespace

Result<RunResults> parse_native(std::string_view text, std::string_view source) {
    auto doc = parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_object())
        return input_error(source, "", fmt::format("expected a JSON object at the top level, got {}",
                                                   json_type_phrase(*doc)));
    if (auto ok = reject_unknown_keys(*doc, {"version", "context", "results", "failures"}, source,
                                      "");
        !ok)
        return tl::unexpected(ok.error());
    auto version = doc->find("version");
    if (version == doc->end())
        return input_error(source, "", "missing required field \"version\" (expected 1)");
    if (!version->is_number_integer() || version->get<long long>() != k_native_format_version)
        return input_error(source, "version",
                           fmt::format("unsupported version {} (this perftrack reads version {})",
                                       version->dump(), k_native_format_version));
    RunResults run;
    if (auto ctx = doc->find("context"); ctx != doc->end() && !ctx->is_null()) {
        auto parsed = parse_context(*ctx, source);
        if (!parsed) return tl::unexpected(parsed.error());
        run.context = std::move(*parsed);
    }
    auto results = doc->find("results");
    if (results == doc->end()) return input_error(source, "", "missing required field \"results\"");
    if (!results->is_array())
        return input_error(source, "results",
                           fmt::format("expected an array, got {}", json_type_phrase(*results)));
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < results->size(); ++i) {
        const std::string path = json_path("results", i);
        auto m = parse_result((*results)[i], source, path);
        if (!m) return tl::unexpected(m.error());
        auto [it, inserted] = seen.emplace(series_key(*m), i);
        if (!inserted)
            return input_error(source, path,
                               fmt::format("duplicate series: benchmark \"{}\" with the same params "
                                           "and metric \"{}\" is already in results[{}]",
                                           m->benchmark, m->metric, it->second));
        run.measurements.push_back(std::move(*m));
    }
    if (auto failures = doc->find("failures"); failures != doc->end()) {
        if (!failures->is_array())
            return input_error(source, "failures",
                               fmt::format("expected an array, got {}", json_type_phrase(*failures)));
        for (std::size_t i = 0; i < failures->size(); ++i) {
            auto f = parse_failure((*failures)[i], source, json_path("failures", i));
            if (!f) return tl::unexpected(f.error());
            run.failures.push_back(std::move(*f));
        }
    }
    if (run.measurements.empty() && run.failures.empty())
        return input_error(source, "results", "no results (empty list): nothing to store");
    return run;
}

std::string to_native_json(const RunResults& run) {
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
        if (!m.suite.empty()) e["suite"] = m.suite;
        e["benchmark"] = m.benchmark;
        e["params"] = m.params;
        e["metric"] = m.metric;
        e["unit"] = m.unit;
        e["direction"] = std::string(to_string(m.direction));
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
