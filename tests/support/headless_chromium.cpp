#include "tests/support/headless_chromium.hpp"

#include <cstdlib>
#include <sstream>
#include <string_view>

#include "core/process.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace perftrack::testing {

std::vector<std::string> chromium_base_flags() {
    return {"--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic"};
}

namespace {

std::vector<std::string> logging_flags() {
    auto flags = chromium_base_flags();
    flags.insert(flags.end(), {"--enable-logging=stderr", "--v=0"});
    return flags;
}

std::vector<std::string> console_lines(const std::string& err) {
    std::vector<std::string> out;
    std::istringstream in(err);
    std::string line;
    while (std::getline(in, line))
        if (line.find(":CONSOLE") != std::string::npos) out.push_back(line);
    return out;
}

BrowserResult run_chromium(std::vector<std::string> extra, const std::string& url) {
    const auto chromium = find_chromium();
    if (!chromium) return {};
    TempDir profile;
    std::vector<std::string> argv = {chromium->string()};
    const auto flags = logging_flags();
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back("--user-data-dir=" + profile.path().string());
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(url);
    ProcessOptions options;
    options.timeout_seconds = 90;
    const auto r = run_process(argv, options);
    return {r.exit_code, r.out, console_lines(r.err)};
}

}  // namespace

bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string_view(ci) == "true";
}

std::optional<std::filesystem::path> find_chromium() {
    for (const char* name : {"chromium", "chromium-browser"})
        if (auto path = core::find_program(name); !path.empty()) return path;
    return std::nullopt;
}

BrowserResult dump_dom(const std::string& url, int virtual_time_ms, int width, int height) {
    return run_chromium(
        {"--virtual-time-budget=" + std::to_string(virtual_time_ms),
         "--window-size=" + std::to_string(width) + "," + std::to_string(height), "--dump-dom"},
        url);
}

BrowserResult screenshot(const std::string& url, const std::filesystem::path& png, int width,
                         int height, int virtual_time_ms) {
    return run_chromium({"--virtual-time-budget=" + std::to_string(virtual_time_ms),
                         "--window-size=" + std::to_string(width) + "," + std::to_string(height),
                         "--hide-scrollbars", "--screenshot=" + png.string()},
                        url);
}

std::string file_url(const std::filesystem::path& path) {
    return "file://" + std::filesystem::absolute(path).string();
}

std::filesystem::path test_output_dir(const std::string& subdir) {
    const char* env = std::getenv("PERFTRACK_TEST_OUTPUT_DIR");
    std::filesystem::path base = env != nullptr && *env != '\0'
                                     ? std::filesystem::path(env)
                                     : std::filesystem::path(PERFTRACK_TEST_OUTPUT_DIR);
    const auto dir = base / subdir;
    std::filesystem::create_directories(dir);
    return dir;
}

std::vector<std::string> page_errors(const BrowserResult& r) {
    std::vector<std::string> out;
    for (const auto& line : r.console)
        if (line.find("Uncaught") != std::string::npos ||
            line.find("Refused") != std::string::npos ||
            line.find("Content Security Policy") != std::string::npos ||
            line.find("rror") != std::string::npos)
            out.push_back(line);
    return out;
}

}  // namespace perftrack::testing
