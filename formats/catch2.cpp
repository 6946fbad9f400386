// Catch2 reports, per BENCHMARK, the mean of its samples (with bootstrap bounds) and the
// standard deviation; neither reporter lists the samples themselves, so the mean is the one
// sample per benchmark and run. A benchmark is named after its test case, the sections it runs
// in and its own name, joined with '/', the same way from XML and from console output.
#include "formats/catch2.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/text_position.hpp"
#include "core/units.hpp"
#include "formats/adapter_support.hpp"

namespace perftrack::formats {

namespace {

std::string join_path(const std::vector<std::string>& scope, std::string_view name) {
    // The console's headers: test case, then sections.
    std::string out;
    for (const auto& s : scope) {
        out += s;
        out += '/';
    }
    out += name;
    return out;
}

// ---- XML

core::Result<core::RunResults> parse_xml(std::string_view text, std::string_view source,
                                         const AdapterOptions& options) {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed =
        doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        const auto [line, col] = core::line_column(
            text, parsed.offset < 0 ? 0 : static_cast<std::size_t>(parsed.offset));
        return core::fail(core::ErrorKind::input,
                          fmt::format("{}: invalid XML at line {}, column {}: {}", source, line,
                                      col, parsed.description()));
    }
    const pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "Catch" &&
        std::string_view(root.name()) != "Catch2TestRun")
        return core::fail(core::ErrorKind::input,
                          fmt::format("{}: root element <{}> is not Catch2's (<Catch> or "
                                      "<Catch2TestRun>)",
                                      source, root.name()));
    // pugixml's traversal is iterative: deep nesting costs no stack. The walker keeps the names
    // of the test case and sections around the current node, with the depth of each.
    struct Walker : pugi::xml_tree_walker {
        std::string_view text, source;
        const AdapterOptions* options = nullptr;
        SeriesCollector* series = nullptr;
        MetricSpec time;
        std::vector<std::pair<int, std::string>> scope;
        std::size_t scope_bytes = 0;
        std::optional<core::Error> error;

        void leave_to(int d) {
            while (!scope.empty() && scope.back().first >= d) {
                scope_bytes -= scope.back().second.size() + 1;
                scope.pop_back();
            }
        }
        bool fail(const pugi::xml_node& node, std::string_view problem) {
            const auto line =
                core::line_column(text, static_cast<std::size_t>(
                                            std::max<std::ptrdiff_t>(0, node.offset_debug())))
                    .first;
            error = core::Error{
                core::ErrorKind::input,
                fmt::format("{}: <{}> at line {}{}", source, node.name(), line, problem),
                {}};
            return false;
        }
        bool for_each(pugi::xml_node& node) override {
            const std::string_view tag = node.name();
            if (tag == "TestCase" || tag == "Section") {
                leave_to(depth());
                scope.emplace_back(depth(), std::string(trim(node.attribute("name").as_string())));
                scope_bytes += scope.back().second.size() + 1;
                // The joined name could not be stored: stop before building it again and again.
                if (scope_bytes > k_max_benchmark_name_bytes)
                    return fail(node, fmt::format(": test case and section names longer than {} "
                                                  "bytes together",
                                                  k_max_benchmark_name_bytes));
                return true;
            }
            if (tag != "BenchmarkResults") return true;
            leave_to(depth());
            const std::string name(trim(node.attribute("name").as_string()));
            if (name.empty()) return fail(node, ": missing attribute name");
            std::string benchmark;
            for (const auto& [d, s] : scope) benchmark.append(s).append(1, '/');
            benchmark += name;
            const core::Params none = core::Params::object();
            if (const pugi::xml_node failed = node.child("failed")) {
                std::string message = failed.attribute("message").as_string();
                series->add_failure(core::BenchmarkFailure{options->suite, benchmark, none,
                                                           message.empty() ? "failed" : message});
                return !series->failed();
            }
            const pugi::xml_node mean = node.child("mean");
            if (!mean) return fail(node, fmt::format(" (\"{}\"): no <mean> and no <failed>", name));
            const auto value = parse_number(mean.attribute("value").as_string());
            if (!value)
                return fail(node, fmt::format(" (\"{}\"): <mean value=\"{}\"> is not a number",
                                              name, mean.attribute("value").as_string()));
            // Catch2 writes "All values in nano seconds".
            if (!series->add_converted(options->suite, benchmark, none, time, *value))
                return fail(node, ": value out of range");
            return !series->failed();
        }
    };
    core::RunResults run;
    SeriesCollector series(text.size());
    Walker walker;
    walker.text = text;
    walker.source = source;
    walker.options = &options;
    walker.series = &series;
    walker.time = {"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    doc.traverse(walker);
    if (walker.error) return tl::unexpected(*walker.error);
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source, "no <BenchmarkResults> elements");
}

// ---- console

bool is_rule(std::string_view line, char c) {
    line = trim(line);
    if (line.size() < 20) return false;
    for (char ch : line)
        if (ch != c) return false;
    return true;
}

// The values at the end of a table line: `count` numbers, each followed by a unit when
// `with_units`; returns the text before them (part of a wrapped benchmark name) and the values
// with their units.
struct TableCells {
    std::string_view prefix;
    std::vector<std::pair<double, std::string_view>> values;
};

