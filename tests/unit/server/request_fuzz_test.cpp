// Fuzzing the request handlers: this machine has no clang/libFuzzer (the format fuzzers of
// fuzz/ build only with clang), so this is a deterministic random-mutation test instead: valid
// requests are mutated (bytes flipped, inserted, deleted; methods, paths, queries and headers
// swapped) and every one must give a well-formed JSON error or success, never a crash, a throw
// or a status outside the API's. The store fails like a database that is down, so every
// handler also runs its unavailable path.
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/api.hpp"

namespace perftrack::server {
namespace {

constexpr int k_iterations = 20000;
constexpr unsigned k_seed = 14;  // fixed: a failure reproduces

std::string mutate(std::string text, std::mt19937& rng) {
    std::uniform_int_distribution<int> op(0, 3);
    std::uniform_int_distribution<int> byte(0, 255);
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        const std::size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
        switch (op(rng)) {
            case 0:
                if (at < text.size()) text[at] = static_cast<char>(byte(rng));
                break;
            case 1:
                text.insert(at, 1, static_cast<char>(byte(rng)));
                break;
            case 2:
                if (at < text.size()) text.erase(at, 1 + rng() % 4);
                break;
            default:
                text.insert(at, rng() % 2 ? "%" : (rng() % 2 ? "/.." : "?a=%2F&"));
        }
    }
    return text;
}

TEST(RequestFuzz, MutatedRequestsGiveWellFormedAnswers) {
    StorePool pool([]() -> std::unique_ptr<store::Store> {
        throw store::StoreError("database unavailable: fuzz", "08000", true);
    });
    RateLimiter limiter(0, 1);
    const Api api(pool, limiter, {});
    const std::vector<std::string> targets = {
        "/api/v1/health",
        "/api/v1/projects/demo/runs?branch=main&commit=abc&testbed=ci&format=gbench&check=1",
        "/api/v1/projects/demo/check?branch=main&testbed=ci&alpha=0.05",
        "/api/v1/projects/demo/report?testbed=ci",
        "/api/v1/projects/demo/series?testbed=ci&benchmark=BM_x",
        "/api/v1/projects/demo/alerts?state=open",
        "/api/v1/projects/demo/alerts/12/ack?note=x",
        "/api/v1/projects/demo/baseline/reset?benchmark=*&commit=a&reason=r"};
    const std::vector<std::string> methods = {"GET", "POST", "PUT", "DELETE", "G\x01T", ""};
    const std::vector<std::string> auth = {"", "Bearer ptk_00", "Bearer ", "Basic x",
                                           std::string("Bearer \0x", 9)};
    std::mt19937 rng(k_seed);
    for (int i = 0; i < k_iterations; ++i) {
        Request r;
        r.method = methods[rng() % methods.size()];
        r.target = targets[rng() % targets.size()];
        if (rng() % 4 != 0) r.target = mutate(r.target, rng);
        const auto& a = auth[rng() % auth.size()];
        if (!a.empty()) r.headers["authorization"] = rng() % 3 ? a : mutate(a, rng);
        r.body = mutate("{\"benchmarks\": [{\"name\": \"BM_x\", \"real_time\": 1}]}", rng);
        r.remote_addr = "127.0.0.1";
        const Response out = api.handle(r);
        ASSERT_GE(out.status, 400) << r.target;  // no store: nothing can succeed
        ASSERT_LT(out.status, 600) << r.target;
        if (out.content_type.starts_with("text/html")) {
            // A mutated path that became a dashboard page ("/", "/p/..."): an HTML error page.
            ASSERT_TRUE(out.body.starts_with("<!DOCTYPE html>")) << r.target;
        } else {
            ASSERT_TRUE(nlohmann::json::accept(out.body)) << r.target;
            const auto j = nlohmann::json::parse(out.body);
            ASSERT_TRUE(j.contains("error") && j.contains("exit_code")) << out.body;
        }
        if (out.status == 503) {
            bool retry_after = false;
            for (const auto& [name, value] : out.headers) retry_after |= name == "Retry-After";
            ASSERT_TRUE(retry_after);
        }
    }
}

}  // namespace
}  // namespace perftrack::server
