#include "server/router.hpp"

#include <gtest/gtest.h>

namespace perftrack::server {
namespace {

TEST(ParseTarget, DecodesSegmentsOneByOneAndTheQuery) {
    const auto t = parse_target("/api/v1/projects/a%2Fb/runs?branch=feature%2Fx&commit=a+b&x");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->segments, (std::vector<std::string>{"api", "v1", "projects", "a/b", "runs"}));
    EXPECT_EQ(t->query.at("branch"), "feature/x");
    EXPECT_EQ(t->query.at("commit"), "a b");
    EXPECT_EQ(t->query.at("x"), "");
}

TEST(ParseTarget, RefusesBrokenEscapesAndControlCharacters) {
    EXPECT_FALSE(parse_target("/api/%zz"));
    EXPECT_FALSE(parse_target("/api/%4"));
    EXPECT_FALSE(parse_target("/api/a%00b"));
    EXPECT_FALSE(parse_target("/api?a=%0a"));
    EXPECT_FALSE(parse_target("/api?branch=ma%C2in"));  // not UTF-8
    EXPECT_FALSE(parse_target("/api/%C0%AF"));          // overlong '/'
    EXPECT_FALSE(parse_target("/api/%ED%A0%80"));       // a surrogate
    EXPECT_TRUE(parse_target("/api/%C2%B5s?t=%F0%9F%98%80"));
    EXPECT_FALSE(parse_target("api"));
    EXPECT_FALSE(parse_target(""));
}

TEST(Router, MatchesParametersAndAnswers404And405) {
    Router router;
    router.add("GET", "/p/{project}/x", [](const Request&, const RouteMatch& m) {
        Response r;
        r.body = m.params.at("project");
        return r;
    });
    Request get{"GET", "/p/demo/x", {}, "", "127.0.0.1"};
    EXPECT_EQ(router.dispatch(get).body, "demo");
    Request post{"POST", "/p/demo/x", {}, "", "127.0.0.1"};
    EXPECT_EQ(router.dispatch(post).status, 405);
    Request unknown{"GET", "/p/demo/y", {}, "", "127.0.0.1"};
    EXPECT_EQ(router.dispatch(unknown).status, 404);
    Request empty{"GET", "/p//x", {}, "", "127.0.0.1"};
    EXPECT_EQ(router.dispatch(empty).status, 404);
}

}  // namespace
}  // namespace perftrack::server
