#include "reports/detect/check.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "core/display.hpp"
#include "reports/detect/detector_state.hpp"
#include "reports/detect/parallel.hpp"
#include "reports/detect/replay.hpp"
#include "reports/detect/series_data.hpp"

namespace perftrack::reports::detect {

namespace {

std::string short_sha(const std::string& sha) {
    return sha.substr(0, 12);
}

// The baseline branch's runs placed on its full timeline, and the window of them that the
// replay deciding `end_position` needs.
struct BaselineWindow {
    Timeline timeline;                         // every commit of the branch (positions)
    store::History history;                    // the runs of the window, with samples
    std::vector<std::size_t> position_of_run;  // per history.runs: timeline position
    std::size_t window_start = 0;
};

BaselineWindow load_window(store::HistoryReader& reader, const store::HistoryQuery& base_query,
                           const std::vector<store::RunInfo>& all_runs, std::size_t end_position,
                           const DetectionSettings& settings) {
    BaselineWindow w;
    store::History meta;
    meta.runs = all_runs;
    w.timeline = build_timeline(meta);
    w.window_start = replay_window_start(end_position, settings);
    // Runs are ordered by commit time; the window is a suffix of the runs up to the end
    // position's commit time.
    std::size_t first = all_runs.size();
    for (std::size_t i = 0; i < all_runs.size(); ++i) {
        if (w.timeline.position_of_run[i] >= w.window_start) {
            first = i;
            break;
        }
    }
    const std::int64_t until = w.timeline.commits[end_position].commit_time_us;
    std::size_t last = first;
    for (std::size_t i = first; i < all_runs.size() && all_runs[i].commit_time_us <= until; ++i)
        last = i + 1;
    std::unordered_map<std::int64_t, std::size_t> position_by_id;
    for (std::size_t i = 0; i < all_runs.size(); ++i)
        position_by_id.emplace(all_runs[i].id, w.timeline.position_of_run[i]);
    store::HistoryQuery q = base_query;
    q.until_commit_time_us = until;
    q.last_runs = last - first;
    w.history = reader.load_history(q);
    for (const auto& r : w.history.runs) {
        auto it = position_by_id.find(r.id);
        // Runs ingested since the listing, or after the end position: not part of this check.
        w.position_of_run.push_back(
            it == position_by_id.end() || it->second > end_position ? k_no_position : it->second);
    }
    return w;
}

// What a pull request's verdict rests on: its runs and what the re-runs showed.
std::string rerun_note(const Assessment& a) {
    const std::size_t reruns = a.runs_used > 0 ? a.runs_used - 1 : 0;
    const std::string first = core::format_change(a.first_change);
    switch (a.rerun_stage) {
        case RerunStage::single_run:
            return {};
        case RerunStage::wanted:
            return fmt::format(
                "decided on one run ({}); a one-off slow run looks the same: re-runs "
                "(perftrack run --check --confirm N) tell a step from a spike",
                first);
        case RerunStage::confirmed:
            return fmt::format(
                "decided on {} runs: the first {}, the {} re-run{} {} on their own, "
                "staying where the first run was: a step",
                a.runs_used, first, reruns, reruns == 1 ? "" : "s",
                core::format_change(a.rerun_change));
        case RerunStage::cleared:
            return fmt::format(
                "the first run was {}, the {} re-run{} {}: back at the baseline, "
                "a one-off run, not a step",
                first, reruns, reruns == 1 ? "" : "s", core::format_change(a.rerun_change));
        case RerunStage::undecided:
            return fmt::format(
                "the first run was {}, {} re-run{} {} on their own: not decided "
                "either way; more re-runs would tell",
                first, reruns, reruns == 1 ? "" : "s", core::format_change(a.rerun_change));
    }
    return {};
}

SeriesVerdict verdict_from(const core::SeriesId& info, const Assessment& a, const Decision& d,
                           const Timeline& timeline, bool pull_request) {
    SeriesVerdict v;
    v.series = info;
    v.status = d.status;
    v.p_value = d.p_value;
    v.q_value = d.q_value;
    v.baseline_commits = a.baseline_commits;
    v.level_commits = a.level_commits;
    v.baseline_median = a.baseline_median;
    if (a.baseline_first_point && *a.baseline_first_point < timeline.commits.size())
        v.baseline_from = timeline.commits[*a.baseline_first_point].commit;
    if (a.baseline_last_point && *a.baseline_last_point < timeline.commits.size())
        v.baseline_to = timeline.commits[*a.baseline_last_point].commit;
    v.candidate_runs = a.candidate_runs;
    v.candidate_median = a.candidate_median;
    v.exact = a.exact;
    const bool flagged = d.status == Status::regression || d.status == Status::improvement;
    if (a.kind == AssessmentKind::tested) {
        // The numbers the decision was made on: the step's when there is one.
        const GroupTest& shown = a.step ? *a.step : a.current;
        v.change = shown.change;
        v.ci_low = shown.ci_low;
        v.ci_high = shown.ci_high;
        v.baseline_value = shown.baseline_value;
        v.candidate_value = shown.candidate_value;
    }
    v.runs_used = pull_request ? a.runs_used : a.candidate_runs;
    v.rerun_stage = a.rerun_stage;
    v.rerun_change = a.rerun_change;
    if (flagged) {
        if (a.step->since_point < timeline.commits.size())
            v.since = timeline.commits[a.step->since_point].commit;
        if (!pull_request && a.step->since_point != a.point && v.since)
            v.note = fmt::format("confirmed by the runs since {}, where the step began",
                                 short_sha(*v.since));
    } else if (a.step) {
        v.note =
            "significant for this series alone, but not after correcting for the number of "
            "series checked";
    } else if (a.pending) {
        v.pending = true;
        v.note = "one run is off; the next commit's run will confirm or clear it";
    } else if (a.kind == AssessmentKind::insufficient_data) {
        v.note = fmt::format("{} baseline commit{} since the last change; 3 are needed",
                             a.level_commits, a.level_commits == 1 ? "" : "s");
    } else if (a.kind == AssessmentKind::new_series) {
        v.note = "no earlier runs of this benchmark and metric";
    }
    if (a.exact && flagged) v.note = "the baseline never varied: compared exactly";
    if (a.matches_base_shift)
        v.note = fmt::format(
            "the baseline branch itself got worse at the merge-base {} (one run, not confirmed "
            "there yet); this commit's run matches it, so the change is not this commit's",
            v.baseline_to ? short_sha(*v.baseline_to) : std::string("-"));
    else if (pull_request && a.kind == AssessmentKind::tested && !a.exact) {
        const std::string why = rerun_note(a);
        if (!why.empty()) v.note = v.note.empty() ? why : why + "; " + v.note;
    }
    return v;
}

void order_results(std::vector<SeriesVerdict>& results) {
    std::stable_sort(
        results.begin(), results.end(),
        [](const SeriesVerdict& a, const SeriesVerdict& b) { return a.series < b.series; });
}

// The newest k_change_point_window_runs runs up to `commit` (as a read of them would list
// them: those with a commit time at most the commit's newest run's), cut from the check's
// window, and their regressing steps; nullopt when the window does not hold all of those runs.
std::optional<std::vector<RegressingStep>> change_points_in_window(
    BaselineWindow&& w, const std::vector<store::RunInfo>& all_runs, const std::string& commit,
    std::size_t position, const DetectionSettings& settings) {
    std::optional<std::int64_t> until;
    for (const auto& run : all_runs)
        if (run.commit == commit) until = run.commit_time_us;
    // The window ends at the commit's first run's time; runs of the commit stored with a later
    // time (an unknown commit time is the run's start) are not in it.
    if (!until || *until != w.timeline.commits[position].commit_time_us) return std::nullopt;
    const std::size_t end = w.history.runs.size();
    // A window starting at the branch's first run holds every run up to the commit.
    if (end < k_change_point_window_runs && w.window_start > 0) return std::nullopt;
    const std::size_t first = end - std::min(end, k_change_point_window_runs);
    return regressing_steps(slice_runs(std::move(w.history), first, end), settings.alpha,
                            settings.defaults.min_change);
}

CheckResult start_result(const CheckRequest& r, const DetectionSettings& settings, bool pr) {
    CheckResult out;
    out.project = r.project;
    out.testbed = r.testbed;
    out.branch = r.branch;
    out.commit = r.commit;
    out.baseline_branch = r.baseline_branch;
    out.pull_request = pr;
    out.alpha = settings.alpha;
    out.thresholds = settings.defaults;
    return out;
}

core::Result<CheckResult> check_on_baseline_branch(store::HistoryReader& reader,
                                                   const CheckRequest& r,
                                                   const DetectionSettings& settings) {
    const store::HistoryQuery base{r.project, r.testbed, r.baseline_branch, std::nullopt,
                                   std::nullopt};
    const auto all_runs = reader.list_runs(base);
    store::History meta;
    meta.runs = all_runs;
    const auto position = build_timeline(meta).position_of(r.commit);
    if (!position)
        return core::fail(core::ErrorKind::input,
                          fmt::format("commit {} has no runs on branch {} (project {}, testbed {})",
                                      r.commit, r.baseline_branch, r.project, r.testbed),
                          "ingest its results first, or pass --commit / --branch / --testbed");
    const std::size_t p = *position;
    auto w = load_window(reader, base, all_runs, p, settings);

    CheckResult out = start_result(r, settings, false);
    if (p > 0) out.baseline_commit = w.timeline.commits[p - 1].commit;
    // The replay of the deciding window, continued from the states saved by earlier checks
    // where they still match (detector_state.hpp): the same assessments, without the warm-up.
    auto replayed_at = assess_with_saved_states(reader, base, w.history, w.position_of_run,
                                                w.timeline, p, settings)
                           .assessments;
    std::vector<core::SeriesId> infos;
    std::vector<Assessment> assessments;
    for (std::size_t i = 0; i < replayed_at.size(); ++i) {
        if (!replayed_at[i]) continue;
        infos.push_back(w.history.series[i].id);
        assessments.push_back(std::move(*replayed_at[i]));
    }
    std::vector<const Assessment*> ptrs;
    for (const auto& a : assessments) ptrs.push_back(&a);
    const auto decisions = decide(ptrs, settings.alpha);
    for (std::size_t i = 0; i < assessments.size(); ++i)
        out.results.push_back(
            verdict_from(infos[i], assessments[i], decisions[i], w.timeline, false));
    order_results(out.results);
    if (r.change_points)
        out.regressing_steps =
            change_points_in_window(std::move(w), all_runs, r.commit, p, settings);
    return out;
}

core::Result<CheckResult> check_pull_request(store::HistoryReader& reader, const CheckRequest& r,
                                             const DetectionSettings& settings) {
    // The candidate's runs on its own branch.
    const store::HistoryQuery cand_query{r.project, r.testbed, r.branch, std::nullopt,
                                         std::nullopt};
    const auto cand_runs = reader.list_runs(cand_query);
    std::optional<std::size_t> first_candidate;
    for (std::size_t i = 0; i < cand_runs.size(); ++i) {
        if (cand_runs[i].commit == r.commit) {
            first_candidate = i;
            break;
        }
    }
    if (!first_candidate)
        return core::fail(core::ErrorKind::input,
                          fmt::format("commit {} has no runs on branch {} (project {}, testbed {})",
                                      r.commit, r.branch, r.project, r.testbed),
                          "ingest its results first, or pass --commit / --branch / --testbed");
    const std::int64_t cand_time = cand_runs[*first_candidate].commit_time_us;
    std::size_t cand_end = *first_candidate;
    while (cand_end < cand_runs.size() && cand_runs[cand_end].commit_time_us <= cand_time)
        ++cand_end;
    store::HistoryQuery q = cand_query;
    q.until_commit_time_us = cand_time;
    q.last_runs = cand_end - *first_candidate;
    const auto candidate = reader.load_history(q);

    CheckResult out = start_result(r, settings, true);
    // The baseline branch up to the merge-base.
    const store::HistoryQuery base{r.project, r.testbed, r.baseline_branch, std::nullopt,
                                   std::nullopt};
    const auto all_runs = reader.list_runs(base);
    store::History meta;
    meta.runs = all_runs;
    const Timeline full = build_timeline(meta);
    std::optional<std::size_t> end;
    if (r.base_commit) end = full.position_of(*r.base_commit);
    if (!end) {
        std::int64_t bound = cand_time;
        if (r.base_commit && r.base_commit_time_us) {
            bound = *r.base_commit_time_us;
            out.notes.push_back(fmt::format(
                "the merge-base {} has no runs on {}: the baseline ends at the last commit before "
                "its time",
                short_sha(*r.base_commit), r.baseline_branch));
        } else {
            out.notes.push_back(fmt::format(
                "merge-base unknown (pass --base-commit): the baseline is {} as of the candidate's "
                "commit time, which may include newer unrelated changes",
                r.baseline_branch));
        }
        for (std::size_t pos = 0; pos < full.commits.size(); ++pos)
            if (full.commits[pos].commit_time_us <= bound) end = pos;
    }

    std::unordered_map<std::string, std::size_t> baseline_series;
    BaselineWindow w;
    if (end) {
        w = load_window(reader, base, all_runs, *end, settings);
        out.baseline_commit = w.timeline.commits[*end].commit;
        for (std::size_t i = 0; i < w.history.series.size(); ++i)
            baseline_series.emplace(w.history.series[i].id.key(), i);
    } else {
        out.notes.push_back(fmt::format("no runs on {} before this commit: nothing to compare with",
                                        r.baseline_branch));
    }

    // Series are assessed independently: over the machine's cores, collected in series order.
    struct Assessed {
        bool measured = false;  // the commit has a usable run of the series
        Assessment a;
        std::string note;
    };
    std::vector<Assessed> assessed(candidate.series.size());
    parallel_for(candidate.series.size(), [&](std::size_t index) {
        const auto& series = candidate.series[index];
        std::vector<double> runs;
        for (const auto& p : series.points) {
            if (candidate.runs[p.run].commit != r.commit) continue;
            if (auto v = run_value(p.samples)) runs.push_back(*v);
        }
        if (runs.empty()) return;
        Assessment a;
        std::string note;
        for (const auto& reset : candidate.resets) {
            if (reset.commit == r.commit && reset_applies(reset, series.id)) {
                note = fmt::format("baseline reset at this commit: {}", reset.reason);
                a.kind = AssessmentKind::insufficient_data;
            }
        }
        auto it = baseline_series.find(series.id.key());
        if (note.empty() && it == baseline_series.end()) {
            a.kind = AssessmentKind::new_series;
        } else if (note.empty()) {
            const auto& base_series = w.history.series[it->second];
            const auto points = series_points(base_series, w.position_of_run);
            const auto resets = reset_positions(base_series.id, w.history.resets, w.timeline);
            a = assess_after_window(points, series.id.direction, settings,
                                    thresholds_for(settings, series.id.metric), resets,
                                    w.window_start, *end + 1, runs);
        }
        a.candidate_runs = runs.size();
        if (a.kind != AssessmentKind::tested) {
            std::vector<double> sorted = runs;
            std::sort(sorted.begin(), sorted.end());
            const std::size_t m = sorted.size();
            a.candidate_median =
                m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
        }
        assessed[index] = {true, std::move(a), std::move(note)};
    });
    std::vector<core::SeriesId> infos;
    std::vector<Assessment> assessments;
    std::vector<std::string> reset_notes;
    for (std::size_t i = 0; i < assessed.size(); ++i) {
        if (!assessed[i].measured) continue;
        infos.push_back(candidate.series[i].id);
        assessments.push_back(std::move(assessed[i].a));
        reset_notes.push_back(std::move(assessed[i].note));
    }
    std::vector<const Assessment*> ptrs;
    for (const auto& a : assessments) ptrs.push_back(&a);
    const auto decisions = decide(ptrs, settings.alpha);
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        auto v = verdict_from(infos[i], assessments[i], decisions[i], w.timeline, true);
        if (!reset_notes[i].empty()) v.note = reset_notes[i];
        if (v.since) v.since = r.commit;  // a pull request's step begins at its own commit
        out.results.push_back(std::move(v));
    }
    order_results(out.results);
    return out;
}

}  // namespace

