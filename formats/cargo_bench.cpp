// libtest's bench output. libtest reports, per benchmark, the median of its samples in
// ns (or us/ms/s) per iteration and the spread (max - min) after "+/-": the median is the one
// sample stored per benchmark and run.
#include "formats/cargo_bench.hpp"

#include <map>

#include <fmt/format.h>

#include "core/units.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

// libtest's MB/s is bytes * 1000 / ns_per_iter: decimal megabytes.
constexpr double k_bytes_per_mb = 1e6;
constexpr std::string_view k_separator = " ... ";

struct LibtestStatus {
    std::string_view name;
    std::string_view outcome;  // text after " ... "
};

std::optional<LibtestStatus> split_test_line(std::string_view line) {
    line = trim(line);
    if (line.substr(0, 5) != "test ") return std::nullopt;
    const auto sep = line.find(k_separator, 5);
    if (sep == std::string_view::npos) return std::nullopt;
    return LibtestStatus{trim(line.substr(5, sep - 5)),
                         trim(line.substr(sep + k_separator.size()))};
}

}  // namespace

core::Result<std::optional<LibtestBench>> parse_libtest_bench_line(std::string_view line,
                                                                   std::string_view source,
                                                                   std::size_t line_number) {
    auto status = split_test_line(line);
    if (!status || status->outcome.substr(0, 6) != "bench:") return std::optional<LibtestBench>{};
    if (status->name.empty()) return line_error(source, line_number, "a bench line without a name");
    const auto tokens = split_whitespace(status->outcome.substr(6));
    if (tokens.size() < 2)
        return line_error(source, line_number,
                          fmt::format("expected \"bench: N ns/iter\" after \"{}\"", status->name));
    const auto value = parse_number_with_commas(tokens[0]);
    if (!value)
        return line_error(
            source, line_number,
            fmt::format("\"{}\" is not a number (benchmark \"{}\")", tokens[0], status->name));
    const std::string_view unit = tokens[1];
    const auto slash = unit.find("/iter");
    const auto factor = slash == std::string_view::npos || slash + 5 != unit.size()
                            ? std::nullopt
                            : core::ns_per_unit(unit.substr(0, slash));
    if (!factor)
        return line_error(source, line_number,
                          fmt::format("unknown unit \"{}\" (expected ns/iter, us/iter, ms/iter or "
                                      "s/iter)",
                                      unit));
    LibtestBench bench{std::string(status->name), *value * *factor, std::nullopt};
    for (std::size_t i = 2; i + 2 < tokens.size(); ++i)
        if (tokens[i] == "=" && tokens[i + 2] == "MB/s") {
            const auto mb = parse_number_with_commas(tokens[i + 1]);
            if (!mb)
                return line_error(source, line_number,
                                  fmt::format("\"{}\" is not a number of MB/s", tokens[i + 1]));
            bench.bytes_per_second = *mb * k_bytes_per_mb;
        }
    return std::optional<LibtestBench>{std::move(bench)};
}

bool sniff_cargo_bench(std::string_view text) {
    LineReader lines(sniff_head(text));
    while (auto line = lines.next()) {
        auto status = split_test_line(*line);
        if (status && status->outcome.substr(0, 6) == "bench:") return true;
    }
    return false;
}

core::Result<core::RunResults> parse_cargo_bench(std::string_view text, std::string_view source,
                                                 const AdapterOptions& options) {
    if (auto ok = require_utf8(text, source); !ok) return tl::unexpected(ok.error());
    core::RunResults run;
    SeriesCollector series(text.size());
    const core::Params params = core::Params::object();
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    const MetricSpec throughput{"throughput", "B/s",
                                direction_for("throughput", core::Direction::higher, options), 1};
    std::vector<std::string> failed;
    std::map<std::string, std::string> messages;  // failed test -> first line of its output
    std::string open_section;                     // "---- NAME stdout ----" being read
    LineReader lines(text);
    while (auto line = lines.next()) {
        const std::string_view t = trim(*line);
        if (t.substr(0, 5) == "---- " && t.size() > 17 &&
            t.substr(t.size() - 12) == " stdout ----") {
            open_section = std::string(t.substr(5, t.size() - 17));
            continue;
        }
        if (!open_section.empty()) {
            if (!t.empty() && !messages.count(open_section))
                messages[open_section] = std::string(t);
            if (!t.empty()) open_section.clear();
            continue;
        }
        auto bench = parse_libtest_bench_line(*line, source, lines.number());
        if (!bench) return tl::unexpected(bench.error());
        if (*bench) {
            const auto& b = **bench;
            if (!series.add_converted(options.suite, b.name, params, time, b.ns_per_iter))
                return line_error(source, lines.number(), "value out of range");
            if (b.bytes_per_second && !series.add_converted(options.suite, b.name, params,
                                                            throughput, *b.bytes_per_second))
                return line_error(source, lines.number(), "value out of range");
            continue;
        }
        if (auto status = split_test_line(*line); status && status->outcome == "FAILED") {
            // Found by fuzzing: "test  ... FAILED" made a failure without a name.
            if (status->name.empty())
                return line_error(source, lines.number(), "a FAILED line without a test name");
            failed.emplace_back(status->name);
        }
    }
    for (const auto& name : failed) {
        auto it = messages.find(name);
        series.add_failure(
            core::BenchmarkFailure{options.suite, name, params,
                                   it == messages.end() ? "FAILED" : "FAILED: " + it->second});
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source,
                           "no \"test NAME ... bench: N ns/iter\" lines (run cargo bench and "
                           "save its standard output)");
}

}  // namespace perftrack::formats
