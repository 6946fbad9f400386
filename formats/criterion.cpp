// Criterion.rs. The console prints, per benchmark, "NAME  time: [low estimate high]" (the name
// on its own line when it is long), optionally "thrpt: [...]", then its comparison with the
// previous run ("change: [...]", "Performance has regressed."), which perftrack does its own
// way and therefore ignores. The estimate is the one sample per benchmark and run.
// estimates.json (one per benchmark, no name inside: the name comes from its path) holds the
// point estimates in ns.
#include "formats/criterion.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "core/json_util.hpp"
#include "core/units.hpp"
#include "formats/adapter_support.hpp"
#include "formats/cargo_bench.hpp"

namespace perftrack::formats {

namespace {

using nlohmann::json;

// Throughput units: criterion prints bytes with binary prefixes (Throughput::Bytes) or decimal
// ones (BytesDecimal), and elements with decimal prefixes.
struct RateUnit {
    std::string_view text;
    std::string_view unit;
    double factor;
};
constexpr RateUnit k_rate_units[] = {
    {"B/s", "B/s", 1},
    {"KiB/s", "B/s", 1024.0},
    {"MiB/s", "B/s", 1024.0 * 1024},
    {"GiB/s", "B/s", 1024.0 * 1024 * 1024},
    {"TiB/s", "B/s", 1024.0 * 1024 * 1024 * 1024},
    {"KB/s", "B/s", 1e3},
    {"MB/s", "B/s", 1e6},
    {"GB/s", "B/s", 1e9},
    {"TB/s", "B/s", 1e12},
    {"elem/s", "elem/s", 1},
    {"Kelem/s", "elem/s", 1e3},
    {"Melem/s", "elem/s", 1e6},
    {"Gelem/s", "elem/s", 1e9},
};

// Finds "<label>:" followed by optional blanks and '[' (the last one on the line, since a name
// may itself contain the label); returns the position of the label or npos.
std::size_t find_labelled_interval(std::string_view line, std::string_view label) {
    std::size_t pos = line.size();
    while (pos > 0) {
        pos = line.rfind(label, pos - 1);
        if (pos == std::string_view::npos) return pos;
        std::size_t i = pos + label.size();
        while (i < line.size() && is_space(line[i])) ++i;
        if (i < line.size() && line[i] == '[') return pos;
        if (pos == 0) break;
    }
    return std::string_view::npos;
}

struct Estimate {
    double value;
    std::string_view unit;
};

// With a throughput, criterion prints "change:" on a line of its own and the relative changes
// as "time: [-1.0% +0.5% +2.0%]" and "thrpt: [...]" below it: percentages, not measurements.
bool is_change_interval(std::string_view rest) {
    const auto open = rest.find('[');
    const auto close = rest.find(']', open);
    return open != std::string_view::npos && close != std::string_view::npos &&
           rest.substr(open, close - open).find('%') != std::string_view::npos;
}

// "[3.4623 µs 3.4632 µs 3.4641 µs]" -> the middle value and its unit.
core::Result<Estimate> middle_of_interval(std::string_view rest, std::string_view source,
                                          std::size_t line_number, std::string_view what) {
    const auto open = rest.find('[');
    const auto close = rest.find(']', open);
    if (open == std::string_view::npos || close == std::string_view::npos)
        return line_error(source, line_number,
                          fmt::format("{}: expected \"[low estimate high]\", the line is cut "
                                      "short",
                                      what));
    const auto tokens = split_whitespace(rest.substr(open + 1, close - open - 1));
    if (tokens.size() != 6)
        return line_error(source, line_number,
                          fmt::format("{}: expected three values with units in [...], got {} "
                                      "words",
                                      what, tokens.size()));
    const auto value = parse_number(tokens[2]);
    if (!value)
        return line_error(source, line_number,
                          fmt::format("{}: \"{}\" is not a number", what, tokens[2]));
    return Estimate{*value, tokens[3]};
}

bool is_estimates_json(std::string_view text) {
    const auto head = sniff_head(text);
    return first_significant_char(head) == '{' &&
           head.find("\"point_estimate\"") != std::string_view::npos &&
           head.find("\"confidence_interval\"") != std::string_view::npos;
}

// target/criterion/<group>/<function>/<value>/new/estimates.json -> "<group>/<function>/<value>".
core::Result<std::string> name_from_path(std::string_view source) {
    std::vector<std::string> parts;
    for (const auto& p : std::filesystem::path(source).lexically_normal())
        if (!p.empty() && p != "/" && p != ".") parts.push_back(p.string());
    if (!parts.empty()) parts.pop_back();  // estimates.json
    if (!parts.empty() && parts.back() == "change")
        return core::fail(core::ErrorKind::input,
                          fmt::format("{}: this is criterion's change/estimates.json (relative "
                                      "changes, not times); ingest new/estimates.json instead",
                                      source));
    if (!parts.empty()) parts.pop_back();  // new, base or a --save-baseline name
    std::size_t first = parts.empty() ? 0 : parts.size() - 1;
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (parts[i] == "criterion") first = i + 1;
    std::string name;
    for (std::size_t i = first; i < parts.size(); ++i) {
        if (!name.empty()) name += '/';
        name += parts[i];
    }
    if (name.empty() || name == "-")
        return core::fail(core::ErrorKind::input,
                          fmt::format("{}: criterion's estimates.json does not name its benchmark "
                                      "and the path does not either; ingest it by its path "
                                      "target/criterion/<benchmark>/new/estimates.json",
                                      source));
    return name;
}

core::Result<core::RunResults> parse_estimates(std::string_view text, std::string_view source,
                                               const AdapterOptions& options) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    if (!doc->is_object()) return type_error(source, "", "a JSON object of estimates", *doc);
    auto name = name_from_path(source);
    if (!name) return tl::unexpected(name.error());
    // Criterion's own headline estimate: the slope of the linear fit when it sampled linearly,
    // else the mean.
    const char* key = find_member(*doc, "slope") != nullptr ? "slope" : "mean";
    auto estimate = require_member(*doc, key, source, "");
    if (!estimate) return tl::unexpected(estimate.error());
    if (!(*estimate)->is_object()) return type_error(source, key, "an object", **estimate);
    auto point = require_member(**estimate, "point_estimate", source, key);
    if (!point) return tl::unexpected(point.error());
    const std::string point_path = core::json_path(key, "point_estimate");
    if (!(*point)->is_number()) return type_error(source, point_path, "a number", **point);
    core::RunResults run;
    SeriesCollector series(text.size());
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    if (!series.add_converted(options.suite, *name, core::Params::object(), time,
                              (*point)->get<double>()))
        return core::input_error(source, point_path, "out of range");
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source, "the estimate is not a positive time");
}

