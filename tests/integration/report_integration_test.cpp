// perftrack report end to end: real history ingested into PostgreSQL through the CLI, a check
// that records alerts, `perftrack report --out x.html`, and the page loaded in headless
// Chromium. Also hostile benchmark names (markup, quotes, control characters) through the whole
// pipeline.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/cli_schema_fixture.hpp"
#include "tests/support/headless_chromium.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/text_search.hpp"

namespace perftrack::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using perftrack::testing::count_occurrences;

std::vector<std::string> uncaught_or_refused(const BrowserResult& r) {
    std::vector<std::string> out;
    for (const auto& line : r.console)
        if (line.find("Uncaught") != std::string::npos ||
            line.find("Refused") != std::string::npos || line.find("rror") != std::string::npos)
            out.push_back(line);
    return out;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class ReportIntegration : public CliAgainstTestSchema {
  protected:
    ProcessResult in_project(const std::string& command, const std::string& project,
                             std::vector<std::string> extra) {
        std::vector<std::string> args{command, "--project", project, "--testbed", "ci"};
        args.insert(args.end(), extra.begin(), extra.end());
        return perftrack(args);
    }
    void ingest(const std::vector<fs::path>& files) {
        std::vector<std::string> args{"ingest", "--format", "perftrack", "--quiet"};
        for (const auto& f : files) args.push_back(f.string());
        const auto r = perftrack(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
};

// mr-math's Google Benchmark history (github-action-benchmark's data.js: one entry per CI run,
// 134 runs, 164 benchmark names, real commit messages) as native result files, one per run.
// Repeated names inside one run are its repetitions.
std::vector<fs::path> mr_math_runs(const fs::path& shared, const fs::path& out) {
    const std::string text =
        read_text(shared / "fixtures/histories/mr-math-gbench-ghpages/data.js");
    const auto data = json::parse(text.substr(text.find('{')));
    std::vector<fs::path> files;
    std::size_t index = 0;
    for (const auto& e : data["entries"]["Benchmark"]) {
        std::map<std::string, std::vector<double>> samples;
        for (const auto& b : e["benches"])
            if (b["value"].is_number()) samples[b["name"]].push_back(b["value"].get<double>());
        json results = json::array();
        for (const auto& [name, values] : samples)
            results.push_back({{"benchmark", name},
                               {"metric", "real_time"},
                               {"unit", "ns"},  // "ns/iter" in data.js
                               {"direction", "lower"},
                               {"samples", values}});
        const auto& c = e["commit"];
        const std::string message = c["message"].get<std::string>();
        const json doc = {{"version", 1},
                          {"context",
                           {{"project", "mr-math"},
                            {"testbed", "ci"},
                            {"branch", "main"},
                            {"commit", c["id"]},
                            {"commit_time", c["timestamp"]},
                            {"commit_subject", message.substr(0, message.find('\n'))},
                            {"run_id", fmt::format("mr-math-{}", index)}}},
                          {"results", results}};
        const auto path = out / fmt::format("run-{:03d}.json", index++);
        std::ofstream(path, std::ios::binary) << doc.dump();
        files.push_back(path);
    }
    return files;
}

TEST_F(ReportIntegration, RealHistoryRendersInChromium) {
    PERFTRACK_REQUIRE_SHARED();
    PERFTRACK_REQUIRE_CHROMIUM();
    const auto files = mr_math_runs(*shared_dir(), dir.path());
    ASSERT_GT(files.size(), 100u);
    ingest(files);
    const std::string last = json::parse(read_text(files.back()))["context"]["commit"];

    // A check of the newest commit records the alerts (verdicts and regressing change points).
    auto check = in_project("check", "mr-math",
                            {"--branch", "main", "--commit", last, "--no-fail", "--no-notify"});
    ASSERT_EQ(check.exit_code, 0) << check.err;

    const auto out = dir / "out" / "report.html";
    auto html = in_project("report", "mr-math",
                           {"--out", out.string(), "--commit-url",
                            "https://github.com/4J-company/mr-math/commit/{sha}"});
    ASSERT_EQ(html.exit_code, 0) << html.err;
    auto data = in_project("report", "mr-math", {"--format", "json"});
    ASSERT_EQ(data.exit_code, 0) << data.err;
    const auto report = json::parse(data.out);
    const std::size_t series = report["series"].size();
    ASSERT_GT(series, 100u);
    EXPECT_TRUE(report["verdicts"]["evaluated"]);
    EXPECT_EQ(report["verdicts"]["commit"], last);
    EXPECT_TRUE(report["alerts"]["tracked"]);
    std::size_t change_points = 0;
    for (const auto& s : report["series"]) change_points += s["change_points"].size();
    EXPECT_GT(change_points, 0u);

    const auto page = read_text(out);
    EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
    EXPECT_EQ(page.find("src=\"http"), std::string::npos);  // nothing loaded from anywhere

    const auto r = dump_dom(file_url(out) + "#draw=all", 8000);
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_TRUE(uncaught_or_refused(r).empty()) << uncaught_or_refused(r).front();
    EXPECT_NE(r.dom.find("data-ready=\"1\""), std::string::npos);
    // One chart per series, the flagged table and the alerts table as in the data.
    EXPECT_EQ(count_occurrences(r.dom, "<article class=\"series\""), series);
    EXPECT_EQ(count_occurrences(r.dom, "<svg class=\"chart-svg\""), series);
    EXPECT_EQ(count_occurrences(r.dom, "<g class=\"cp cp-"), change_points);
    const std::size_t flagged = report["verdicts"]["flagged"].size();
    EXPECT_EQ(count_occurrences(r.dom, "<tr class=\"row-"), flagged);
    const std::size_t alerts = report["alerts"]["items"].size();
    if (alerts > 0) {
        const auto table = r.dom.substr(r.dom.find("id=\"alerts-table\""));
        EXPECT_EQ(count_occurrences(table, "<tr data-state="), alerts);
    }
    EXPECT_NE(r.dom.find("https://github.com/4J-company/mr-math/commit/" + last),
              std::string::npos);

    const auto shot = test_output_dir("integration") / "mr-math-report.png";
    fs::copy_file(out, test_output_dir("integration") / "mr-math-report.html",
                  fs::copy_options::overwrite_existing);
    const auto s = screenshot(file_url(out), shot, 1280, 2400, 4000);
    EXPECT_EQ(s.exit_code, 0);
    EXPECT_TRUE(fs::exists(shot));
}

// Issue 4's safety test through the whole pipeline: untrusted names from ingest to the DOM.
TEST_F(ReportIntegration, HostileNamesStayText) {
    PERFTRACK_REQUIRE_CHROMIUM();
    const std::string bench = "<img src=x onerror=alert(1)>";
    const std::string param = "</script><script>alert(2)</script>";
    std::vector<fs::path> files;
    for (std::size_t i = 0; i < 12; ++i) {
        std::vector<double> samples;
        for (std::size_t k = 0; k < 5; ++k)
            samples.push_back((i >= 11 ? 1300.0 : 1000.0) + static_cast<double>((i * 7 + k) % 5));
        const json doc = {{"version", 1},
                          {"context",
                           {{"project", "hostile"},
                            {"testbed", "ci"},
                            {"branch", "main"},
                            {"commit", fmt::format("c{:02d}", i)},
                            {"commit_time", fmt::format("2024-03-01T{:02d}:00:00Z", i)},
                            {"commit_subject", "Fix \"quotes\" & 'apostrophes' <in> subject"}}},
                          {"results",
                           {{{"benchmark", bench},
                             {"params", {{"mode", param}}},
                             {"metric", "real_time"},
                             {"unit", "ns"},
                             {"direction", "lower"},
                             {"samples", samples}}}}};
        files.push_back(dir.write(fmt::format("h{:02d}.json", i), doc.dump()));
    }
    ingest(files);
    auto check = in_project("check", "hostile",
                            {"--branch", "main", "--commit", "c11", "--no-fail", "--no-notify"});
    ASSERT_EQ(check.exit_code, 0) << check.err;
    const auto out = dir / "hostile.html";
    auto rendered = in_project("report", "hostile", {"--out", out.string()});
    ASSERT_EQ(rendered.exit_code, 0) << rendered.err;

    const auto r = dump_dom(file_url(out) + "#draw=all");
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_TRUE(uncaught_or_refused(r).empty()) << uncaught_or_refused(r).front();
    EXPECT_NE(r.dom.find("data-ready=\"1\""), std::string::npos);
    EXPECT_EQ(r.dom.find("<img"), std::string::npos);
    EXPECT_EQ(r.dom.find("onerror=\""), std::string::npos);
    EXPECT_EQ(count_occurrences(r.dom, "<script"), 2u);  // the page's own data and code
    // Flagged table, chart title and alert all show the name literally.
    EXPECT_GE(count_occurrences(r.dom, "&lt;img src=x onerror=alert(1)&gt;"), 3u);
    EXPECT_NE(r.dom.find("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
              std::string::npos);
    EXPECT_NE(r.dom.find("Fix \"quotes\" &amp; 'apostrophes' &lt;in&gt; subject"),
              std::string::npos);
    EXPECT_EQ(count_occurrences(r.dom, "<tr class=\"row-"), 1u) << check.out;  // the regression
}

TEST_F(ReportIntegration, BadInputIsExitTwoAndWritesNothing) {
    std::vector<fs::path> files;
    for (std::size_t i = 0; i < 3; ++i)
        files.push_back(dir.write(fmt::format("r{}.json", i),
                                  json{{"version", 1},
                                       {"context",
                                        {{"project", "p"},
                                         {"testbed", "ci"},
                                         {"branch", "main"},
                                         {"commit", fmt::format("c{}", i)},
                                         {"commit_time", fmt::format("2024-03-01T0{}:00:00Z", i)}}},
                                       {"results",
                                        {{{"benchmark", "BM_x"},
                                          {"metric", "t"},
                                          {"unit", "ns"},
                                          {"direction", "lower"},
                                          {"samples", {1.0}}}}}}
                                      .dump()));
    ingest(files);
    const auto out = dir / "never.html";
    auto unknown = in_project("report", "p", {"--out", out.string(), "--commit", "nope"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("commit nope has no runs"), std::string::npos) << unknown.err;
    auto bad_url =
        in_project("report", "p", {"--out", out.string(), "--commit-url", "javascript:alert(1)"});
    EXPECT_EQ(bad_url.exit_code, 2);
    EXPECT_NE(bad_url.err.find("--commit-url"), std::string::npos) << bad_url.err;
    EXPECT_FALSE(fs::exists(out));
    // An empty project is a page that says so, not an error.
    auto empty = in_project("report", "nothing-here", {"--out", out.string()});
    EXPECT_EQ(empty.exit_code, 0) << empty.err;
    EXPECT_NE(read_text(out).find("No runs of branch main"), std::string::npos);
}

}  // namespace
}  // namespace perftrack::testing
