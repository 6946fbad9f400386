#include "runner/suite_config.hpp"

#include <cmath>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/file_io.hpp"

namespace perftrack::runner {

namespace {

// Inside the parser a problem ends parsing at once; parse_config turns it into a Result.
struct ConfigProblem {
    core::Error error;
};

std::string type_phrase(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

// Reads the keys of one table, remembering which were read, so that finish() can name the
// first key nobody asked for.
class TableReader {
  public:
    TableReader(const toml::table& table, std::string path, const std::string& file)
        : m_table(table), m_path(std::move(path)), m_file(file) {}

    [[noreturn]] void problem(const toml::source_region& where, const std::string& key,
                              const std::string& what) const {
        std::string location = m_file;
        if (where.begin.line > 0) location += fmt::format(":{}", where.begin.line);
        throw ConfigProblem{core::Error{core::ErrorKind::config,
                                        fmt::format("{}: {}: {}", location, qualified(key), what),
                                        "see docs/runner.md for the perftrack.toml keys"}};
    }

    std::string qualified(const std::string& key) const {
        return m_path.empty() ? key : m_path + "." + key;
    }

    const toml::node* get(const std::string& key) {
        m_known.insert(key);
        return m_table.get(key);
    }

    [[noreturn]] void wrong_type(const toml::node& node, const std::string& key,
                                 std::string_view expected) const {
        problem(node.source(), key,
                fmt::format("expected {}, got {}", expected, type_phrase(node)));
    }

    std::optional<std::string> string(const std::string& key, bool allow_empty = false) {
        const toml::node* node = get(key);
        if (node == nullptr) return std::nullopt;
        const auto* v = node->as_string();
        if (v == nullptr) wrong_type(*node, key, "a string");
        if (!allow_empty && v->get().empty()) problem(node->source(), key, "must not be empty");
        return v->get();
    }

    std::optional<std::int64_t> integer(const std::string& key, std::int64_t min,
                                        std::int64_t max) {
        const toml::node* node = get(key);
        if (node == nullptr) return std::nullopt;
        const auto* v = node->as_integer();
        if (v == nullptr) wrong_type(*node, key, "an integer");
        if (v->get() < min || v->get() > max)
            problem(node->source(), key,
                    fmt::format("{} is out of range ({} to {})", v->get(), min, max));
        return v->get();
    }

    // An integer or a float, finite and > 0.
    std::optional<double> positive_number(const std::string& key) {
        const toml::node* node = get(key);
        if (node == nullptr) return std::nullopt;
        double value = 0;
        if (const auto* i = node->as_integer()) {
            value = static_cast<double>(i->get());
        } else if (const auto* f = node->as_floating_point()) {
            value = f->get();
        } else {
            wrong_type(*node, key, "a number");
        }
        if (!std::isfinite(value) || value <= 0)
            problem(node->source(), key, fmt::format("must be a positive number, not {}", value));
        return value;
    }

    std::vector<std::string> string_array(const std::string& key, bool allow_empty) {
        const toml::node* node = get(key);
        if (node == nullptr) return {};
        const auto* arr = node->as_array();
        if (arr == nullptr) wrong_type(*node, key, "an array of strings");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const auto* s = (*arr)[i].as_string();
            if (s == nullptr)
                problem((*arr)[i].source(), fmt::format("{}[{}]", key, i),
                        fmt::format("expected a string, got {}", type_phrase((*arr)[i])));
            out.push_back(s->get());
        }
        if (!allow_empty && out.empty()) problem(node->source(), key, "must not be empty");
        return out;
    }

    const toml::table* table(const std::string& key) {
        const toml::node* node = get(key);
        if (node == nullptr) return nullptr;
        const auto* t = node->as_table();
        if (t == nullptr) wrong_type(*node, key, "a table");
        return t;
    }

    void finish(std::string_view known_list) const {
        for (const auto& [key, node] : m_table) {
            const std::string name(key.str());
            if (m_known.count(name) != 0) continue;
            problem(key.source(), name, fmt::format("unknown key (known here: {})", known_list));
        }
    }

    const std::string& path() const { return m_path; }
    const std::string& file() const { return m_file; }

  private:
    const toml::table& m_table;
    std::string m_path;
    const std::string& m_file;
    std::set<std::string> m_known;
};

std::map<std::string, MetricRule> read_metrics(TableReader& parent) {
    std::map<std::string, MetricRule> rules;
    const toml::table* metrics = parent.table("metrics");
    if (metrics == nullptr) return rules;
    TableReader all(*metrics, parent.qualified("metrics"), parent.file());
    for (const auto& [key, node] : *metrics) {
        const std::string name(key.str());
        const toml::table* t = all.table(name);
        TableReader r(*t, all.qualified(name), parent.file());
        MetricRule rule;
        if (auto d = r.string("direction")) {
            rule.direction = core::parse_direction(*d);
            if (!rule.direction)
                r.problem(t->get("direction")->source(), "direction",
                          fmt::format("\"{}\" is not a direction (lower or higher)", *d));
        }
        rule.unit = r.string("unit");
        rule.min_change_pct = r.positive_number("min_change_pct");
        r.finish("direction, unit, min_change_pct");
        rules.emplace(name, rule);
    }
    return rules;
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
    const std::filesystem::path path(p);
    if (path.is_absolute() || base.empty()) return path;
    return base / path;
}

constexpr std::string_view k_suite_keys =
    "name, binary, filter, repetitions, args, command, warmup, runs, results, format, params, "
    "ignore_fields, working_dir, timeout_seconds, env, metrics";

SuiteConfig read_suite(const toml::table& t, std::size_t index, const std::string& file,
                       const std::filesystem::path& base) {
    TableReader r(t, fmt::format("suite[{}]", index), file);
    SuiteConfig s;
    s.line = static_cast<int>(t.source().begin.line);
    const auto where = [&](const char* key) { return t.get(key)->source(); };

    const bool has_binary = t.contains("binary");
    const bool has_command = t.contains("command");
    if (has_binary == has_command)
        r.problem(t.source(), has_binary ? "command" : "binary",
                  has_binary ? "a suite has either binary (Google Benchmark) or command, not both"
                             : "a suite needs binary = \"path\" (a Google Benchmark binary) or "
                               "command = [\"argv\", ...]");
    if (has_binary) {
        s.kind = SuiteKind::gbench;
        s.binary = resolve(base, *r.string("binary"));
        s.filter = r.string("filter").value_or("");
        if (auto n = r.integer("repetitions", 1, 100000)) s.repetitions = static_cast<int>(*n);
        s.args = r.string_array("args", true);
        for (const char* key : {"warmup", "runs", "results", "format", "params", "ignore_fields"})
            if (t.contains(key))
                r.problem(where(key), key, "belongs to command suites, not to a binary suite");
    } else {
        s.kind = SuiteKind::command;
        const toml::node* command = r.get("command");
        if (const auto* text = command->as_string()) {
            if (text->get().empty()) r.problem(command->source(), "command", "must not be empty");
            s.command = {"/bin/sh", "-c", text->get()};
        } else {
            s.command = r.string_array("command", false);
        }
        if (auto n = r.integer("warmup", 0, 100000)) s.warmup_runs = static_cast<int>(*n);
        if (auto n = r.integer("runs", 1, 100000)) s.runs = static_cast<int>(*n);
        if (auto f = r.string("results")) s.results_file = resolve(base, *f);
        if (auto f = r.string("format")) {
            if (s.results_file.empty())
                r.problem(where("format"), "format", "needs results = \"file\" beside it");
            s.results_format = *f;
        }
        s.params = r.string_array("params", false);
        if (!s.params.empty() && s.results_file.empty())
            r.problem(where("params"), "params", "needs results = \"file\" beside it");
        s.ignore_fields = r.string_array("ignore_fields", false);
        if (!s.ignore_fields.empty() && s.results_file.empty())
            r.problem(where("ignore_fields"), "ignore_fields",
                      "needs results = \"file\" beside it");
        for (const char* key : {"filter", "repetitions", "args"})
            if (t.contains(key))
                r.problem(where(key), key, "belongs to binary suites, not to a command suite");
    }
    if (auto name = r.string("name")) {
        s.name = *name;
    } else if (s.kind == SuiteKind::gbench) {
        s.name = s.binary.filename().string();
    } else {
        r.problem(t.source(), "name", "a command suite needs a name");
    }
    // Commands run where the file is unless told otherwise, so the file works from any cwd.
    s.working_dir = base;
    if (auto dir = r.string("working_dir")) s.working_dir = resolve(base, *dir);
    s.timeout_seconds = r.positive_number("timeout_seconds");
    if (const toml::table* env = r.table("env")) {
        TableReader e(*env, r.qualified("env"), file);
        for (const auto& [key, node] : *env) {
            const std::string name(key.str());
            s.env.emplace_back(name, *e.string(name, true));
        }
    }
    s.metrics = read_metrics(r);
    r.finish(k_suite_keys);
    return s;
}

RunConfig read_config(const toml::table& root, const std::filesystem::path& source) {
    const std::string file = source.string();
    const std::filesystem::path base = source.parent_path();
    TableReader r(root, "", file);
    RunConfig c;
    c.source = source;
    c.project = r.string("project");
    c.testbed = r.string("testbed");
    c.baseline_branch = r.string("baseline_branch");
    if (auto n = r.integer("repetitions", 1, 100000)) c.repetitions = static_cast<int>(*n);
    c.timeout_seconds = r.positive_number("timeout_seconds");
    c.metrics = read_metrics(r);
    if (const toml::node* suites = r.get("suite")) {
        const auto* arr = suites->as_array();
        if (arr == nullptr || !arr->is_array_of_tables())
            r.problem(suites->source(), "suite", "write each suite as a [[suite]] table");
        std::set<std::string> names;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            SuiteConfig s = read_suite(*(*arr)[i].as_table(), i, file, base);
            if (!names.insert(s.name).second)
                r.problem((*arr)[i].source(), fmt::format("suite[{}].name", i),
                          fmt::format("two suites are named \"{}\"; names must be unique", s.name));
            c.suites.push_back(std::move(s));
        }
    }
    r.finish("project, testbed, baseline_branch, repetitions, timeout_seconds, metrics, suite");
    return c;
}

}  // namespace

