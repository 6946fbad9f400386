#pragma once
// A headless Chromium driven through the DevTools protocol over a pipe
// (--remote-debugging-pipe: commands on fd 3, answers on fd 4, each JSON message ending in a
// NUL byte), for the tests that must do what `--dump-dom` cannot: keep cookies across pages,
// follow links, submit forms, and collect every console error and CSP refusal of the page.
// One throwaway profile per session.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perftrack::testing {

class ChromiumSession {
  public:
    // Starts chromium (find_chromium()); throws std::runtime_error when it cannot.
    ChromiumSession(int width = 1280, int height = 900);
    ~ChromiumSession();
    ChromiumSession(const ChromiumSession&) = delete;
    ChromiumSession& operator=(const ChromiumSession&) = delete;

    // Loads `url` and waits for its load event (and any redirects).
    void navigate(const std::string& url);
    // Runs `expression` in the page; returns its value (returnByValue). Throws on an exception.
    nlohmann::json eval(const std::string& expression);
    // Runs `expression` (which navigates: a click on a link, a form submit) and waits for the
    // next page's load event.
    void eval_and_wait(const std::string& expression);
    // A PNG of the viewport (or the whole page when full_page) written to `png`.
    void screenshot(const std::filesystem::path& png, bool full_page = true);
    // The current DOM as HTML (works with scripts disabled, unlike eval()).
    std::string html();
    // Emulation.setScriptExecutionDisabled: for the pages-without-JavaScript checks; applies
    // from the next navigation on.
    void set_scripts_enabled(bool enabled);

    // Uncaught exceptions, console errors and browser log entries of level error (CSP
    // refusals among them), as "source: text"; network entries (a 401/404 of the page or of
    // /favicon.ico) are left out.
    const std::vector<std::string>& errors() const { return m_errors; }

  private:
    nlohmann::json call(const std::string& method, nlohmann::json params, bool on_page = true);
    // Reads messages until `done` says so (events are recorded on the way); fails after 30 s.
    nlohmann::json read_until(const std::function<bool(const nlohmann::json&)>& done);
    void note_event(const nlohmann::json& message);

    int m_to = -1;    // our end of the browser's fd 3
    int m_from = -1;  // our end of the browser's fd 4
    int m_pid = -1;
    int m_next_id = 1;
    std::string m_buffer;
    std::string m_session;
    std::vector<std::string> m_errors;
    int m_loads = 0;
    std::filesystem::path m_profile;
};

}  // namespace perftrack::testing
