#include "alerts/signature.hpp"

#include <gtest/gtest.h>

#include "tests/support/cli_process.hpp"

namespace perftrack::alerts {
namespace {

using testing::with_stdin;

// RFC 4231, test cases 1 and 2 (HMAC-SHA-256).
TEST(Signature, MatchesRfc4231Vectors) {
    EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, AgreesWithTheOpensslCommandLine) {
    const std::string body = R"({"results":[],"summary":{"regressions":0}})";
    auto r = testing::run_process({"/usr/bin/openssl", "dgst", "-sha256", "-hmac", "s3cret"},
                                  with_stdin(body));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // "SHA2-256(stdin)= <hex>"
    const auto hex = r.out.substr(r.out.rfind(' ') + 1, 64);
    EXPECT_EQ(signature_header_value("s3cret", body), "sha256=" + hex);
}

TEST(Signature, EmptyKeyAndBodyStillSign) {
    EXPECT_EQ(hmac_sha256_hex("", ""),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

}  // namespace
}  // namespace perftrack::alerts
