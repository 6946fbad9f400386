// `go test -bench` text, read as the Go benchmark data format describes it
// (golang.org/design/14313-benchmark-format): result lines "BenchmarkName-P  N  value unit
// [value unit]...", configuration lines "key: value" that apply to the results after them, and
// "Unit unit key=value" metadata lines. -count N repeats a result line: each is one sample.
#include "formats/gobench.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/units.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

// Go's MB/s is 10^6 bytes per second (testing.BenchmarkResult.mbPerSec).
constexpr double k_bytes_per_mb = 1e6;

// The configuration keys that describe the machine (fingerprint) or the package (suite); every
// other configuration key is a param of the results after it.
constexpr std::string_view k_machine_keys[] = {"goos", "goarch", "cpu"};

bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}

// "Benchmark" followed by the end of the word or a character that is not a lower-case letter
// (Go's rule for benchmark function names, so "Benchmarks" or "Benchmarking" do not count).
bool starts_result(std::string_view line) {
    if (line.substr(0, 9) != "Benchmark") return false;
    return line.size() == 9 || !is_lower(line[9]);
}

// "key: value" at the start of the line, key = lower-case letter then no blanks, upper-case
// letters or colons.
std::optional<std::pair<std::string_view, std::string_view>> config_line(std::string_view line) {
    if (line.empty() || !is_lower(line[0])) return std::nullopt;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    for (char c : line.substr(0, colon))
        if (is_space(c) || (c >= 'A' && c <= 'Z')) return std::nullopt;
    if (colon + 1 < line.size() && !is_space(line[colon + 1])) return std::nullopt;
    return std::pair{line.substr(0, colon), trim(line.substr(colon + 1))};
}

// What a Go unit becomes. Custom units keep their text as the metric name; rates ("/s") are
// better higher, as benchstat assumes; `better` comes from "Unit X better=higher" lines.
MetricSpec metric_for_unit(std::string_view unit,
                           const std::map<std::string, core::Direction>& better,
                           const AdapterOptions& options) {
    MetricSpec spec;
    if (unit == "ns/op" || unit == "sec/op") {
        spec = {"time", "ns", core::Direction::lower, unit == "ns/op" ? 1.0 : 1e9};
    } else if (unit == "MB/s") {
        spec = {"throughput", "B/s", core::Direction::higher, k_bytes_per_mb};
    } else if (unit == "B/s") {
        spec = {"throughput", "B/s", core::Direction::higher, 1};
    } else if (unit == "B/op") {
        spec = {"alloc_bytes", "B", core::Direction::lower, 1};
    } else if (unit == "allocs/op") {
        spec = {"allocs", "", core::Direction::lower, 1};
    } else {
        const bool rate = unit.size() > 2 && unit.substr(unit.size() - 2) == "/s";
        spec = {std::string(unit), "", rate ? core::Direction::higher : core::Direction::lower, 1};
    }
    if (auto it = better.find(std::string(unit)); it != better.end()) spec.direction = it->second;
    spec.direction = direction_for(spec.name, spec.direction, options);
    return spec;
}

// "BenchmarkEncode/format=json-48" -> "BenchmarkEncode" {format:"json", gomaxprocs:48}: the -P
// suffix is GOMAXPROCS (Go's tools call it "gomaxprocs"), key=value sub-benchmark names are params.
NameAndParams go_identity(std::string_view name) {
    std::optional<long long> procs;
    if (const auto dash = name.rfind('-');
        dash != std::string_view::npos && dash + 1 < name.size()) {
        const auto digits = name.substr(dash + 1);
        bool all_digits = digits.size() <= 9;
        for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
        if (all_digits) {
            procs = std::stoll(std::string(digits));
            name = name.substr(0, dash);
        }
    }
    NameAndParams identity = split_named_segments(name, '=');
    if (procs) identity.params["gomaxprocs"] = *procs;
    return identity;
}

struct GoResult {
    NameAndParams identity;
    std::vector<std::pair<std::string_view, double>> values;  // unit, value
};

