// Sharding: the hash is fixed forever (pinned values), shards partition the names, and the split
// is reasonably even.
#include "runner/shard.hpp"

#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace perftrack::runner {
namespace {

TEST(Shard, ParsesAndRejects) {
    auto s = parse_shard("2/4");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->index, 2u);
    EXPECT_EQ(s->count, 4u);
    EXPECT_EQ(s->text(), "2/4");
    for (const char* bad :
         {"", "2", "0/4", "5/4", "a/4", "2/", "/4", "2/4/1", "-1/4", "1/0", "1/10001", " 1/2"}) {
        auto r = parse_shard(bad);
        EXPECT_FALSE(r) << bad;
        if (!r) {
            EXPECT_EQ(r.error().kind, core::ErrorKind::usage);
            EXPECT_NE(r.error().message.find(std::string("\"") + bad + "\""), std::string::npos);
        }
    }
}

TEST(Shard, HashIsPinned) {
    // These values must never change: shards of runs started by different perftrack versions
    // are merged into one run. Computed independently (Python) from the definition: FNV-1a 64,
    // then the SplitMix64 finaliser.
    EXPECT_EQ(stable_name_hash(""), 0xf52a15e9a9b5e89bull);
    EXPECT_EQ(stable_name_hash("BM_Sort/1024"), 0x1e102aba2ee7b2aeull);
    EXPECT_EQ(stable_name_hash("BM_Fill<int>"), 0xd1260d2b20dcd624ull);
}

TEST(Shard, ShardsPartitionTheNamesEvenly) {
    std::vector<std::string> names;
    for (int i = 0; i < 2000; ++i) names.push_back(fmt::format("BM_Case/{}", i));
    for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
        std::set<std::string> seen;
        for (std::uint32_t i = 1; i <= n; ++i) {
            const auto part = select_shard(names, Shard{i, n});
            // Within 20 % of an even share for 2000 similar names.
            EXPECT_NEAR(static_cast<double>(part.size()), 2000.0 / n, 0.2 * 2000.0 / n)
                << "shard " << i << "/" << n;
            for (const auto& name : part) EXPECT_TRUE(seen.insert(name).second) << name;
        }
        EXPECT_EQ(seen.size(), names.size()) << "every name is in exactly one of " << n;
    }
}

TEST(Shard, SelectionKeepsOrder) {
    const std::vector<std::string> names = {"c", "a", "b", "d", "e", "f"};
    const auto part = select_shard(names, Shard{1, 1});
    EXPECT_EQ(part, names);
}

}  // namespace
}  // namespace perftrack::runner
