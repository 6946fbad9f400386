#include "runner/progress.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace perftrack::runner {

namespace {

using Clock = std::chrono::steady_clock;

// Used when the terminal does not say how wide it is.
constexpr std::size_t k_default_width = 80;
// ANSI: carriage return, then erase to the end of the line.
constexpr std::string_view k_clear_line = "\r\x1b[K";

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
}

// Cuts `text` to `width` bytes without splitting a UTF-8 sequence.
std::string fit(std::string text, std::size_t width) {
    if (text.size() <= width) return text;
    std::size_t cut = width > 0 ? width - 1 : 0;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    if (width > 0) text += "~";
    return text;
}

}  // namespace

ProgressStyle choose_progress_style(bool quiet, bool stderr_is_terminal, bool in_ci,
                                    bool dumb_terminal) {
    if (quiet) return ProgressStyle::quiet;
    if (stderr_is_terminal && !in_ci && !dumb_terminal) return ProgressStyle::live;
    return ProgressStyle::plain;
}

ProgressStyle detect_progress_style(bool quiet) {
    const char* term = std::getenv("TERM");
    const bool dumb = term != nullptr && std::string_view(term) == "dumb";
    return choose_progress_style(quiet, ::isatty(STDERR_FILENO) == 1, env_set("CI"), dumb);
}

std::string format_clock(std::chrono::seconds elapsed) {
    const auto total = elapsed.count() < 0 ? 0 : elapsed.count();
    const auto h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0) return fmt::format("{}:{:02}:{:02}", h, m, s);
    return fmt::format("{}:{:02}", m, s);
}

std::string render_progress_line(const ProgressState& st, std::size_t width) {
    std::string line = fmt::format("[{}/{}] {}", st.suite_index, st.suite_count, st.suite);
    if (st.planned > 0) line += fmt::format(" · {}/{}", st.done, st.planned);
    if (!st.current.empty()) line += fmt::format(" · {}", st.current);
    line += fmt::format(" · {} elapsed", format_clock(st.elapsed));
    if (st.remaining) line += fmt::format(" · ~{} left", format_clock(*st.remaining));
    return fit(std::move(line), width);
}

Progress::Progress(ProgressStyle style, std::FILE* err) : m_style(style), m_err(err) {}

Progress::~Progress() {
    finish();
}

void Progress::start_suite(std::size_t index, std::size_t count, const std::string& name,
                           std::size_t planned, std::optional<std::chrono::seconds> estimate) {
    m_state = ProgressState{};
    m_state.suite_index = index;
    m_state.suite_count = count;
    m_state.suite = name;
    m_state.planned = planned;
    m_estimate = estimate;
    m_suite_started = Clock::now();
    m_partial_out.clear();
    m_partial_err.clear();
    tick();
}

void Progress::advance(std::string_view what) {
    ++m_state.done;
    m_state.current = what;
    tick();  // show it now, not at the next tick
}

void Progress::set_current(std::string_view what) {
    m_state.current = what;
}

void Progress::tick() {
    if (m_style != ProgressStyle::live) return;
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - m_suite_started);
    m_state.elapsed = elapsed;
    if (m_estimate) {
        m_state.remaining = *m_estimate > elapsed ? *m_estimate - elapsed : std::chrono::seconds(0);
    } else if (m_state.done > 0 && m_state.planned > m_state.done) {
        m_state.remaining = elapsed * static_cast<long>(m_state.planned - m_state.done) /
                            static_cast<long>(m_state.done);
    }
    draw_live();
}

void Progress::child_output(core::OutputStream stream, std::string_view data) {
    std::FILE* target = m_err;
    switch (m_style) {
        case ProgressStyle::quiet:
            return;
        case ProgressStyle::plain:
            std::fwrite(data.data(), 1, data.size(), target);
            std::fflush(target);
            return;
        case ProgressStyle::live: {
            std::string& partial =
                stream == core::OutputStream::out ? m_partial_out : m_partial_err;
            partial.append(data);
            const auto last_newline = partial.rfind('\n');
            if (last_newline == std::string::npos) return;
            clear_live();
            std::fwrite(partial.data(), 1, last_newline + 1, target);
            std::fflush(target);
            partial.erase(0, last_newline + 1);
            draw_live();
            return;
        }
    }
}

void Progress::flush_child_output() {
    if (m_style == ProgressStyle::quiet) return;
    for (std::string* partial : {&m_partial_out, &m_partial_err}) {
        if (partial->empty()) continue;
        clear_live();
        std::fwrite(partial->data(), 1, partial->size(), m_err);
        std::fputc('\n', m_err);
        std::fflush(m_err);
        partial->clear();
    }
}

void Progress::line(std::string_view text) {
    if (m_style == ProgressStyle::quiet) return;
    clear_live();
    fmt::print(m_err, "{}\n", text);
    std::fflush(m_err);
}

void Progress::message(std::string_view text) {
    clear_live();
    fmt::print(m_err, "{}\n", text);
    std::fflush(m_err);
}

void Progress::finish() {
    clear_live();
    m_state = ProgressState{};
}

void Progress::clear_live() {
    if (!m_live_shown) return;
    std::fwrite(k_clear_line.data(), 1, k_clear_line.size(), m_err);
    std::fflush(m_err);
    m_live_shown = false;
}

void Progress::draw_live() {
    if (m_style != ProgressStyle::live || m_state.suite_count == 0) return;
    const std::string text = render_progress_line(m_state, terminal_width());
    fmt::print(m_err, "{}{}", k_clear_line, text);
    std::fflush(m_err);
    m_live_shown = true;
}

std::size_t Progress::terminal_width() const {
    winsize ws{};
    if (::ioctl(::fileno(m_err), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return static_cast<std::size_t>(ws.ws_col) - 1;  // the last column would wrap
    return k_default_width;
}

}  // namespace perftrack::runner
