// The progress display: style selection, the live line's content and width, and how child
// output and messages are written in each style.
#include "runner/progress.hpp"

#include <cstdio>

#include <gtest/gtest.h>

namespace perftrack::runner {
namespace {

// A FILE* whose contents the test can read back.
class CapturedFile {
  public:
    CapturedFile() : m_file(std::tmpfile()) {}
    ~CapturedFile() { std::fclose(m_file); }
    std::FILE* get() { return m_file; }
    std::string text() {
        std::fflush(m_file);
        std::rewind(m_file);
        std::string out;
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, m_file)) > 0) out.append(buf, n);
        return out;
    }

  private:
    std::FILE* m_file;
};

TEST(Progress, ChoosesStyle) {
    EXPECT_EQ(choose_progress_style(true, true, false, false), ProgressStyle::quiet);
    EXPECT_EQ(choose_progress_style(false, true, false, false), ProgressStyle::live);
    EXPECT_EQ(choose_progress_style(false, false, false, false), ProgressStyle::plain);
    EXPECT_EQ(choose_progress_style(false, true, true, false), ProgressStyle::plain) << "CI";
    EXPECT_EQ(choose_progress_style(false, true, false, true), ProgressStyle::plain) << "dumb";
}

TEST(Progress, FormatsClock) {
    EXPECT_EQ(format_clock(std::chrono::seconds(7)), "0:07");
    EXPECT_EQ(format_clock(std::chrono::seconds(723)), "12:03");
    EXPECT_EQ(format_clock(std::chrono::seconds(3723)), "1:02:03");
    EXPECT_EQ(format_clock(std::chrono::seconds(-5)), "0:00");
}

TEST(Progress, RendersTheLiveLine) {
    ProgressState st;
    st.suite_index = 2;
    st.suite_count = 5;
    st.suite = "core";
    st.done = 37;
    st.planned = 200;
    st.current = "BM_Sort/1024";
    st.elapsed = std::chrono::seconds(12);
    st.remaining = std::chrono::seconds(40);
    EXPECT_EQ(render_progress_line(st, 200),
              "[2/5] core · 37/200 · BM_Sort/1024 · 0:12 elapsed · ~0:40 left");
    const std::string narrow = render_progress_line(st, 30);
    EXPECT_LE(narrow.size(), 30u);
    EXPECT_EQ(narrow.back(), '~');
    st.planned = 0;
    st.current.clear();
    st.remaining.reset();
    EXPECT_EQ(render_progress_line(st, 200), "[2/5] core · 0:12 elapsed");
}

TEST(Progress, PlainStyleWritesOutputAsItComesAndOneLinePerSuite) {
    CapturedFile err;
    {
        Progress p(ProgressStyle::plain, err.get());
        p.start_suite(1, 2, "core", 3, std::nullopt);
        p.child_output(core::OutputStream::out, "BM_a  1 ns\nBM_b");
        p.child_output(core::OutputStream::err, "warning from the binary\n");
        p.advance("BM_a");
        p.tick();
        p.line("suite core: 3 benchmarks");
        p.message("perftrack: warning: busy");
    }
    EXPECT_EQ(err.text(),
              "BM_a  1 ns\nBM_bwarning from the binary\nsuite core: 3 benchmarks\nperftrack: "
              "warning: busy\n")
        << "the children's output as it comes, no live line and no escape codes in CI logs";
}

TEST(Progress, LiveStyleClearsTheLineAroundWholeOutputLines) {
    CapturedFile err;
    Progress p(ProgressStyle::live, err.get());
    p.start_suite(1, 1, "core", 2, std::nullopt);
    const std::string drawn = err.text();
    EXPECT_EQ(drawn.rfind("\r\x1b[K[1/1] core · 0/2 · 0:00 elapsed", 0), 0u) << drawn;
    p.child_output(core::OutputStream::out, "partial ");
    EXPECT_EQ(err.text(), drawn) << "held until the line is complete";
    p.child_output(core::OutputStream::out, "line\nnext");
    const std::string after = err.text().substr(drawn.size());
    // Clear the live line, write the whole line, draw the live line again.
    EXPECT_EQ(after.rfind("\r\x1b[Kpartial line\n\r\x1b[K[1/1] core", 0), 0u) << after;
    p.flush_child_output();
    EXPECT_NE(err.text().find("next\n"), std::string::npos);
    p.tick();  // the live line is back
    p.finish();
    const std::string e = err.text();
    EXPECT_EQ(e.substr(e.size() - 4), "\r\x1b[K") << "the live line is cleared at the end";
}

TEST(Progress, QuietStyleShowsOnlyMessages) {
    CapturedFile err;
    {
        Progress p(ProgressStyle::quiet, err.get());
        p.start_suite(1, 1, "core", 1, std::nullopt);
        p.child_output(core::OutputStream::out, "BM_a 1 ns\n");
        p.line("suite core: done");
        p.message("perftrack: error: boom");
    }
    EXPECT_EQ(err.text(), "perftrack: error: boom\n");
}

}  // namespace
}  // namespace perftrack::runner
