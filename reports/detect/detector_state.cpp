#include "reports/detect/detector_state.hpp"

#include <algorithm>
#include <bit>
#include <charconv>

#include <fmt/format.h>

#include "reports/detect/parallel.hpp"
#include "reports/detect/replay.hpp"

// The hash of the detector's sources (reports/CMakeLists.txt), so that a build whose detector
// computes anything differently never uses states an older build saved.
#ifndef PERFTRACK_DETECTOR_SOURCES_HASH
#define PERFTRACK_DETECTOR_SOURCES_HASH "unknown"
#endif

namespace perftrack::reports::detect {

namespace {

// splitmix64's finaliser: a bijection that spreads every input bit over the output.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

class Hasher {
  public:
    explicit Hasher(std::uint64_t seed) : m_h(mix(seed)) {}
    void add(std::uint64_t v) { m_h = mix(m_h ^ mix(v)); }
    void add(double v) { add(std::bit_cast<std::uint64_t>(v)); }
    void add(std::string_view text) {
        add(static_cast<std::uint64_t>(text.size()));
        std::uint64_t word = 0;
        std::size_t n = 0;
        for (char c : text) {
            word = (word << 8) | static_cast<unsigned char>(c);
            if (++n == 8) {
                add(word);
                word = 0;
                n = 0;
            }
        }
        add(word);
    }
    std::uint64_t value() const { return m_h; }