std::size_t CheckResult::count(Status status) const {
    return static_cast<std::size_t>(
        std::count_if(results.begin(), results.end(),
                      [&](const SeriesVerdict& v) { return v.status == status; }));
}

std::string runs_summary(const SeriesVerdict& v) {
    if (v.status == Status::new_series || v.status == Status::insufficient_data)
        return std::to_string(v.candidate_runs);
    const std::size_t reruns = v.runs_used > 0 ? v.runs_used - 1 : 0;
    switch (v.rerun_stage) {
        case RerunStage::single_run:
            return std::to_string(v.runs_used);
        case RerunStage::wanted:
            return "1, no re-run";
        case RerunStage::confirmed:
            return fmt::format("{}, re-run{} confirm{}", v.runs_used, reruns == 1 ? "" : "s",
                               reruns == 1 ? "s" : "");
        case RerunStage::cleared:
            return fmt::format("{}, re-run{} clear{}", v.runs_used, reruns == 1 ? "" : "s",
                               reruns == 1 ? "s" : "");
        case RerunStage::undecided:
            return fmt::format("{}, undecided", v.runs_used);
    }
    return std::to_string(v.runs_used);
}

std::vector<const SeriesVerdict*> series_to_rerun(const CheckResult& result) {
    std::vector<const SeriesVerdict*> out;
    for (const auto& v : result.results) {
        // Worse in the metric's own direction: larger for lower-is-better, smaller otherwise.
        const bool worse =
            v.series.direction == core::Direction::lower ? v.change > 0 : v.change < 0;
        const bool again = result.pull_request
                               ? wants_rerun(v.rerun_stage)
                               : v.status == Status::regression || (v.pending && worse);
        if (again) out.push_back(&v);
    }
    return out;
}

std::optional<std::string> newest_commit(store::HistoryReader& reader, const std::string& project,
                                         const std::string& testbed, const std::string& branch) {
    store::History meta;
    meta.runs = reader.list_runs({project, testbed, branch, std::nullopt, std::nullopt});
    const Timeline timeline = build_timeline(meta);
    if (timeline.commits.empty()) return std::nullopt;
    return timeline.commits.back().commit;
}

core::Result<CheckResult> run_check(store::HistoryReader& reader, const CheckRequest& request,
                                    const DetectionSettings& settings) {
    if (request.branch == request.baseline_branch)
        return check_on_baseline_branch(reader, request, settings);
    return check_pull_request(reader, request, settings);
}

}  // namespace perftrack::reports::detect
