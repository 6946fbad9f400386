#include "core/fnv1a.hpp"

#include <gtest/gtest.h>

namespace perftrack::core {
namespace {

TEST(Fnv1a64, ReferenceValues) {
    // From the FNV reference implementation's test vectors (64-bit FNV-1a).
    EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
    EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
    EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
    EXPECT_EQ(k_fnv1a_offset_basis, 0xcbf29ce484222325ull);
}

TEST(Fnv1a64, TheLegacyBasisGivesTheValuesStoredIdentitiesWereMadeWith) {
    EXPECT_EQ(fnv1a64("", k_legacy_identity_offset_basis), 1469598103934665603ull);
    EXPECT_EQ(fnv1a64("abc", k_legacy_identity_offset_basis), 0xe16801510db89efdull);
    // Incremental use equals one pass over the concatenation.
    Fnv1a64 h(k_legacy_identity_offset_basis);
    h.add("a").add("bc");
    EXPECT_EQ(h.value(), 0xe16801510db89efdull);
    const double d = 1.5;
    EXPECT_EQ(Fnv1a64().add_bytes(&d, sizeof d).value(),
              fnv1a64(std::string_view(reinterpret_cast<const char*>(&d), sizeof d)));
}

}  // namespace
}  // namespace perftrack::core