std::optional<TableCells> trailing_cells(std::string_view line,
                                         const std::vector<bool>& with_units) {
    const auto words = split_whitespace(line);
    std::size_t needed = 0;
    for (bool u : with_units) needed += u ? 2 : 1;
    if (words.size() < needed) return std::nullopt;
    TableCells cells;
    std::size_t w = words.size() - needed;
    for (bool u : with_units) {
        const auto value = parse_number(words[w]);
        if (!value) return std::nullopt;
        std::string_view unit;
        if (u) {
            unit = words[w + 1];
            if (!core::ns_per_unit(unit)) return std::nullopt;
        }
        cells.values.emplace_back(*value, unit);
        w += u ? 2 : 1;
    }
    const std::size_t first = words.size() - needed;
    cells.prefix =
        first == 0
            ? std::string_view()
            : trim(line.substr(0, static_cast<std::size_t>(words[first].data() - line.data())));
    return cells;
}

core::Result<core::RunResults> parse_console(std::string_view text, std::string_view source,
                                             const AdapterOptions& options) {
    core::RunResults run;
    SeriesCollector series(text.size());
    const core::Params params = core::Params::object();
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    const std::vector<bool> first_row{false, false, true};  // samples, iterations, estimated
    const std::vector<bool> value_row{true, true, true};    // mean/low/high or std dev rows
    enum class State { outside, header, table_head, table } state = State::outside;
    std::vector<std::string> scope;  // test case, then sections
    std::size_t scope_bytes = 0;
    LineReader lines(text);
    // Once the collector refused something, finish() reports it: no need to read on.
    while (auto line = lines.next()) {
        if (series.failed()) break;
        switch (state) {
            case State::outside:
                if (is_rule(*line, '-')) {
                    scope.clear();
                    scope_bytes = 0;
                    state = State::header;
                } else if (trim(*line).substr(0, 14) == "benchmark name") {
                    state = State::table_head;
                }
                break;
            case State::header:
                // Test case name, then one indented line per section, until the closing rule.
                if (is_rule(*line, '-')) {
                    state = State::outside;
                } else if (!trim(*line).empty()) {
                    scope.emplace_back(trim(*line));
                    scope_bytes += scope.back().size() + 1;
                    if (scope_bytes > k_max_benchmark_name_bytes)
                        return line_error(source, lines.number(),
                                          fmt::format("test case and section names longer than "
                                                      "{} bytes together",
                                                      k_max_benchmark_name_bytes));
                }
                break;
            case State::table_head:
                if (is_rule(*line, '-')) state = State::table;
                break;
            case State::table: {
                if (trim(*line).empty()) break;
                if (is_rule(*line, '-') || is_rule(*line, '=')) {
                    state = is_rule(*line, '-') ? State::header : State::outside;
                    scope.clear();
                    scope_bytes = 0;
                    break;
                }
                const std::size_t first_line = lines.number();
                auto head = trailing_cells(*line, first_row);
                if (!head) {
                    state = State::outside;
                    break;
                }
                std::string name(head->prefix);
                double mean_ns = 0;
                for (int row = 0; row < 2; ++row) {
                    auto next = lines.next();
                    const char* what = row == 0 ? "mean" : "std dev";
                    if (!next)
                        return line_error(source, lines.number(),
                                          fmt::format("benchmark \"{}\" (line {}) is cut short "
                                                      "before its {} line",
                                                      name, first_line, what));
                    auto cells = trailing_cells(*next, value_row);
                    if (!cells)
                        return line_error(source, lines.number(),
                                          fmt::format("expected the {} line of benchmark \"{}\" "
                                                      "(three values with time units)",
                                                      what, name));
                    if (!cells->prefix.empty()) {
                        if (!name.empty()) name += ' ';
                        name += cells->prefix;
                    }
                    if (row == 0)
                        mean_ns =
                            cells->values[0].first * *core::ns_per_unit(cells->values[0].second);
                }
                if (name.empty())
                    return line_error(source, first_line, "a benchmark row without a name");
                if (!series.add_converted(options.suite, join_path(scope, name), params, time,
                                          mean_ns))
                    return line_error(source, first_line, "value out of range");
                break;
            }
        }
    }
    if (auto ok = series.finish(run, source); !ok) return tl::unexpected(ok.error());
    return require_results(std::move(run), source,
                           "no benchmark tables (\"benchmark name  samples  iterations ...\")");
}

bool looks_like_xml(std::string_view text) {
    return first_significant_char(text) == '<';
}

}  // namespace

bool sniff_catch2(std::string_view text) {
    const auto head = sniff_head(text);
    if (looks_like_xml(head))
        return head.find("<Catch") != std::string_view::npos;  // <Catch ...> or <Catch2TestRun
    return head.find("benchmark name") != std::string_view::npos &&
           head.find("iterations") != std::string_view::npos &&
           (head.find("estimated") != std::string_view::npos ||
            head.find("est run time") != std::string_view::npos);
}

core::Result<core::RunResults> parse_catch2(std::string_view text, std::string_view source,
                                            const AdapterOptions& options) {
    if (auto ok = require_utf8(text, source); !ok) return tl::unexpected(ok.error());
    if (looks_like_xml(text)) return parse_xml(text, source, options);
    return parse_console(text, source, options);
}

}  // namespace perftrack::formats
