#include "reports/compare/compare_output.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/display.hpp"

namespace perftrack::reports::compare {

namespace {

constexpr std::size_t k_columns = 9;
using Cells = std::array<std::string, k_columns>;

std::string ratio_text(double r) {
    return core::format_number(r) + "x";
}

std::string interval_text(const Row& row) {
    if (!row.ratio) return std::string(core::k_missing);
    return "[" + core::format_number(row.ci_low) + ", " + core::format_number(row.ci_high) + "]";
}

std::string series_text(const Row& row) {
    std::string s = core::series_name(row.series);
    if (!row.candidate_label.empty()) s += " (" + row.candidate_label + ")";
    return s;
}

std::string method_line(const Comparison& c) {
    const bool any_paired = std::any_of(c.rows.begin(), c.rows.end(),
                                        [](const Row& r) { return r.method == Method::paired; });
    return fmt::format(
        "ratio = candidate / reference, a Hodges-Lehmann estimate on log values with its {:g}% "
        "interval from the {} distribution; two-sided {} p, Benjamini-Hochberg q at {:g}",
        100 * c.settings.confidence, any_paired ? "Wilcoxon signed-rank (paired)" : "Mann-Whitney",
        any_paired ? "signed-rank" : "Mann-Whitney", c.settings.alpha);
}

std::string summary_line(const Comparison& c, const SideNames& names) {
    return fmt::format(
        "{} against {}: {} rows, {} worse, {} better, {} no significant difference, {} not "
        "compared",
        names.candidate, names.reference, c.rows.size(), c.count(Verdict::worse),
        c.count(Verdict::better), c.count(Verdict::no_difference), c.count(Verdict::insufficient));
}

Cells cells(const Row& row) {
    const auto scale =
        core::shared_scale(row.series.unit, row.reference.median, row.candidate.median);
    const auto centre = [&](const Side& s) {
        return s.n == 0 ? std::string(core::k_missing) : core::format_scaled(s.median, scale);
    };
    std::string verdict(verdict_words(row.verdict, row.series));
    if (!row.note.empty()) verdict += " (" + row.note + ")";
    return {series_text(row),
            row.series.metric,
            centre(row.reference),
            centre(row.candidate),
            row.ratio ? ratio_text(*row.ratio) : std::string(core::k_missing),
            interval_text(row),
            core::format_probability(row.p_value),
            core::format_probability(row.q_value),
            verdict};
}

// A column is named by the last part of a path ("old.json"); the summary line names it whole.
std::string column_name(const std::string& name) {
    const auto slash = name.find_last_of('/');
    return slash == std::string::npos || slash + 1 == name.size() ? name : name.substr(slash + 1);
}

Cells header(const Comparison& c, const SideNames& names) {
    return {"series",
            "metric",
            column_name(names.reference),
            column_name(names.candidate),
            "ratio",
            fmt::format("{:g}% CI", 100 * c.settings.confidence),
            "p",
            "q",
            "verdict"};
}

std::string pad(const std::string& s, std::size_t width, bool right) {
    const std::size_t w = core::text_width(s);
    const std::string fill(width > w ? width - w : 0, ' ');
    return right ? fill + s : s + fill;
}

}  // namespace

std::string render_compare_text(const Comparison& c, const SideNames& names) {
    std::string out = summary_line(c, names) + "\n(" + method_line(c) + ")\n";
    if (c.rows.empty()) return out;
    std::vector<Cells> table{header(c, names)};
    for (const auto& row : c.rows) table.push_back(cells(row));
    std::array<std::size_t, k_columns> width{};
    for (const auto& r : table)
        for (std::size_t i = 0; i < k_columns; ++i)
            width[i] = std::max(width[i], core::text_width(r[i]));
    // Numbers right-aligned; names and words left.
    constexpr std::array<bool, k_columns> right = {false, false, true, true, true,
                                                   false, true,  true, false};
    out += "\n";
    for (const auto& r : table) {
        std::string line;
        for (std::size_t i = 0; i < k_columns; ++i) {
            if (i > 0) line += "  ";
            // The last column is not padded (no trailing blanks).
            line += i + 1 == k_columns ? r[i] : pad(r[i], width[i], right[i]);
        }
        out += line + "\n";
    }
    return out;
}

std::string render_compare_markdown(const Comparison& c, const SideNames& names) {
    std::string out = "**" + core::markdown_text(summary_line(c, names)) + "**\n\n_" +
                      core::markdown_text(method_line(c)) + "_\n";
    if (c.rows.empty()) return out;
    const auto line = [](const Cells& r) {
        std::string s = "|";
        for (const auto& cell : r) s += " " + core::markdown_text(cell) + " |";
        return s + "\n";
    };
    out += "\n" + line(header(c, names)) + "|---|---|--:|--:|--:|---|--:|--:|---|\n";
    for (const auto& row : c.rows) out += line(cells(row));
    return out;
}

nlohmann::json render_compare_json(const Comparison& c, const SideNames& names) {
    const auto num = [](std::optional<double> v) {
        return v && std::isfinite(*v) ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    const auto side = [&](const Side& s) {
        return nlohmann::json{{"n", s.n}, {"median", s.n == 0 ? nlohmann::json() : num(s.median)}};
    };
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : c.rows) {
        nlohmann::json j{
            {"suite", row.series.suite},
            {"benchmark", row.series.benchmark},
            {"params", row.series.params},
            {"metric", row.series.metric},
            {"unit", row.series.unit},
            {"direction", core::to_string(row.series.direction)},
            {"candidate_label", row.candidate_label},
            {"method", to_string(row.method)},
            {"reference", side(row.reference)},
            {"candidate", side(row.candidate)},
            {"ratio", num(row.ratio)},
            {"ci", row.ratio ? nlohmann::json::array({num(row.ci_low), num(row.ci_high)})
                             : nlohmann::json()},
            {"p_value", num(row.p_value)},
            {"q_value", num(row.q_value)},
            {"verdict", to_string(row.verdict)},
            {"verdict_words", verdict_words(row.verdict, row.series)}};
        if (!row.note.empty()) j["note"] = row.note;
        rows.push_back(std::move(j));
    }
    return nlohmann::json{{"reference", names.reference},
                          {"candidate", names.candidate},
                          {"settings",
                           {{"alpha", c.settings.alpha},
                            {"confidence", c.settings.confidence},
                            {"paired", c.settings.paired}}},
                          {"rows", std::move(rows)},
                          {"summary",
                           {{"rows", c.rows.size()},
                            {"better", c.count(Verdict::better)},
                            {"worse", c.count(Verdict::worse)},
                            {"no_difference", c.count(Verdict::no_difference)},
                            {"insufficient", c.count(Verdict::insufficient)}}}};
}

}  // namespace perftrack::reports::compare
