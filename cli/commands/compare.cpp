// perftrack compare: "which is faster, by how much, and is the difference real?" for two result
// files (old.json new.json: the series present in both; no database), two stored commits
// (--commit B --vs A, read through HistoryReader), or variants inside files or a stored commit
// that differ in one param (--by mode --ref eager). The statistics are in
// reports/compare/compare.hpp (docs/compare.md). Exit 0 whatever the verdicts (a comparison is not
// a gate; use check for that), 2 on bad input.
#include "reports/compare/compare.hpp"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "cli/adapter_flags.hpp"
#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/detection_options.hpp"
#include "cli/output.hpp"
#include "cli/read_target.hpp"
#include "cli/value_parsers.hpp"
#include "core/display.hpp"
#include "core/exit_code.hpp"
#include "core/file_io.hpp"
#include "formats/adapter.hpp"
#include "reports/compare/compare_output.hpp"
#include "reports/compare/grouping.hpp"

namespace perftrack::cli {

namespace {

struct CompareOptions {
    CommonOptions common;           // --db, --project, --testbed, --branch, --commit, ...
    std::optional<std::string> vs;  // the reference commit (database mode)
    std::optional<std::string> vs_branch;
    std::vector<std::string> files;
    std::string format = "auto";
    std::string output_format = "text";
    std::optional<std::string> by;
    std::optional<std::string> ref;
    std::vector<std::string> metrics;
    std::optional<std::string> filter;
    AdapterFlags adapter;  // --direction, --params, --ignore-fields (its --metric selects)
    bool paired = false;
    double alpha = 0.05;
    double confidence = 0.95;
    std::uint64_t max_input_bytes = core::k_default_max_input_bytes;
};

tl::unexpected<core::Error> usage_error(std::string message) {
    return core::fail(core::ErrorKind::usage, std::move(message));
}

core::Result<std::vector<core::Measurement>> read_measurements(
    const CompareOptions& o, const std::string& file,
    const formats::AdapterOptions& adapter_options) {
    auto text = core::read_input_file(file, o.max_input_bytes);
    if (!text) return tl::unexpected(text.error());
    auto parsed = formats::parse_results(o.format, *text, file, adapter_options);
    if (!parsed) return tl::unexpected(parsed.error());
    for (const auto& w : parsed->warnings) print_warning(fmt::format("{}: {}", file, w));
    return std::move(parsed->measurements);
}

// --metric and --filter, applied before grouping so that they also narrow the BH family.
std::vector<core::Measurement> select(std::vector<core::Measurement> ms, const CompareOptions& o,
                                      const std::optional<std::regex>& filter) {
    std::erase_if(ms, [&](const core::Measurement& m) {
        if (!o.metrics.empty() &&
            std::find(o.metrics.begin(), o.metrics.end(), m.series.metric) == o.metrics.end())
            return true;
        return filter && !std::regex_search(core::series_name(m.series), *filter);
    });
    return ms;
}

// A param-grouping error, prefixed with what was grouped (files or a commit).
core::Result<reports::compare::Grouping> by_param(const std::vector<core::Measurement>& ms,
                                                  const CompareOptions& o,
                                                  const std::string& what) {
    auto g = reports::compare::rows_by_param(ms, *o.by, *o.ref);
    if (!g) {
        auto e = g.error();
        e.message = fmt::format("{}: {}", what, e.message);
        return tl::unexpected(std::move(e));
    }
    if (g->rows.empty())
        return core::fail(core::ErrorKind::input,
                          fmt::format("{}: no series has another {} than {} to compare with", what,
                                      *o.by, *o.ref));
    return g;
}

struct Rows {
    reports::compare::Grouping grouping;
    reports::compare::SideNames names;
};

// Stored runs: the candidate commit against --vs, or its variants (--by).
core::Result<Rows> rows_from_store(const CompareOptions& o,
                                   const std::optional<std::regex>& filter) {
    auto id = resolve_identity(o.common, true, true);
    if (!id) return tl::unexpected(id.error());
    auto store = open_read_stores(o.common).store;
    const auto where = [&](const std::string& branch) {
        return fmt::format("project {}, testbed {}, branch {}", id->project, id->testbed, branch);
    };
    // The measurements at a commit, and the full sha a prefix named.
    const auto at =
        [&](const std::string& branch,
            const std::string& commit) -> core::Result<reports::compare::CommitMeasurements> {
        const auto history =
            store->load_history({id->project, id->testbed, branch, std::nullopt, std::nullopt});
        auto ms = reports::compare::measurements_at_commit(history, commit, where(branch));
        if (!ms) return tl::unexpected(ms.error());
        ms->measurements = select(std::move(ms->measurements), o, filter);
        return ms;
    };
    auto candidate = at(id->branch, id->commit);
    if (!candidate) return tl::unexpected(candidate.error());
    Rows out;
    if (o.by) {
        auto g =
            by_param(candidate->measurements, o, "commit " + core::short_sha(candidate->commit));
        if (!g) return tl::unexpected(g.error());
        return Rows{std::move(*g), {fmt::format("{}={}", *o.by, *o.ref), "candidate"}};
    }
    auto reference = at(o.vs_branch.value_or(id->branch), *o.vs);
    if (!reference) return tl::unexpected(reference.error());
    out.grouping =
        reports::compare::rows_by_series(reference->measurements, candidate->measurements);
    out.names = {core::short_sha(reference->commit), core::short_sha(candidate->commit)};
    if (out.grouping.rows.empty())
        return core::fail(core::ErrorKind::input,
                          fmt::format("{} against {}: no series to compare ({})",
                                      out.names.candidate, out.names.reference, where(id->branch)));
    return out;
}

// Result files: two of them side by side, or the variants inside all of them (--by).
core::Result<Rows> rows_from_files(const CompareOptions& o,
                                   const std::optional<std::regex>& filter) {
    auto adapter_options = cli::adapter_options(o.adapter);
    if (!adapter_options) return tl::unexpected(adapter_options.error());
    std::vector<std::vector<core::Measurement>> per_file;
    for (const auto& file : o.files) {
        auto ms = read_measurements(o, file, *adapter_options);
        if (!ms) return tl::unexpected(ms.error());
        per_file.push_back(select(std::move(*ms), o, filter));
    }
    if (o.by) {
        std::vector<core::Measurement> all;
        for (auto& ms : per_file)
            all.insert(all.end(), std::make_move_iterator(ms.begin()),
                       std::make_move_iterator(ms.end()));
        auto g = by_param(all, o, fmt::format("{}", fmt::join(o.files, ", ")));
        if (!g) return tl::unexpected(g.error());
        return Rows{std::move(*g), {fmt::format("{}={}", *o.by, *o.ref), "candidate"}};
    }
    Rows out{reports::compare::rows_by_series(per_file[0], per_file[1]), {o.files[0], o.files[1]}};
    if (out.grouping.rows.empty())
        return core::fail(
            core::ErrorKind::input,
            fmt::format("{} and {} have no series in common{} ({} and {} series)", o.files[0],
                        o.files[1], o.metrics.empty() && !filter ? "" : " after the selection",
                        per_file[0].size(), per_file[1].size()));
    return out;
}

CommandResult run_compare(const CompareOptions& o) {
    if (o.by.has_value() != o.ref.has_value()) return usage_error("--by and --ref go together");
    if (o.vs && o.by)
        return usage_error("--vs compares two commits, --by variants of one: choose one");
    const bool from_store = o.files.empty();
    if (!from_store && (o.vs || o.common.commit))
        return usage_error("--commit and --vs compare stored runs: give no files with them");
    if (from_store && !o.vs && !o.by)
        return usage_error(
            "give two result files, or --vs COMMIT (stored runs), or --by PARAM --ref VALUE");
    if (!from_store && !o.by && o.files.size() != 2)
        return usage_error(fmt::format(
            "compare needs exactly two files (reference, then candidate), got {}; or compare "
            "variants inside the files with --by PARAM --ref VALUE",
            o.files.size()));
    std::optional<std::regex> filter;
    if (o.filter) {
        try {
            filter.emplace(*o.filter, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            return usage_error(fmt::format("--filter '{}' is not a valid regular expression: {}",
                                           *o.filter, e.what()));
        }
    }
    auto rows = from_store ? rows_from_store(o, filter) : rows_from_files(o, filter);
    if (!rows) return tl::unexpected(rows.error());
    const auto& g = rows->grouping;
    const auto& names = rows->names;
    if (!o.common.quiet && (g.only_reference > 0 || g.only_candidate > 0))
        print_note(fmt::format("{} series only in {}, {} only in {}: not compared",
                               g.only_reference, names.reference, g.only_candidate,
                               o.by ? "other variants" : names.candidate));

    reports::compare::CompareSettings settings;
    settings.alpha = o.alpha;
    settings.confidence = o.confidence;
    settings.paired = o.paired;
    auto comparison = reports::compare::compare_rows(std::move(rows->grouping.rows), settings);
    if (!comparison) return tl::unexpected(comparison.error());
    if (o.output_format == "json") {
        fmt::print("{}\n", reports::compare::render_compare_json(*comparison, names).dump(2));
    } else if (o.output_format == "markdown") {
        fmt::print("{}", reports::compare::render_compare_markdown(*comparison, names));
    } else {
        fmt::print("{}", reports::compare::render_compare_text(*comparison, names));
    }
    std::fflush(stdout);
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace

void register_compare(CLI::App& app, Action& action) {
    auto options = std::make_shared<CompareOptions>();
    auto* cmd = app.add_subcommand(
        "compare",
        "Compare benchmark results with confidence: two result files (REFERENCE CANDIDATE; the\n"
        "series present in both; no database), two stored commits (--commit CANDIDATE --vs\n"
        "REFERENCE), or variants inside files or a stored commit that differ in one param\n"
        "(--by mode --ref eager). For each series: both medians, the ratio\n"
        "candidate/reference with its confidence interval (Hodges-Lehmann on log values; the\n"
        "Mann-Whitney interval, or with --paired the Wilcoxon signed-rank one), a two-sided\n"
        "p-value, Benjamini-Hochberg q-values across the table, and a verdict in words: faster /\n"
        "slower (better / worse for other metrics) or no significant difference.\n"
        "Exits 0 whatever the verdicts, 2 on bad input.");
    add_common_options(*cmd, options->common);
    add_read_db_options(*cmd, options->common);
    cmd->get_option("--commit")
        ->description(
            "Stored runs: the candidate commit (a sha or a unique prefix; default: git "
            "HEAD)");
    cmd->add_option("--vs", options->vs,
                    "Stored runs: the reference commit (a sha or a unique prefix)");
    cmd->add_option("--vs-branch", options->vs_branch,
                    "Stored runs: the branch of the reference commit (default: --branch)");
    cmd->add_option("files", options->files,
                    "Result files: REFERENCE CANDIDATE, or any number with --by ('-' for "
                    "standard input); none to read stored runs")
        ->expected(0, -1);
    cmd->add_option("--format,-f", options->format,
                    "Input format: auto, " + formats::adapter_names())
        ->capture_default_str();
    cmd->add_option("--output-format", options->output_format, "Output: text, json or markdown")
        ->check(CLI::IsMember({"text", "json", "markdown"}))
        ->capture_default_str();
    cmd->add_option("--by", options->by,
                    "Compare variants that differ only in this param (e.g. mode, framework)");
    cmd->add_option("--ref", options->ref,
                    "With --by: the param value every other variant is compared with (e.g. "
                    "eager)");
    cmd->add_option("--metric", options->metrics,
                    "Only this metric (repeatable), e.g. real_time, throughput");
    cmd->add_option("--filter", options->filter,
                    "Only series whose name ('suite/benchmark {params}') matches this regular "
                    "expression (ECMAScript, searched anywhere)");
    add_adapter_flags(*cmd, options->adapter, "", /*with_metric=*/false);
    cmd->add_flag("--paired", options->paired,
                  "Sample i of both sides belongs together (the same round): paired interval and "
                  "Wilcoxon signed-rank test where the counts match");
    cmd->add_option("--alpha", options->alpha,
                    "False discovery rate across the table (Benjamini-Hochberg)")
        ->check(CLI::Range(0.0, 1.0).description("in (0, 1)"))
        ->capture_default_str();
    cmd->add_option("--confidence", options->confidence, "Confidence of each row's interval")
        ->check(CLI::Range(0.0, 1.0).description("in (0, 1)"))
        ->capture_default_str();
    add_byte_size_option(*cmd, "--max-input-size", options->max_input_bytes,
                         "Refuse larger inputs before parsing (e.g. 256MiB, 1GiB)", "256MiB");
    cmd->callback([options, &action] { action = [options] { return run_compare(*options); }; });
}

}  // namespace perftrack::cli
