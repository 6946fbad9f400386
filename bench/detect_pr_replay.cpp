// Replays the evaluation's pull-request checks in-process, through the same run_check the CLI
// calls (with an in-memory history instead of PostgreSQL), for quick measurements of PR gating
// while developing. The real measurement drives the CLI: ../shared/eval, run_eval.py --mode pr.
//
//   /usr/bin/python3 tools/pr_replay.py --limit 30 --confirm 0,2
//
// Input (stdin, one JSON line per history, written by tools/pr_replay.py): {"id", "direction",
// "unit", "commits": [{"sha", "time", "samples"}], "events": [{"t", "runs": [[samples]...]}]}:
// main's commits, and per PR check at commit t the candidate's runs (commit t's own run first,
// then its re-runs). Argument: the numbers N of re-runs to check with, comma-separated.
// Output: per N and history one line {"n", "id", "checks": [{"t", "status", "change", "ci_low",
// "ci_high", "p", "runs_used"}]}: the candidate is the first 1 + N runs, checked on a branch of
// its own against main at the merge-base t - 1.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "reports/detect/check.hpp"
#include "tests/unit/reports/memory_history.hpp"

using namespace perftrack;

namespace {

nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

store::SeriesHistory series_of(const nlohmann::json& h) {
    store::SeriesHistory s;
    s.benchmark_id = 1;
    s.metric_id = 1;
    s.id.benchmark = h["id"].get<std::string>();
    s.id.metric = "value";
    s.id.unit = h["unit"].get<std::string>();
    s.id.direction = h["direction"] == "higher" ? core::Direction::higher : core::Direction::lower;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s N[,N...] < CASES.jsonl\n", argv[0]);
        return 2;
    }
    std::vector<std::size_t> confirms;
    {
        std::stringstream ss(argv[1]);
        std::string item;
        while (std::getline(ss, item, ',')) confirms.push_back(std::stoul(item));
    }
    // Settings under study can be changed without rebuilding (development only).
    reports::detect::DetectionSettings settings;
    if (const char* v = std::getenv("PR_SCREEN_ALPHA")) settings.rerun_screen_alpha = std::stod(v);
    if (const char* v = std::getenv("PR_ALPHA")) settings.alpha = std::stod(v);
    if (const char* v = std::getenv("PR_HIDDEN_STEP")) settings.rerun_hidden_step = std::stod(v);
    if (const char* v = std::getenv("PR_HIDE_Z")) settings.rerun_hide_z = std::stod(v);
    if (const char* v = std::getenv("PR_FIXED_RERUNS")) {
        settings.rerun_rule = reports::detect::RerunRule::fixed;
        settings.fixed_reruns = std::stoul(v);
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        const auto h = nlohmann::json::parse(line);
        testing::MemoryReader reader;
        store::History main_history;
        store::SeriesHistory main_series = series_of(h);
        std::vector<std::string> shas;
        std::vector<std::int64_t> times;
        std::uint32_t index = 0;
        for (const auto& c : h["commits"]) {
            store::RunInfo r;
            r.id = index + 1;
            r.branch = "main";
            r.commit = c["sha"].get<std::string>();
            r.commit_time_us = *core::parse_iso8601_us(c["time"].get<std::string>());
            r.started_at_us = r.commit_time_us;
            shas.push_back(r.commit);
            times.push_back(r.commit_time_us);
            main_history.runs.push_back(r);
            main_series.points.push_back({index, c["samples"].get<std::vector<double>>()});
            ++index;
        }
        main_history.series.push_back(std::move(main_series));
        reader.branches["main"] = std::move(main_history);
        for (std::size_t n : confirms) {
            nlohmann::json out;
            out["n"] = n;
            out["id"] = h["id"];
            out["checks"] = nlohmann::json::array();
            for (const auto& e : h["events"]) {
                const std::size_t t = e["t"].get<std::size_t>();
                store::History pr;
                store::SeriesHistory s = series_of(h);
                const auto& runs = e["runs"];
                for (std::size_t k = 0; k <= n && k < runs.size(); ++k) {
                    store::RunInfo r;
                    r.id = 100000 + static_cast<std::int64_t>(k);
                    r.branch = "pr";
                    r.commit = "pr-commit";
                    r.commit_time_us = times[t];
                    r.started_at_us = times[t] + static_cast<std::int64_t>(k);
                    pr.runs.push_back(r);
                    s.points.push_back(
                        {static_cast<std::uint32_t>(k), runs[k].get<std::vector<double>>()});
                }
                pr.series.push_back(std::move(s));
                reader.branches["pr"] = std::move(pr);
                reports::detect::CheckRequest req;
                req.branch = "pr";
                req.commit = "pr-commit";
                req.baseline_branch = "main";
                req.base_commit = shas[t - 1];
                const auto result = reports::detect::run_check(reader, req, settings);
                if (!result || result->results.size() != 1) {
                    std::fprintf(stderr, "%s t=%zu: no verdict\n",
                                 h["id"].get<std::string>().c_str(), t);
                    return 1;
                }
                const auto& v = result->results[0];
                out["checks"].push_back({{"t", t},
                                         {"status", std::string(to_string(v.status))},
                                         {"change", number(v.change)},
                                         {"ci_low", number(v.ci_low)},
                                         {"ci_high", number(v.ci_high)},
                                         {"p", number(v.p_value)},
                                         {"runs_used", v.runs_used},
                                         {"stage", static_cast<int>(v.rerun_stage)},
                                         {"rerun_change", number(v.rerun_change)}});
            }
            std::cout << out.dump() << "\n";
        }
    }
    return 0;
}
