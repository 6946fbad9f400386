// A stand-in for `perftrack serve` in the client's tests: a real HTTP server on 127.0.0.1 that
// follows /work/coord/API_CONTRACT.md (docs/api.yaml once the server lands) by running the
// perftrack CLI against a real database for each request, so what it stores and answers is
// exactly what the CLI would. Not a server for anything but tests.
//
//   api_standin PORT PERFTRACK_BINARY DSN HOME [TOKEN]
//
// HOME is the stand-in's own PERFTRACK_HOME (never the client's spool). With TOKEN, every
// request needs "Authorization: Bearer TOKEN" (401 otherwise). Prints "listening" when ready.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/process.hpp"

namespace {

struct Settings {
    std::string perftrack;
    std::string dsn;
    std::string home;
    std::string token;
};

std::atomic<unsigned long> g_counter{0};

struct CliResult {
    int exit_code = 5;
    std::string out;
    std::string err;
};

CliResult run_cli(const Settings& s, std::vector<std::string> args) {
    std::vector<std::string> argv = {s.perftrack};
    argv.insert(argv.end(), args.begin(), args.end());
    perftrack::core::ProcessSpec spec;
    spec.argv = argv;
    spec.env = {{"PERFTRACK_HOME", s.home}, {"PERFTRACK_DB", s.dsn}, {"NO_COLOR", "1"}};
    // The stand-in's children judge what they are given, not the CI job the test runs in.
    spec.unset_env = {"GITHUB_ACTIONS",   "GITLAB_CI",        "CI",
                      "PERFTRACK_SERVER", "PERFTRACK_TOKEN",  "GITHUB_BASE_REF",
                      "GITHUB_HEAD_REF",  "GITHUB_EVENT_NAME"};
    spec.working_dir = s.home;  // no git repository there
    auto outcome = perftrack::core::run_process(spec);
    if (!outcome) return {5, "", outcome.error().message};
    return {outcome->exit_code, outcome->stdout_text, outcome->stderr_text};
}

// The first "perftrack: error: " line, as the contract's message.
std::string error_message(const std::string& err) {
    const std::string prefix = "perftrack: error: ";
    const auto at = err.find(prefix);
    if (at == std::string::npos) return err.empty() ? "failed" : err.substr(0, err.find('\n'));
    const auto begin = at + prefix.size();
    return err.substr(begin, err.find('\n', begin) - begin);
}

void reply_error(httplib::Response& res, const CliResult& r) {
    res.status = r.exit_code == 2 ? 400 : r.exit_code == 3 ? 503 : 500;
    if (r.exit_code == 3) res.set_header("Retry-After", "1");
    const nlohmann::json body = {{"error", error_message(r.err)}, {"exit_code", r.exit_code}};
    res.set_content(body.dump(), "application/json");
}

bool authorised(const Settings& s, const httplib::Request& req, httplib::Response& res) {
    if (s.token.empty() || req.get_header_value("Authorization") == "Bearer " + s.token)
        return true;
    res.status = 401;
    const nlohmann::json body = {{"error", "missing or invalid token"}, {"exit_code", 5}};
    res.set_content(body.dump(), "application/json");
    return false;
}

// Query parameters as the CLI's flags (the contract names them so), minus those given apart.
std::vector<std::string> flags_of(const httplib::Request& req,
                                  const std::vector<std::string>& skip) {
    std::vector<std::string> out;
    for (const auto& [k, v] : req.params) {
        if (std::find(skip.begin(), skip.end(), k) != skip.end()) continue;
        out.push_back("--" + k);
        out.push_back(v);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: api_standin PORT PERFTRACK_BINARY DSN HOME [TOKEN]\n");
        return 2;
    }
    const int port = std::stoi(argv[1]);
    Settings s{argv[2], argv[3], argv[4], argc > 5 ? argv[5] : ""};
    std::filesystem::create_directories(s.home);

    httplib::Server server;
    server.new_task_queue = [] { return new httplib::ThreadPool(8); };
    server.Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"status":"ok"})", "application/json");
    });
    server.Post(R"(/api/v1/projects/([^/]+)/runs)", [&](const httplib::Request& req,
                                                        httplib::Response& res) {
        if (!authorised(s, req, res)) return;
        const std::string project = std::string(req.matches[1]);
        const auto file =
            std::filesystem::path(s.home) /
            ("upload-" + std::to_string(::getpid()) + "-" + std::to_string(g_counter++) + ".json");
        std::ofstream(file, std::ios::binary) << req.body;
        std::vector<std::string> args = {"ingest", "--project", project};
        auto flags = flags_of(req, {"check"});
        args.insert(args.end(), flags.begin(), flags.end());
        args.push_back(file.string());
        const CliResult r = run_cli(s, args);
        std::filesystem::remove(file);
        if (r.exit_code != 0) return reply_error(res, r);
        const bool stored = r.out.find("already ingested") == std::string::npos;
        nlohmann::json body = {{"run_id", 0}, {"stored", stored}, {"samples", 0}};
        if (req.get_param_value("check") == "1") {
            std::vector<std::string> check = {"check", "--format", "json", "--project", project};
            for (const char* k : {"branch", "commit", "testbed"})
                if (req.has_param(k)) {
                    check.push_back(std::string("--") + k);
                    check.push_back(req.get_param_value(k));
                }
            const CliResult c = run_cli(s, check);
            if (c.exit_code != 0 && c.exit_code != 1) return reply_error(res, c);
            body["check"] = nlohmann::json::parse(c.out);
            res.set_header("X-Perftrack-Exit-Code", std::to_string(c.exit_code));
        }
        res.status = stored ? 201 : 200;
        res.set_content(body.dump(), "application/json");
    });
    server.Get(R"(/api/v1/projects/([^/]+)/check)",
               [&](const httplib::Request& req, httplib::Response& res) {
                   if (!authorised(s, req, res)) return;
                   std::vector<std::string> args = {"check", "--format", "json", "--project",
                                                    std::string(req.matches[1])};
                   auto flags = flags_of(req, {});
                   args.insert(args.end(), flags.begin(), flags.end());
                   const CliResult r = run_cli(s, args);
                   if (r.exit_code != 0 && r.exit_code != 1) return reply_error(res, r);
                   res.set_header("X-Perftrack-Exit-Code", std::to_string(r.exit_code));
                   res.set_content(r.out, "application/json");
               });
    server.Get(R"(/api/v1/projects/([^/]+)/report)",
               [&](const httplib::Request& req, httplib::Response& res) {
                   if (!authorised(s, req, res)) return;
                   std::vector<std::string> args = {"report", "--format", "json", "--project",
                                                    std::string(req.matches[1])};
                   auto flags = flags_of(req, {});
                   args.insert(args.end(), flags.begin(), flags.end());
                   const CliResult r = run_cli(s, args);
                   if (r.exit_code != 0) return reply_error(res, r);
                   res.set_content(r.out, "application/json");
               });
    server.Get(R"(/api/v1/projects/([^/]+)/alerts)", [&](const httplib::Request& req,
                                                         httplib::Response& res) {
        if (!authorised(s, req, res)) return;
        std::vector<std::string> args = {"alerts", "list",      "--format",
                                         "json",   "--project", std::string(req.matches[1])};
        if (req.get_param_value("state") == "open") args.push_back("--open");
        auto flags = flags_of(req, {"state"});
        args.insert(args.end(), flags.begin(), flags.end());
        const CliResult r = run_cli(s, args);
        if (r.exit_code != 0) return reply_error(res, r);
        res.set_content(r.out, "application/json");
    });
    server.Post(R"(/api/v1/projects/([^/]+)/alerts/([0-9]+)/([a-z]+))",
                [&](const httplib::Request& req, httplib::Response& res) {
                    if (!authorised(s, req, res)) return;
                    const std::string action = std::string(req.matches[3]);
                    if (action != "ack" && action != "resolve") {
                        res.status = 404;
                        return;
                    }
                    std::vector<std::string> args = {"alerts", action, std::string(req.matches[2])};
                    auto flags = flags_of(req, {});
                    args.insert(args.end(), flags.begin(), flags.end());
                    const CliResult r = run_cli(s, args);
                    if (r.exit_code != 0) return reply_error(res, r);
                    res.set_content(nlohmann::json{{"message", r.out}}.dump(), "application/json");
                });
    server.Post(R"(/api/v1/projects/([^/]+)/baseline/reset)",
                [&](const httplib::Request& req, httplib::Response& res) {
                    if (!authorised(s, req, res)) return;
                    std::vector<std::string> args = {"baseline", "reset", "--project",
                                                     std::string(req.matches[1])};
                    auto flags = flags_of(req, {});
                    args.insert(args.end(), flags.begin(), flags.end());
                    const CliResult r = run_cli(s, args);
                    if (r.exit_code != 0) return reply_error(res, r);
                    res.set_content(nlohmann::json{{"message", r.out}}.dump(), "application/json");
                });
    if (!server.bind_to_port("127.0.0.1", port)) {
        std::fprintf(stderr, "api_standin: cannot listen on 127.0.0.1:%d\n", port);
        return 3;
    }
    std::printf("listening\n");
    std::fflush(stdout);
    server.listen_after_bind();
    return 0;
}
