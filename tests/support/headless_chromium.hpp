#pragma once
// Headless Chromium for the HTML report tests (Debian package `chromium`). Each call starts a
// fresh browser with its own throwaway profile (--user-data-dir), so runs never share state.
// `--dump-dom` cannot click, so tests drive the page through its URL fragment
// ("#sort=change&dir=asc", "#status=regression", "#q=...", "#draw=all"; see
// reports/render/assets/report.js).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace perftrack::testing {

// The chromium executable on PATH (chromium, chromium-browser), or nullopt.
std::optional<std::filesystem::path> find_chromium();

// Headless without a sandbox (it refuses to start sandboxed as root), no GPU, and nothing that
// talks to the network on its own (background networking, component updates, sync, QUIC): the
// flags of every Chromium the tests start.
std::vector<std::string> chromium_base_flags();

// True when the CI variable is "true" (GitHub Actions, GitLab CI and this project's CI set it).
bool running_in_ci();

struct BrowserResult {
    int exit_code = -1;
    std::string dom;  // --dump-dom output (empty for screenshots)
    // Console messages the page produced ("INFO:CONSOLE..." lines: uncaught errors, CSP
    // violations, console.log calls).
    std::vector<std::string> console;
};

// Loads `url` (a file:// URL, possibly with a #fragment), lets its scripts and timers run for
// `virtual_time_ms` of virtual time, and returns the DOM as serialised HTML.
BrowserResult dump_dom(const std::string& url, int virtual_time_ms = 3000, int width = 1280,
                       int height = 900);

// Loads `url` and writes a PNG screenshot of the first `height` pixels to `png`.
BrowserResult screenshot(const std::string& url, const std::filesystem::path& png, int width = 1280,
                         int height = 2000, int virtual_time_ms = 3000);

// "file:///abs/path" for a local file.
std::string file_url(const std::filesystem::path& path);

// Where browser tests leave their artefacts (report.html, screenshots) for people to look at:
// $PERFTRACK_TEST_OUTPUT_DIR, else <build>/test-output/<subdir>. Created when missing.
std::filesystem::path test_output_dir(const std::string& subdir);

// Chromium's complaints about the page itself: uncaught exceptions, CSP refusals and other
// errors among the console lines.
std::vector<std::string> page_errors(const BrowserResult& r);

}  // namespace perftrack::testing

// Skips the current test with a plain message when Chromium is not installed; in CI (CI=true),
// where ci/setup.sh installs it, a missing browser fails the test instead, so losing it cannot
// turn CI green with every browser test skipped.
#define PERFTRACK_REQUIRE_CHROMIUM()                                                          \
    do {                                                                                      \
        if (!::perftrack::testing::find_chromium()) {                                         \
            if (::perftrack::testing::running_in_ci())                                        \
                FAIL() << "chromium is not installed, and CI=true: CI must run the browser "  \
                          "tests (ci/setup.sh --test installs chromium)";                     \
            GTEST_SKIP() << "SKIPPED: chromium is not installed (apt-get install chromium); " \
                            "the browser tests of the HTML report did not run";               \
        }                                                                                     \
    } while (0)