// A result line split into name, iterations and value/unit pairs; nullopt when the line is not a
// result (a benchmark's log output starts with its name too), an error when it is one with a
// value that is not a number.
core::Result<std::optional<GoResult>> result_line(std::string_view line, std::string_view source,
                                                  std::size_t number) {
    if (!starts_result(line)) return std::optional<GoResult>{};
    const auto fields = split_whitespace(line);
    if (fields.size() < 4) return std::optional<GoResult>{};
    for (char c : fields[1])
        if (c < '0' || c > '9') return std::optional<GoResult>{};
    if (fields.size() % 2 != 0)
        return line_error(source, number,
                          fmt::format("{}: expected value/unit pairs after the iteration count, "
                                      "got an odd number of fields",
                                      fields[0]));
    GoResult r;
    r.identity = go_identity(fields[0]);
    for (std::size_t i = 2; i + 1 < fields.size(); i += 2) {
        const auto value = parse_number(fields[i]);
        if (!value)
            return line_error(source, number,
                              fmt::format("{}: \"{}\" is not a number (before unit \"{}\")",
                                          fields[0], fields[i], fields[i + 1]));
        r.values.emplace_back(fields[i + 1], *value);
    }
    return std::optional<GoResult>{std::move(r)};
}

}  // namespace

bool sniff_gobench(std::string_view text) {
    LineReader lines(sniff_head(text));
    while (auto line = lines.next()) {
        auto r = result_line(trim(*line), "", 0);
        if (r && *r) return true;
    }
    return false;
}

core::Result<core::RunResults> parse_gobench(std::string_view text, std::string_view source,
                                             const AdapterOptions& options) {
    if (auto ok = require_utf8(text, source); !ok) return tl::unexpected(ok.error());
    core::RunResults run;
    SeriesCollector series(text.size());
    std::string suite = options.suite;
    core::Params config = core::Params::object();
    std::map<std::string, core::Direction> better;
    std::string failing;  // "--- FAIL: BenchmarkX" whose message is the next indented line
    auto add_failure = [&](std::string message) {
        const NameAndParams id = go_identity(failing);
        core::Params params = config;
        for (const auto& [key, value] : id.params.items()) params[key] = value;
        series.add_failure(core::BenchmarkFailure{suite, id.benchmark, params, std::move(message)});
        failing.clear();
    };
    LineReader lines(text);
    while (auto raw = lines.next()) {
        // Once the collector refused something, finish() reports it: no need to read on.
        if (series.failed()) break;
        const std::string_view line = trim(*raw);
        if (!failing.empty()) {
            // The test's log follows its "--- FAIL:" line, indented.
            const bool indented = !raw->empty() && is_space(raw->front()) && !line.empty();
            add_failure(indented ? "FAIL: " + std::string(line) : "FAIL");
            if (indented) continue;
        }
        if (line.substr(0, 10) == "--- FAIL: ") {
            const auto words = split_whitespace(line.substr(10));
            if (!words.empty() && starts_result(words[0])) failing = std::string(words[0]);
            continue;
        }
        if (line.substr(0, 5) == "Unit ") {
            const auto words = split_whitespace(line.substr(5));
            for (std::size_t i = 1; i < words.size(); ++i)
                if (words[i] == "better=higher")
                    better[std::string(words[0])] = core::Direction::higher;
                else if (words[i] == "better=lower")
                    better[std::string(words[0])] = core::Direction::lower;
            continue;
        }
        // Configuration lines start in column 0; a benchmark's own log output is indented.
        if (auto kv = config_line(*raw)) {
            const std::string key(kv->first);
            if (key == "pkg") {
                suite = kv->second.empty() ? options.suite : std::string(kv->second);
            } else if (std::find(std::begin(k_machine_keys), std::end(k_machine_keys), key) !=
                       std::end(k_machine_keys)) {
                if (!kv->second.empty()) run.context.fingerprint[key] = std::string(kv->second);
            } else if (kv->second.empty()) {
                config.erase(key);
            } else {
                config[key] = param_value(kv->second);
            }
            continue;
        }
        auto result = result_line(line, source, lines.number());
        if (!result) return tl::unexpected(result.error());
        if (!*result) continue;
        core::Params params = config;
        for (const auto& [key, value] : (*result)->identity.params.items()) params[key] = value;
        for (const auto& [unit, value] : (*result)->values) {
            const MetricSpec spec = metric_for_unit(unit, better, options);
            if (!series.add_converted(suite, (*result)->identity.benchmark, params, spec, value))
                return line_error(source, lines.number(), "value out of range");
        }
    }
    if (!failing.empty()) add_failure("FAIL");
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source,
                           "no \"BenchmarkName  N  value ns/op\" lines (save the standard output "
                           "of go test -bench)");
}

}  // namespace perftrack::formats
