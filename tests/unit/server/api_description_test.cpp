// docs/api.yaml and the server's routes describe the same API: every path and method of the
// file is routed, and every /api/ route is in the file.
#include <fstream>
#include <regex>
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>

#include "server/api.hpp"

namespace perftrack::server {
namespace {

// "GET /api/v1/health" for each operation of the file's `paths:` section (two-space indented
// paths, four-space indented methods: the layout docs/api.yaml keeps).
std::set<std::string> described_routes() {
    std::ifstream in(std::string(PERFTRACK_SOURCE_DIR) + "/docs/api.yaml");
    EXPECT_TRUE(in) << "docs/api.yaml is missing";
    const std::regex path_line(R"(^  (/api/v1/\S*):\s*$)");
    const std::regex method_line(R"(^    (get|post|put|delete|patch):\s*$)");
    std::set<std::string> out;
    std::string line, path;
    bool in_paths = false;
    std::smatch m;
    while (std::getline(in, line)) {
        if (line == "paths:") {
            in_paths = true;
            continue;
        }
        if (!in_paths) continue;
        if (std::regex_match(line, m, path_line)) {
            path = m[1];
        } else if (std::regex_match(line, m, method_line)) {
            std::string method = m[1];
            for (char& c : method) c = static_cast<char>(std::toupper(c));
            out.insert(method + " " + path);
        }
    }
    return out;
}

TEST(ApiDescription, EveryDescribedRouteExistsAndViceVersa) {
    StorePool pool([]() -> std::unique_ptr<store::Store> { throw std::logic_error("no store"); });
    RateLimiter limiter(0, 1);
    const Api api(pool, limiter, {});
    std::set<std::string> routed;
    // The dashboard's HTML pages (/, /p/...) share the router; they are not the JSON API and
    // are described in docs/dashboard.md.
    for (const auto& r : api.router().routes())
        if (r.pattern.starts_with("/api/")) routed.insert(r.method + " " + r.pattern);
    const auto described = described_routes();
    EXPECT_EQ(described.size(), 10u);
    for (const auto& r : described) EXPECT_TRUE(routed.count(r)) << "described, not routed: " << r;
    for (const auto& r : routed) EXPECT_TRUE(described.count(r)) << "routed, not described: " << r;
}

}  // namespace
}  // namespace perftrack::server