  private:
    std::uint64_t m_h;
};

// Adding a field to DetectionSettings must add it to detector_fingerprint() (then update this
// size): settings the fingerprint leaves out would let one setting's states serve another.
static_assert(sizeof(DetectionSettings) == 136,
              "DetectionSettings changed: add the new field to detector_fingerprint()");

// Everything a state before `end` (points [0, end_index) of `window` stepped) was computed from.
std::uint64_t inputs_hash(std::uint64_t key, std::span<const SeriesPoint> window,
                          std::size_t end_index, std::span<const std::size_t> resets,
                          std::size_t window_start, std::size_t end, Scale scale) {
    Hasher h(key);
    h.add(static_cast<std::uint64_t>(window_start));
    h.add(static_cast<std::uint64_t>(end));
    h.add(static_cast<std::uint64_t>(scale == Scale::log ? 1 : 2));
    h.add(static_cast<std::uint64_t>(end_index));
    for (std::size_t i = 0; i < end_index; ++i) {
        h.add(static_cast<std::uint64_t>(window[i].position));
        h.add(static_cast<std::uint64_t>(window[i].runs.size()));
        for (double v : window[i].runs) h.add(v);
    }
    // The resets a step of these points applied: after the first point, at or before the last.
    if (end_index > 0)
        for (std::size_t r : resets)
            if (r > window.front().position && r <= window[end_index - 1].position)
                h.add(static_cast<std::uint64_t>(r));
    return h.value();
}

// A reset between the previous point and point i starts a new level at i (as replay.cpp's
// run_window applies them; never at the window's first point).
bool reset_before(std::span<const SeriesPoint> window, std::span<const std::size_t> resets,
                  std::size_t i) {
    if (i == 0) return false;
    const auto it = std::upper_bound(resets.begin(), resets.end(), window[i - 1].position);
    return it != resets.end() && *it <= window[i].position;
}

// The index of the point at `position` in `window`, when there is one.
std::optional<std::size_t> index_of(std::span<const SeriesPoint> window, std::size_t position) {
    const auto it =
        std::lower_bound(window.begin(), window.end(), position,
                         [](const SeriesPoint& p, std::size_t pos) { return p.position < pos; });
    if (it == window.end() || it->position != position) return std::nullopt;
    return static_cast<std::size_t>(it - window.begin());
}

SavedSeriesState state_of(const OnlineDetector& d, std::span<const SeriesPoint> window,
                          std::uint64_t inputs) {
    const ReplayPoint at = d.replay_point();
    SavedSeriesState s;
    s.inputs = inputs;
    s.scale = d.scale();
    // The level's first point is always a stepped point, or the next one to step (a restart at
    // the point just stepped); positions of points past the window do not occur.
    s.segment = window[at.segment].position;
    if (at.previous) s.previous = window[*at.previous].position;
    return s;
}

// The ReplayPoint of `saved` in this window, stepping `next` next; nullopt when a position is
// not a point of the window (then the inputs differ anyway).
std::optional<ReplayPoint> replay_point_of(const SavedSeriesState& saved,
                                           std::span<const SeriesPoint> window, std::size_t next) {
    ReplayPoint at;
    at.next = next;
    const auto segment = index_of(window, saved.segment);
    if (!segment) return std::nullopt;
    at.segment = *segment;
    if (saved.previous) {
        const auto previous = index_of(window, *saved.previous);
        if (!previous) return std::nullopt;
        at.previous = *previous;
    }
    return at;
}

}  // namespace

std::string detector_fingerprint(const DetectionSettings& s) {
    std::string out = fmt::format(
        "v{} {} alpha={:a} baseline_runs={} min_change={:a} exact_tolerance={:a} "
        "confirm={} late_alpha={:a} screen_alpha={:a} rule={} fixed={} hidden_step={:a} "
        "hide_z={:a}",
        k_detector_state_version, PERFTRACK_DETECTOR_SOURCES_HASH, s.alpha, s.baseline_runs,
        s.defaults.min_change, s.defaults.exact_tolerance, s.confirm_commits, s.late_alpha,
        s.rerun_screen_alpha, static_cast<int>(s.rerun_rule), s.fixed_reruns, s.rerun_hidden_step,
        s.rerun_hide_z);
    for (const auto& [metric, o] : s.per_metric)
        out += fmt::format(" [{}]={}/{}", metric,
                           o.min_change ? fmt::format("{:a}", *o.min_change) : "-",
                           o.exact_tolerance ? fmt::format("{:a}", *o.exact_tolerance) : "-");
    // A short key: the text itself may be long (per-metric overrides) and is only compared.
    Hasher h(0);
    h.add(std::string_view(out));
    return fmt::format("v{}-{:016x}", k_detector_state_version, h.value());
}

std::uint64_t series_key(const core::SeriesId& series) {
    Hasher h(1);
    h.add(std::string_view(series.key()));
    h.add(static_cast<std::uint64_t>(series.direction == core::Direction::lower ? 1 : 2));
    return h.value();
}

std::string encode_states(const SavedStates& states) {
    std::string out;
    out.reserve(states.size() * 64);
    for (const auto& [key, s] : states)
        out += fmt::format("{:x} {:x} {} {} {}\n", key, s.inputs, s.segment,
                           s.previous ? fmt::format("{}", *s.previous) : "-",
                           s.scale == Scale::log ? 'l' : 'n');
    return out;
}

SavedStates decode_states(std::string_view text) {
    SavedStates out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) break;  // a cut line
        const char* p = text.data() + pos;
        const char* end = text.data() + eol;
        pos = eol + 1;
        std::uint64_t key = 0;
        SavedSeriesState s;
        auto field = [&](auto& value, int base) {
            while (p < end && *p == ' ') ++p;
            const auto [next, ec] = std::from_chars(p, end, value, base);
            if (ec != std::errc()) return false;
            p = next;
            return true;
        };
        if (!field(key, 16) || !field(s.inputs, 16) || !field(s.segment, 10)) return out;
        while (p < end && *p == ' ') ++p;
        if (p < end && *p == '-') {
            ++p;
        } else {
            std::size_t previous = 0;
            if (!field(previous, 10)) return out;
            s.previous = previous;
        }
        while (p < end && *p == ' ') ++p;
        if (p + 1 != end || (*p != 'l' && *p != 'n')) return out;
        s.scale = *p == 'l' ? Scale::log : Scale::linear;
        out.emplace(key, s);
    }
    return out;
}

WindowReplay replay_with_state(std::span<const SeriesPoint> points, const core::SeriesId& series,
                               const DetectionSettings& settings,
                               const MetricThresholds& thresholds,
                               std::span<const std::size_t> resets, std::size_t window_start,
                               std::size_t position, bool assess,
                               const SavedSeriesState* saved_before,
                               const SavedSeriesState* saved_after) {
    WindowReplay out;
    const auto by_position = [](const SeriesPoint& p, std::size_t pos) { return p.position < pos; };
    const auto first = std::lower_bound(points.begin(), points.end(), window_start, by_position);
    const auto last = std::lower_bound(first, points.end(), position + 1, by_position);
    const std::span<const SeriesPoint> window(first, last);
    if (window.empty() || window.back().position != position) return out;
    const std::size_t k = window.size() - 1;  // the point at `position`

    OnlineDetector detector(window, series.direction, settings, thresholds);
    const Scale scale = detector.scale();
    const std::uint64_t key = series_key(series);
    const std::uint64_t before_inputs =
        inputs_hash(key, window, k, resets, window_start, position, scale);
    const std::uint64_t after_inputs =
        inputs_hash(key, window, k + 1, resets, window_start, position + 1, scale);
    const bool before_matches = saved_before != nullptr && saved_before->inputs == before_inputs;
    const bool after_matches = saved_after != nullptr && saved_after->inputs == after_inputs;
    if (!assess && after_matches) {
        out.after = *saved_after;
        if (before_matches) out.before = *saved_before;
        out.resumed = true;
        return out;
    }

    std::optional<ReplayPoint> resume_at;
    if (before_matches) resume_at = replay_point_of(*saved_before, window, k);
    if (resume_at) {
        detector.resume(*resume_at);
        out.resumed = true;
    } else {
        // The warm-up: only the state after it is used, no baseline medians on the way.
        detector.set_baseline_medians(false);
        for (std::size_t i = 0; i < k; ++i) {
            if (reset_before(window, resets, i)) detector.reset_at(i);
            detector.step(i);
        }
    }
    out.before = state_of(detector, window, before_inputs);
    if (reset_before(window, resets, k)) detector.reset_at(k);
    detector.set_baseline_medians(assess);
    Assessment a = detector.step(k);
    out.after = state_of(detector, window, after_inputs);
    if (assess) {
        assessment_to_positions(a, window);
        out.assessment = std::move(a);
    }
    return out;
}

