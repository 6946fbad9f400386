// Replays synthetic histories through the detector in-process, for quick measurements of
// detection quality while developing (the real evaluation drives the CLI: ../shared/eval).
//
//   /usr/bin/python3 ../shared/eval/gen.py --preset dev --out /tmp/dev.jsonl
//   build/bench/perftrack_detect_replay /tmp/dev.jsonl > /tmp/out.jsonl
//   /usr/bin/python3 tools/score_detect_replay.py /tmp/dev.jsonl /tmp/out.jsonl
//
// Input: gen.py's JSONL (one history per line: commits with sha, time and samples; direction).
// Output: one JSON line per history: {"id", "flags": [regression commit indices],
// "improvements": [...], "change_points": [...]} (indices into the history's commits).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "reports/detect/backtest.hpp"
#include "reports/detect/changepoints.hpp"
#include "reports/detect/replay.hpp"

using namespace perftrack;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s HISTORIES.jsonl\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1]);
    std::string line;
    reports::detect::DetectionSettings settings;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto h = nlohmann::json::parse(line);
        store::History history;
        store::SeriesHistory series;
        series.id.benchmark = h["id"].get<std::string>();
        series.id.metric = "value";
        series.id.unit = h["unit"].get<std::string>();
        series.id.direction =
            h["direction"] == "higher" ? core::Direction::higher : core::Direction::lower;
        std::uint32_t index = 0;
        for (const auto& c : h["commits"]) {
            store::RunInfo r;
            r.id = index + 1;
            r.commit = c["sha"].get<std::string>();
            r.commit_time_us = *core::parse_iso8601_us(c["time"].get<std::string>());
            r.started_at_us = r.commit_time_us;
            history.runs.push_back(r);
            series.points.push_back({index, c["samples"].get<std::vector<double>>()});
            ++index;
        }
        history.series.push_back(series);
        const auto bt = reports::detect::run_backtest(history, settings);
        if (const char* dbg = std::getenv("DETECT_DEBUG"); dbg && h["id"] == dbg) {
            // Every assessment of the whole history in one replay (debugging aid).
            const auto tl = reports::detect::build_timeline(history);
            const auto pts = reports::detect::series_points(history.series[0], tl);
            const auto all =
                reports::detect::replay_window(pts, history.series[0].id.direction, settings,
                                               settings.defaults, {}, 0, 0, pts.size());
            for (const auto& pa : all) {
                const auto& a = pa.assessment;
                std::fprintf(stderr,
                             "%3zu kind=%d base=%zu lvl=%zu med=%.5g cand=%.5g cur: sign=%d p=%.3g "
                             "pg=%.3g ch=%+.4f%s%s%s\n",
                             pa.position, static_cast<int>(a.kind), a.baseline_commits,
                             a.level_commits, a.baseline_median, a.candidate_median, a.current.sign,
                             a.current.p_value, a.current.p_group, a.current.change,
                             a.pending ? " PENDING" : "", a.step ? " STEP" : "",
                             a.silent_restart ? " SPLIT" : "");
            }
        }
        nlohmann::json out;
        out["id"] = h["id"];
        out["flags"] = nlohmann::json::array();
        out["improvements"] = nlohmann::json::array();
        for (const auto& f : bt.series.at(0).flags)
            (f.status == reports::detect::Status::regression ? out["flags"] : out["improvements"])
                .push_back(f.position);
        out["change_points"] = nlohmann::json::array();
        for (const auto& cp : reports::detect::find_change_points(history, history.series[0]))
            out["change_points"].push_back(cp.position);
        std::cout << out.dump() << "\n";
    }
    return 0;
}
