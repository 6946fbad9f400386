#include "runner/gbench_suite.hpp"

#include <charconv>
#include <fstream>
#include <unordered_set>

#include <fmt/format.h>
#include <stdlib.h>

#include "core/file_io.hpp"
#include "runner/process/interrupt.hpp"

namespace perftrack::runner {

namespace {

using Clock = std::chrono::steady_clock;

// Listing the benchmarks only registers them; a binary that takes longer is broken.
constexpr std::chrono::seconds k_list_timeout{120};
// The benchmark names a listing may print (about a million names of 60 characters).
constexpr std::size_t k_max_list_bytes = std::size_t{64} << 20;
// One --benchmark_filter argument stays below Linux's per-argument limit (128 KiB) with room
// to spare; longer name lists are split over several executions of the binary.
constexpr std::size_t k_max_filter_bytes = 64 * 1024;
// looks_like_gbench_binary reads files in chunks of this size, and at most this much of them.
constexpr std::size_t k_scan_chunk_bytes = 1 << 20;
constexpr std::uint64_t k_max_scan_bytes = 1ull << 30;
std::optional<std::string> flag_value(const std::string& arg, std::string_view flag) {
    // Google Benchmark accepts --flag=value (and -flag=value); nothing else.
    for (std::string_view dashes : {"--", "-"}) {
        const std::string prefix = std::string(dashes) + std::string(flag) + "=";
        if (arg.rfind(prefix, 0) == 0) return arg.substr(prefix.size());
    }
    return std::nullopt;
}

bool is_flag(const std::string& arg, std::string_view flag) {
    return arg == "--" + std::string(flag) || arg == "-" + std::string(flag) ||
           flag_value(arg, flag).has_value();
}

// A private directory for one results file, removed with everything in it.
class ScratchDir {
  public:
    ScratchDir() {
        std::error_code ec;
        auto base = std::filesystem::temp_directory_path(ec);
        if (ec) base = "/tmp";
        std::string pattern = (base / "perftrack-gbench-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) m_path = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

// Streams the binary's output through to the progress display, and counts the benchmarks whose
// console lines appeared.
class GbenchObserver : public core::ProcessObserver {
  public:
    GbenchObserver(Progress* progress, const std::vector<std::string>& names)
        : m_progress(progress), m_pending(names.begin(), names.end()) {}

    void on_output(core::OutputStream stream, std::string_view data) override {
        if (m_progress == nullptr) return;
        m_progress->child_output(stream, data);
        if (stream != core::OutputStream::out || m_pending.empty()) return;
        m_line.append(data);
        std::size_t start = 0;
        for (auto nl = m_line.find('\n'); nl != std::string::npos; nl = m_line.find('\n', start)) {
            const std::string_view line(m_line.data() + start, nl - start);
            const auto first = line.find_first_not_of(' ');
            if (first != std::string_view::npos) {
                const auto token = line.substr(first, line.find(' ', first) - first);
                if (auto it = m_pending.find(std::string(token)); it != m_pending.end()) {
                    m_progress->advance(*it);
                    m_pending.erase(it);
                }
            }
            start = nl + 1;
        }
        m_line.erase(0, start);
    }

    void on_tick() override {
        if (m_progress != nullptr) m_progress->tick();
    }

  private:
    Progress* m_progress;
    std::unordered_set<std::string> m_pending;
    std::string m_line;
};

std::string escape_ere(std::string_view name) {
    std::string out;
    out.reserve(name.size() + 8);
    for (const char c : name) {
        if (std::string_view(".[]{}()\\*+?^$|").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

// Splits names into filters that each stay below k_max_filter_bytes.
std::vector<std::string> name_filters(const std::vector<std::string>& names) {
    std::vector<std::string> filters;
    std::vector<std::string> batch;
    std::size_t bytes = 0;
    for (const auto& n : names) {
        const std::size_t cost = escape_ere(n).size() + 1;
        if (!batch.empty() && bytes + cost > k_max_filter_bytes) {
            filters.push_back(exact_name_filter(batch));
            batch.clear();
            bytes = 0;
        }
        batch.push_back(n);
        bytes += cost;
    }
    if (!batch.empty()) filters.push_back(exact_name_filter(batch));
    return filters;
}

std::string program_name(const GbenchSuite& suite) {
    return suite.binary.filename().string();
}

}  // namespace

bool looks_like_gbench_binary(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    constexpr std::string_view k_markers[] = {"_ZN9benchmark", "benchmark_list_tests"};
    constexpr std::size_t k_overlap = 32;  // longer than any marker: no match is split
    std::string buffer;
    std::vector<char> chunk(k_scan_chunk_bytes);
    std::uint64_t scanned = 0;
    while (in && scanned < k_max_scan_bytes) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        scanned += got;
        buffer.append(chunk.data(), got);
        for (const auto marker : k_markers)
            if (buffer.find(marker) != std::string::npos) return true;
        buffer.erase(0, buffer.size() > k_overlap ? buffer.size() - k_overlap : 0);
    }
    return false;
}

core::Result<void> absorb_gbench_args(GbenchSuite& suite) {
    std::vector<std::string> rest;
    for (const auto& arg : suite.args) {
        if (auto v = flag_value(arg, "benchmark_filter")) {
            suite.filter = *v;
        } else if (auto r = flag_value(arg, "benchmark_repetitions")) {
            int n = 0;
            const auto [ptr, ec] = std::from_chars(r->data(), r->data() + r->size(), n);
            if (ec != std::errc() || ptr != r->data() + r->size() || n < 1)
                return core::fail(core::ErrorKind::usage,
                                  fmt::format("{}: expected a positive whole number", arg));
            suite.repetitions = n;
        } else if (auto out = flag_value(arg, "benchmark_out")) {
            suite.keep_output = *out;
        } else if (auto format = flag_value(arg, "benchmark_out_format")) {
            if (*format != "json")
                return core::fail(core::ErrorKind::usage,
                                  fmt::format("{}: perftrack reads the results file as JSON", arg),
                                  "drop --benchmark_out_format (perftrack sets it to json)");
        } else if (is_flag(arg, "benchmark_list_tests")) {
            return core::fail(core::ErrorKind::usage,
                              fmt::format("{}: perftrack lists the benchmarks itself", arg),
                              "drop --benchmark_list_tests");
        } else {
            rest.push_back(arg);
        }
    }
    suite.args = std::move(rest);
    return {};
}

std::string exact_name_filter(const std::vector<std::string>& names) {
    std::string out = "^(";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += '|';
        out += escape_ere(names[i]);
    }
    out += ")$";
    return out;
}

core::Result<std::vector<std::string>> list_gbench_benchmarks(const GbenchSuite& suite) {
    core::ProcessSpec spec = process::benchmark_spec();
    spec.argv = {suite.binary.string(), "--benchmark_list_tests=true"};
    if (!suite.filter.empty()) spec.argv.push_back("--benchmark_filter=" + suite.filter);
    spec.argv.insert(spec.argv.end(), suite.args.begin(), suite.args.end());
    spec.working_dir = suite.working_dir;
    spec.env = suite.env;
    spec.timeout = k_list_timeout;
    spec.stdout_capture = {core::Capture::Keep::first, k_max_list_bytes};
    auto outcome = process::run_benchmark(spec);
    if (!outcome) return tl::unexpected<core::Error>(outcome.error());
    if (outcome->ok() && outcome->stdout_dropped_bytes > 0)
        return core::fail(
            core::ErrorKind::benchmark_failed,
            fmt::format("suite {}: {} --benchmark_list_tests printed more than {} MiB", suite.name,
                        suite.binary.string(), k_max_list_bytes >> 20));
    if (!outcome->ok()) {
        std::string message = fmt::format("suite {}: listing the benchmarks of {} failed: it {}",
                                          suite.name, suite.binary.string(), outcome->describe());
        if (const auto tail = tail_for_message(outcome->stderr_text, 400); !tail.empty())
            message += "; stderr: " + tail;
        // Interrupted (Ctrl-C) is not a bug either: callers ask pending_interrupt() first.
        return core::fail(core::ErrorKind::benchmark_failed, message);
    }
    std::vector<std::string> names;
    std::size_t pos = 0;
    const std::string& text = outcome->stdout_text;
    while (pos < text.size()) {
        const auto end = std::min(text.find('\n', pos), text.size());
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) names.push_back(std::move(line));
    }
    if (names.empty())
        return core::fail(
            core::ErrorKind::usage,
            suite.filter.empty()
                ? fmt::format("suite {}: {} lists no benchmarks", suite.name, suite.binary.string())
                : fmt::format("suite {}: filter \"{}\" matches no benchmark of {}", suite.name,
                              suite.filter, suite.binary.string()),
            "check the filter against '" + suite.binary.string() + " --benchmark_list_tests'");
    return names;
}

namespace {

// nlohmann's DOM builder, watched: which top-level member is being read, whether its value is
// complete, and how many entries of "benchmarks" are. When the text ends early (or breaks), the
// parse stops with the incomplete parts still in the DOM; repair() then removes them.
class GbenchResultsSax {
  public:
    using json = nlohmann::json;
    explicit GbenchResultsSax(json& root) : m_root(root), m_dom(root, /*allow_exceptions=*/false) {}

    bool null() { return value(m_dom.null()); }
    bool boolean(bool v) { return value(m_dom.boolean(v)); }
    bool number_integer(json::number_integer_t v) { return value(m_dom.number_integer(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return value(m_dom.number_unsigned(v)); }
    bool number_float(json::number_float_t v, const json::string_t& s) {
        return value(m_dom.number_float(v, s));
    }
    bool string(json::string_t& v) { return value(m_dom.string(v)); }
    bool binary(json::binary_t& v) { return value(m_dom.binary(v)); }
    bool key(json::string_t& v) {
        if (m_depth == 1) {
            m_member = v;
            m_member_complete = false;
            m_complete_entries = 0;
        }
        return m_dom.key(v);
    }
    bool start_object(std::size_t n) {
        ++m_depth;
        return m_dom.start_object(n);
    }
    bool start_array(std::size_t n) {
        ++m_depth;
        return m_dom.start_array(n);
    }
    bool end_object() { return closed(m_dom.end_object()); }
    bool end_array() { return closed(m_dom.end_array()); }
    template <typename Exception>
    bool parse_error(std::size_t, const std::string&, const Exception&) {
        return false;
    }

    // Drops what was not complete when the parse stopped: the member being read, except that
    // an open "benchmarks" array keeps its finished entries.
    void repair() {
        if (!m_root.is_object() || m_member.empty() || m_member_complete) return;
        auto it = m_root.find(m_member);
        if (it == m_root.end()) return;
        if (m_member == "benchmarks" && it->is_array()) {
            it->get_ref<json::array_t&>().resize(m_complete_entries);
        } else {
            m_root.erase(it);
        }
    }

  private:
    bool value(bool ok) {
        if (m_depth == 1) m_member_complete = true;
        return ok;
    }
    bool closed(bool ok) {
        --m_depth;
        if (m_depth == 1) m_member_complete = true;
        if (m_depth == 2 && m_member == "benchmarks") ++m_complete_entries;
        return ok;
    }

    json& m_root;
    nlohmann::detail::json_sax_dom_parser<json> m_dom;
    int m_depth = 0;
    std::string m_member;  // the top-level member being read
    bool m_member_complete = false;
    std::size_t m_complete_entries = 0;
};

}  // namespace

std::optional<GbenchResults> parse_gbench_results(std::string_view text) {
    GbenchResults out;
    GbenchResultsSax sax(out.doc);
    if (nlohmann::json::sax_parse(text, &sax)) return out;
    out.truncated = true;
    sax.repair();
    if (!out.doc.is_object() || out.doc.empty()) return std::nullopt;
    return out;
}

std::vector<std::string> finished_names(const std::vector<nlohmann::json>& entries) {
    std::vector<std::string> names;
    std::unordered_set<std::string> seen;
    for (const auto& e : entries) {
        std::string name;
        if (auto it = e.find("run_name"); it != e.end() && it->is_string()) {
            name = it->get<std::string>();
        } else if (auto n = e.find("name"); n != e.end() && n->is_string()) {
            name = n->get<std::string>();
        }
        if (!name.empty() && seen.insert(name).second) names.push_back(std::move(name));
    }
    return names;
}

nlohmann::json unfinished_entry(const std::string& name, const std::string& message) {
    return nlohmann::json{
        {"name", name},           {"run_name", name},         {"run_type", "iteration"},
        {"repetitions", 1},       {"repetition_index", 0},    {"threads", 1},
        {"error_occurred", true}, {"error_message", message}, {"iterations", 0},
        {"real_time", 0.0},       {"cpu_time", 0.0},          {"time_unit", "ns"}};
}

core::Result<core::RunResults> parse_gbench_entries(const nlohmann::json& context,
                                                    std::vector<nlohmann::json> entries,
                                                    const GbenchSuite& suite) {
    nlohmann::json doc = nlohmann::json::object();
    doc["context"] = context.is_object() ? context : nlohmann::json::object();
    doc["benchmarks"] = nlohmann::json(std::move(entries));
    return formats::parse_results("gbench", doc.dump(), suite.binary.string(),
                                  suite.adapter_options);
}

GbenchInvocation invoke_gbench(const GbenchSuite& suite, const std::string& filter, int repetitions,
                               std::optional<std::chrono::nanoseconds> timeout,
                               const std::vector<std::string>& names, Progress* progress) {
    GbenchInvocation inv;
    ScratchDir scratch;
    if (scratch.path().empty()) {
        inv.start_error = "cannot create a temporary directory for the results file";
        return inv;
    }
    const auto out_file = scratch.path() / "results.json";
    core::ProcessSpec spec = process::benchmark_spec();
    spec.argv = {suite.binary.string(), "--benchmark_out=" + out_file.string(),
                 "--benchmark_out_format=json",
                 fmt::format("--benchmark_repetitions={}", repetitions),
                 "--benchmark_enable_random_interleaving=true"};
    if (!filter.empty()) spec.argv.push_back("--benchmark_filter=" + filter);
    spec.argv.insert(spec.argv.end(), suite.args.begin(), suite.args.end());
    spec.working_dir = suite.working_dir;
    spec.env = suite.env;
    spec.timeout = timeout;
    GbenchObserver observer(progress, names);
    auto child = process::run_benchmark(spec, &observer);
    if (progress != nullptr) progress->flush_child_output();
    if (!child) {
        inv.start_error = child.error().message;
        return inv;
    }
    inv.child = std::move(*child);

    std::error_code ec;
    if (!std::filesystem::exists(out_file, ec)) {
        inv.output_error = "it wrote no results file";
        return inv;
    }
    auto text = core::read_input_file(out_file);
    if (!text) {
        inv.output_error = text.error().message;
        return inv;
    }
    if (!suite.keep_output.empty()) {
        // The user's path means what it would mean to the binary: relative to where it runs.
        const auto keep = suite.keep_output.is_relative() && !suite.working_dir.empty()
                              ? suite.working_dir / suite.keep_output
                              : suite.keep_output;
        std::filesystem::copy_file(out_file, keep,
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec)
            inv.warning =
                fmt::format("could not keep the results in {}: {}", keep.string(), ec.message());
    }
    auto results = parse_gbench_results(*text);
    if (!results) {
        inv.output_error = "its results file ends before the first benchmark";
        return inv;
    }
    inv.truncated = results->truncated;
    nlohmann::json& doc = results->doc;
    if (!doc.is_object()) {
        inv.output_error = "its results file is not a JSON object";
        return inv;
    }
    if (auto it = doc.find("context"); it != doc.end()) inv.context = std::move(*it);
    if (auto it = doc.find("benchmarks"); it != doc.end() && it->is_array())
        for (auto& e : *it)
            if (e.is_object()) inv.entries.push_back(std::move(e));
    return inv;
}

SuiteOutcome run_gbench_suite(const GbenchSuite& suite, const std::vector<std::string>& names,
                              bool all, Progress* progress) {
    SuiteOutcome out;
    out.name = suite.name;
    out.planned = names.size();
    const auto started = Clock::now();
    std::optional<Clock::time_point> deadline;
    if (suite.timeout) deadline = started + *suite.timeout;

    ProgramFacts facts;
    facts.compiler = elf_compiler_comment(suite.binary);
    nlohmann::json context;
    std::vector<nlohmann::json> entries;
    std::string failure;  // what ended the suite early
    std::vector<std::string> warnings;
    const std::vector<std::string> filters =
        all ? std::vector<std::string>{suite.filter} : name_filters(names);
    for (const auto& filter : filters) {
        std::optional<std::chrono::nanoseconds> left;
        if (deadline) {
            left = std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - Clock::now());
            if (left->count() <= 0) {
                failure = fmt::format("timed out after {:g} s",
                                      std::chrono::duration<double>(*suite.timeout).count());
                break;
            }
        }
        GbenchInvocation inv =
            invoke_gbench(suite, filter, suite.repetitions, left, names, progress);
        if (inv.child) out.child_wall_ns += inv.child->usage.wall_ns;
        if (context.is_null() && inv.context.is_object()) context = inv.context;
        if (!inv.warning.empty()) warnings.push_back(inv.warning);
        for (auto& e : inv.entries) entries.push_back(std::move(e));
        if (!inv.child) {
            failure = "could not be started: " + inv.start_error;
            break;
        }
        if (inv.child->ending == core::Ending::interrupted) {
            out.interrupt_signal = inv.child->interrupt_signal;
            break;
        }
        if (inv.child->ending == core::Ending::timed_out) {
            // The child's own limit was what was left of the suite's; name the suite's.
            failure = fmt::format("timed out after {:g} s (the suite's limit) and was stopped",
                                  std::chrono::duration<double>(*suite.timeout).count());
            out.stderr_tail = inv.child->stderr_text;
            break;
        }
        if (!inv.child->ok()) {
            failure = inv.child->describe();
            out.stderr_tail = inv.child->stderr_text;
            break;
        }
        if (!inv.output_error.empty()) {
            failure = inv.output_error;
            out.stderr_tail = inv.child->stderr_text;
            break;
        }
    }
    read_gbench_context(context, facts);
    out.programs.push_back(facts);
    if (out.interrupt_signal != 0) {
        out.wall_ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
        return out;
    }

    const auto done = finished_names(entries);
    const std::unordered_set<std::string> done_set(done.begin(), done.end());
    std::size_t unfinished = 0;
    std::string message = fmt::format("did not finish: {} {}", program_name(suite),
                                      failure.empty() ? "gave no result for it" : failure);
    if (const auto tail = tail_for_message(out.stderr_tail, k_stored_stderr_bytes); !tail.empty())
        message += "; stderr: " + tail;
    for (const auto& n : names) {
        if (done_set.count(n) != 0) continue;
        entries.push_back(unfinished_entry(n, message));
        ++unfinished;
    }
    if (!failure.empty() || unfinished > 0) {
        out.failed = true;
        out.failure = fmt::format("{} {}; {} of {} benchmarks finished", suite.binary.string(),
                                  failure.empty() ? "left benchmarks without a result" : failure,
                                  names.size() - unfinished, names.size());
    }
    if (!entries.empty()) {
        auto parsed = parse_gbench_entries(context, std::move(entries), suite);
        if (parsed) {
            out.results = std::move(*parsed);
        } else {
            out.failed = true;
            out.failure = parsed.error().message;
        }
    }
    for (auto& w : warnings) out.results.warnings.push_back(std::move(w));
    // A process that failed after every benchmark finished still fails the suite; record it
    // against the suite so the stored run is marked partial.
    if (out.failed && out.results.failures.empty())
        add_suite_failure(out, suite.adapter_options.suite, suite.name, out.failure);
    out.wall_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
    return out;
}

}  // namespace perftrack::runner