StatefulAssessments assess_with_saved_states(store::HistoryReader& reader,
                                             const store::HistoryQuery& query,
                                             const store::History& window,
                                             std::span<const std::size_t> position_of_run,
                                             const Timeline& timeline, std::size_t position,
                                             const DetectionSettings& settings) {
    // The window deciding `position`, and the one the next block's commits are decided by
    // (kept up to date so that the first check of that block does not replay).
    const std::size_t window_start = replay_window_start(position, settings);
    const std::size_t block_end = (position / k_replay_block + 1) * k_replay_block;
    const std::size_t next_start = replay_window_start(block_end, settings);
    const bool two = next_start != window_start;
    const std::string fingerprint = detector_fingerprint(settings);
    auto key = [&](std::size_t start, std::size_t end) {
        return store::DetectorStateKey{query.project,
                                       query.testbed,
                                       query.branch,
                                       fingerprint,
                                       static_cast<std::int64_t>(start),
                                       static_cast<std::int64_t>(end)};
    };
    auto load = [&](std::size_t start, std::size_t end) {
        const auto text = reader.load_detector_state(key(start, end));
        return text ? decode_states(*text) : SavedStates{};
    };
    // [0]: before `position`, [1]: after it; of the deciding window, then the next block's.
    SavedStates saved[2][2] = {{load(window_start, position), load(window_start, position + 1)},
                               {}};
    if (two) saved[1][0] = load(next_start, position), saved[1][1] = load(next_start, position + 1);

    const std::size_t n = window.series.size();
    StatefulAssessments out;
    out.assessments.resize(n);
    std::vector<WindowReplay> replays[2];
    replays[0].resize(n);
    replays[1].resize(two ? n : 0);
    std::vector<std::uint64_t> keys(n);
    auto find = [](const SavedStates& states, std::uint64_t k) -> const SavedSeriesState* {
        const auto it = states.find(k);
        return it == states.end() ? nullptr : &it->second;
    };
    // Series are independent: over the machine's cores, collected in series order.
    parallel_for(n, [&](std::size_t i) {
        const auto& series = window.series[i];
        keys[i] = series_key(series.id);
        const auto points = series_points(series, position_of_run);
        const auto resets = reset_positions(series.id, window.resets, timeline);
        const auto thresholds = thresholds_for(settings, series.id.metric);
        for (int w = 0; w < (two ? 2 : 1); ++w)
            replays[w][i] = replay_with_state(
                points, series.id, settings, thresholds, resets, w == 0 ? window_start : next_start,
                position, w == 0, find(saved[w][0], keys[i]), find(saved[w][1], keys[i]));
        out.assessments[i] = std::move(replays[0][i].assessment);
    });
    for (const auto& r : replays[0]) out.resumed += r.resumed ? 1 : 0;

    // Save what changed (a repeated check of the same commit writes nothing).
    for (int w = 0; w < (two ? 2 : 1); ++w) {
        SavedStates now[2];
        for (std::size_t i = 0; i < n; ++i) {
            if (replays[w][i].before) now[0][keys[i]] = *replays[w][i].before;
            if (replays[w][i].after) now[1][keys[i]] = *replays[w][i].after;
        }
        const std::size_t start = w == 0 ? window_start : next_start;
        for (int e = 0; e < 2; ++e)
            if (now[e] != saved[w][e])
                reader.save_detector_state(key(start, position + e), encode_states(now[e]));
    }
    return out;
}

}  // namespace perftrack::reports::detect
