// Catch2 reports, per BENCHMARK, the mean of its samples (with bootstrap bounds) and the
// standard deviation; neither reporter lists the samples themselves, so the mean is the one
// sample per benchmark and run. A benchmark is named after its test case, the sections it runs
// in and its own name, joined with '/', the same way from XML and from console output.
#include "runner/adapters/catch2.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/units.hpp"
#include "runner/adapters/adapter_support.hpp"

namespace perftrack::runner::adapters {

namespace {

// XML nesting deeper than this is not a Catch2 report; refusing it keeps the walk bounded.
constexpr std::size_t k_max_xml_depth = 256;

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

std::string join_path(const std::vector<std::string>& scope, std::string_view name) {
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
        const auto [line, col] =
            line_column(text, parsed.offset < 0 ? 0 : static_cast<std::size_t>(parsed.offset));
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
    core::RunResults run;
    SeriesCollector series;
    const core::Params params = core::Params::object();
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    // Depth-first walk with an explicit stack: (node, names of the test case and sections
    // around it).
    struct Frame {
        pugi::xml_node node;
        std::vector<std::string> scope;
    };
    std::vector<Frame> stack{{root, {}}};
    while (!stack.empty()) {
        Frame frame = std::move(stack.back());
        stack.pop_back();
        if (frame.scope.size() > k_max_xml_depth)
            return core::fail(
                core::ErrorKind::input,
                fmt::format("{}: <{}> at offset {}: sections nested more than {} "
                            "deep",
                            source, frame.node.name(), frame.node.offset_debug(), k_max_xml_depth));
        // Children in reverse so they come off the stack in document order.
        std::vector<pugi::xml_node> children;
        for (pugi::xml_node child : frame.node.children()) children.push_back(child);
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
            const std::string_view tag = it->name();
            if (tag == "TestCase" || tag == "Section") {
                auto scope = frame.scope;
                scope.emplace_back(trim(it->attribute("name").as_string()));
                stack.push_back({*it, std::move(scope)});
            } else if (tag == "BenchmarkResults") {
                stack.push_back({*it, frame.scope});
            } else if (tag == "Group" || tag == "Catch" || tag == "Catch2TestRun") {
                stack.push_back({*it, frame.scope});
            }
        }
        if (std::string_view(frame.node.name()) != "BenchmarkResults") continue;
        const pugi::xml_node bench = frame.node;
        const std::string where =
            fmt::format("{}: <BenchmarkResults> at line {}", source,
                        line_column(text, static_cast<std::size_t>(bench.offset_debug())).first);
        const std::string name(trim(bench.attribute("name").as_string()));
        if (name.empty())
            return core::fail(core::ErrorKind::input, where + ": missing attribute name");
        const std::string benchmark = join_path(frame.scope, name);
        if (const pugi::xml_node failed = bench.child("failed")) {
            std::string message = failed.attribute("message").as_string();
            run.failures.push_back(
                {options.suite, benchmark, params, message.empty() ? "failed" : message});
            continue;
        }
        const pugi::xml_node mean = bench.child("mean");
        if (!mean)
            return core::fail(core::ErrorKind::input,
                              fmt::format("{} (\"{}\"): no <mean> and no <failed>", where, name));
        const auto value = parse_number(mean.attribute("value").as_string());
        if (!value)
            return core::fail(core::ErrorKind::input,
                              fmt::format("{} (\"{}\"): <mean value=\"{}\"> is not a number", where,
                                          name, mean.attribute("value").as_string()));
        // Catch2 writes "All values in nano seconds".
        if (!series.add_converted(options.suite, benchmark, params, time, *value))
            return core::fail(core::ErrorKind::input, where + ": value out of range");
    }
    series.finish(run);
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
    SeriesCollector series;
    const core::Params params = core::Params::object();
    const MetricSpec time{"time", "ns", direction_for("time", core::Direction::lower, options), 1};
    const std::vector<bool> first_row{false, false, true};  // samples, iterations, estimated
    const std::vector<bool> value_row{true, true, true};    // mean/low/high or std dev rows
    enum class State { outside, header, table_head, table } state = State::outside;
    std::vector<std::string> scope;  // test case, then sections
    LineReader lines(text);
    while (auto line = lines.next()) {
        switch (state) {
            case State::outside:
                if (is_rule(*line, '-')) {
                    scope.clear();
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
    series.finish(run);
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
    if (looks_like_xml(text)) return parse_xml(text, source, options);
    return parse_console(text, source, options);
}

}  // namespace perftrack::runner::adapters