core::Result<core::RunResults> parse_console(std::string_view text, std::string_view source,
                                             const AdapterOptions& options) {
    core::RunResults run;
    SeriesCollector series(text.size());
    const core::Params params = core::Params::object();
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    std::string candidate;  // the last plain line: the name when "time:" starts its own line
    std::string current;    // the benchmark of the last "time:" line, for "thrpt:"
    LineReader lines(text);
    while (auto line = lines.next()) {
        const std::string_view t = trim(*line);
        if (t.empty()) continue;
        auto bench = parse_libtest_bench_line(*line, source, lines.number());
        if (!bench) return tl::unexpected(bench.error());
        if (*bench) {
            if (!series.add_converted(options.suite, (*bench)->name, params, time,
                                      (*bench)->ns_per_iter))
                return line_error(source, lines.number(), "value out of range");
            continue;
        }
        if (const auto pos = find_labelled_interval(*line, "time:");
            pos != std::string_view::npos && !is_change_interval(line->substr(pos))) {
            std::string name(trim(line->substr(0, pos)));
            if (name.empty()) name = candidate;
            if (name.empty())
                return line_error(source, lines.number(), "\"time:\" without a benchmark name");
            auto estimate = middle_of_interval(line->substr(pos), source, lines.number(), name);
            if (!estimate) return tl::unexpected(estimate.error());
            const auto factor = core::ns_per_unit(estimate->unit);
            if (!factor)
                return line_error(
                    source, lines.number(),
                    fmt::format("{}: unknown time unit \"{}\"", name, estimate->unit));
            if (!series.add_converted(options.suite, name, params, time, estimate->value * *factor))
                return line_error(source, lines.number(), "value out of range");
            current = std::move(name);
            candidate.clear();
            continue;
        }
        if (const auto pos = find_labelled_interval(*line, "thrpt:");
            pos != std::string_view::npos && !is_change_interval(line->substr(pos))) {
            if (current.empty())
                return line_error(source, lines.number(), "\"thrpt:\" before any \"time:\" line");
            auto estimate = middle_of_interval(line->substr(pos), source, lines.number(), current);
            if (!estimate) return tl::unexpected(estimate.error());
            const RateUnit* rate = nullptr;
            for (const auto& r : k_rate_units)
                if (r.text == estimate->unit) rate = &r;
            if (rate == nullptr)
                return line_error(
                    source, lines.number(),
                    fmt::format("{}: unknown throughput unit \"{}\"", current, estimate->unit));
            const MetricSpec spec{"throughput", std::string(rate->unit),
                                  direction_for("throughput", core::Direction::higher, options),
                                  rate->factor};
            if (!series.add_converted(options.suite, current, params, spec, estimate->value))
                return line_error(source, lines.number(), "value out of range");
            continue;
        }
        if (find_labelled_interval(*line, "change:") != std::string_view::npos ||
            find_labelled_interval(*line, "time:") != std::string_view::npos ||
            find_labelled_interval(*line, "thrpt:") != std::string_view::npos || t == "change:")
            continue;
        if (t.substr(0, 7) == "thread " && t.find("panicked at") != std::string_view::npos) {
            run.warnings.push_back(fmt::format(
                "line {}: a benchmark panicked ({}): the benchmarks after it did not run",
                lines.number(), t));
            continue;
        }
        candidate = std::string(t);
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source,
                           "no \"NAME time: [low estimate high]\" lines (save the standard "
                           "output of cargo bench)");
}

}  // namespace

bool sniff_criterion(std::string_view text) {
    if (is_estimates_json(text)) return true;
    const auto head = sniff_head(text);
    if (head.find("Criterion.rs") != std::string_view::npos ||
        head.find("Gnuplot not found") != std::string_view::npos)
        return true;
    LineReader lines(head);
    while (auto line = lines.next())
        if (find_labelled_interval(*line, "time:") != std::string_view::npos &&
            line->find(']') != std::string_view::npos)
            return true;
    return false;
}

core::Result<core::RunResults> parse_criterion(std::string_view text, std::string_view source,
                                               const AdapterOptions& options) {
    if (auto ok = require_utf8(text, source); !ok) return tl::unexpected(ok.error());
    if (first_significant_char(text) == '{') return parse_estimates(text, source, options);
    return parse_console(text, source, options);
}

}  // namespace perftrack::formats