core::Result<RunConfig> parse_config(std::string_view text, const std::filesystem::path& source) {
    const std::string file = source.string();
    try {
        const toml::table root = toml::parse(text, file);
        return read_config(root, source);
    } catch (const toml::parse_error& e) {
        return core::fail(core::ErrorKind::config,
                          fmt::format("{}:{}:{}: invalid TOML: {}", file, e.source().begin.line,
                                      e.source().begin.column, e.description()));
    } catch (const ConfigProblem& p) {
        return tl::unexpected<core::Error>(p.error);
    }
}

core::Result<RunConfig> load_config(const std::filesystem::path& file) {
    auto text = core::read_input_file(file);
    if (!text) {
        auto e = text.error();
        e.kind = core::ErrorKind::config;
        return tl::unexpected<core::Error>(e);
    }
    return parse_config(*text, file);
}

std::optional<std::filesystem::path> find_config(const std::filesystem::path& dir) {
    std::error_code ec;
    const auto candidate = dir / "perftrack.toml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    return std::nullopt;
}

MetricRule metric_rule(const RunConfig& config, const SuiteConfig& suite,
                       const std::string& metric) {
    MetricRule rule;
    if (auto it = suite.metrics.find(metric); it != suite.metrics.end()) rule = it->second;
    if (auto it = config.metrics.find(metric); it != config.metrics.end()) {
        if (!rule.direction) rule.direction = it->second.direction;
        if (!rule.unit) rule.unit = it->second.unit;
        if (!rule.min_change_pct) rule.min_change_pct = it->second.min_change_pct;
    }
    return rule;
}

int effective_repetitions(const RunConfig& config, const SuiteConfig& suite) {
    const auto& own = suite.kind == SuiteKind::gbench ? suite.repetitions : suite.runs;
    return own.value_or(config.repetitions.value_or(k_default_repetitions));
}

std::optional<double> effective_timeout_seconds(const RunConfig& config, const SuiteConfig& suite) {
    return suite.timeout_seconds ? suite.timeout_seconds : config.timeout_seconds;
}

}  // namespace perftrack::runner
