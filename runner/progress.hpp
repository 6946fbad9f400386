#pragma once
// What `perftrack run` shows while it runs. On a terminal (stderr is a TTY, not in CI, NO_COLOR
// or not): one live line, redrawn in place, with the suite i/n, the current benchmark, the
// elapsed time and an estimate of what is left; the benchmarks' own output scrolls above it.
// In CI logs: the benchmarks' output as it comes and one plain line per finished suite.
// --quiet: nothing but warnings and errors. The benchmarks' stdout and stderr both go to
// perftrack's stderr: stdout carries only perftrack's own results (the stored run, the check),
// so it can be piped.

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "runner/process/benchmark_process.hpp"

namespace perftrack::runner {

enum class ProgressStyle { live, plain, quiet };

// quiet wins; live needs a terminal on stderr and no CI (CI variable set) and TERM != dumb.
ProgressStyle choose_progress_style(bool quiet, bool stderr_is_terminal, bool in_ci,
                                    bool dumb_terminal);
// The same from the process's own stderr and environment.
ProgressStyle detect_progress_style(bool quiet);

// "0:07", "12:03", "1:02:03"
std::string format_clock(std::chrono::seconds elapsed);

struct ProgressState {
    std::size_t suite_index = 0;  // 1-based
    std::size_t suite_count = 0;
    std::string suite;
    std::string current;      // the benchmark or "run 3/10"
    std::size_t done = 0;     // benchmarks (or runs) finished in this suite
    std::size_t planned = 0;  // benchmarks (or runs) planned in this suite
    std::chrono::seconds elapsed{0};
    std::optional<std::chrono::seconds> remaining;
};

// The live line, at most `width` columns (the terminal's), e.g.
// "[2/5] core · 37/200 · BM_Sort/1024 · 0:12 elapsed · ~0:40 left".
std::string render_progress_line(const ProgressState& state, std::size_t width);

class Progress {
  public:
    // Everything goes to `err`: the children's output, the live line, lines and messages.
    explicit Progress(ProgressStyle style, std::FILE* err = stderr);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    ProgressStyle style() const { return m_style; }

    // `estimate`: how long the suite took last time, when known; otherwise the time left is
    // extrapolated from the items done so far.
    void start_suite(std::size_t index, std::size_t count, const std::string& name,
                     std::size_t planned, std::optional<std::chrono::seconds> estimate);
    // A benchmark (or run) finished; `what` is shown as the current item.
    void advance(std::string_view what);
    void set_current(std::string_view what);
    // Redraws the live line when due (called from the child loop's tick).
    void tick();

    // Forwards a chunk of child output. Live: line-buffered so the live line is cleared before
    // and redrawn after whole lines; plain: written as it comes; quiet: dropped.
    void child_output(core::OutputStream stream, std::string_view data);
    // Writes what is left of partial output lines (at the end of a child).
    void flush_child_output();

    // A line that stays (suite summaries): printed in live and plain style, not in quiet.
    void line(std::string_view text);
    // A message that must be seen (warnings, errors): printed in every style, live line aside.
    void message(std::string_view text);
    // Clears the live line for good (before the final summary).
    void finish();

  private:
    void clear_live();
    void draw_live();
    std::size_t terminal_width() const;

    ProgressStyle m_style;
    std::FILE* m_err;
    ProgressState m_state;
    std::chrono::steady_clock::time_point m_suite_started;
    std::optional<std::chrono::seconds> m_estimate;
    bool m_live_shown = false;
    std::string m_partial_out;
    std::string m_partial_err;
};

}  // namespace perftrack::runner
