#include "reports/render/variants_json.hpp"

#include <cmath>

namespace perftrack::reports::render {

namespace {

nlohmann::json number(std::optional<double> v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

nlohmann::json cell_json(const VariantCell& c) {
    nlohmann::json j = nlohmann::json::object();
    j["kind"] = std::string(to_string(c.kind));
    j["median"] = number(c.median);
    j["n"] = c.n;
    j["ratio"] = number(c.ratio);
    j["ci"] = c.ratio ? nlohmann::json::array({number(c.ci_low), number(c.ci_high)})
                      : nlohmann::json(nullptr);
    j["p_value"] = number(c.p_value);
    j["q_value"] = number(c.q_value);
    j["verdict"] = c.kind == VariantCellKind::compared
                       ? nlohmann::json(std::string(compare::to_string(c.verdict)))
                       : nlohmann::json(nullptr);
    j["verdict_words"] = c.verdict_words;
    j["best"] = c.best;
    j["note"] = c.note;
    j["failure"] = c.failure;
    return j;
}

}  // namespace

std::string_view to_string(VariantCellKind kind) {
    switch (kind) {
        case VariantCellKind::missing:
            return "missing";
        case VariantCellKind::reference:
            return "reference";
        case VariantCellKind::compared:
            return "compared";
        case VariantCellKind::unreferenced:
            return "unreferenced";
        case VariantCellKind::failed:
            return "failed";
    }
    return "missing";
}

nlohmann::json variants_json(const VariantsSection& s) {
    nlohmann::json out = nlohmann::json::object();
    out["enabled"] = s.enabled;
    out["by"] = s.by;
    out["reference"] = {{"param", s.reference_param}, {"value", s.reference_value}};
    out["commit"] = s.commit;
    out["runs"] = s.runs;
    out["alpha"] = s.settings.alpha;
    out["confidence"] = s.settings.confidence;
    out["notes"] = s.notes;
    auto tables = nlohmann::json::array();
    for (const auto& t : s.tables) {
        nlohmann::json tj = nlohmann::json::object();
        tj["metric"] = t.metric;
        tj["unit"] = t.unit;
        tj["direction"] = std::string(core::to_string(t.direction));
        tj["anchor"] = t.anchor;
        auto columns = nlohmann::json::array();
        for (const auto& c : t.columns) {
            nlohmann::json values = nlohmann::json::object();
            for (std::size_t i = 0; i < s.by.size() && i < c.values.size(); ++i)
                values[s.by[i]] = c.values[i];
            columns.push_back({{"values", values}, {"reference", c.reference}});
        }
        tj["columns"] = columns;
        tj["counts"] = {{"better", t.counts.better},
                        {"worse", t.counts.worse},
                        {"no_difference", t.counts.no_difference},
                        {"insufficient", t.counts.insufficient}};
        auto rows = nlohmann::json::array();
        for (const auto& r : t.rows) {
            nlohmann::json rj = nlohmann::json::object();
            rj["suite"] = r.suite;
            rj["benchmark"] = r.benchmark;
            rj["params"] = r.params;
            auto cells = nlohmann::json::array();
            for (const auto& c : r.cells) cells.push_back(cell_json(c));
            rj["cells"] = cells;
            rows.push_back(std::move(rj));
        }
        tj["rows"] = rows;
        tables.push_back(std::move(tj));
    }
    out["tables"] = tables;
    return out;
}

}  // namespace perftrack::reports::render
