// Where the embedded cluster lives. A relocated cluster's directory name is an identity on disk
// (and initdb wrote its socket directory into postgresql.conf), so it must not change between
// releases.
#include "store/embedded/local_cluster.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace perftrack::store {
namespace {

TEST(LocalCluster, ARelocatedClusterKeepsTheDirectoryEarlierReleasesChose) {
    struct stat root_home {};
    if (::getuid() != 0 || ::stat("/root", &root_home) != 0 || (root_home.st_mode & S_IXOTH) != 0)
        GTEST_SKIP() << "needs root and a /root the postgres account cannot enter";
    auto layout = LocalCluster("/root/perftrack-home").layout();
    ASSERT_TRUE(layout) << layout.error().message;
    EXPECT_TRUE(layout->relocated);
    // 64-bit FNV-1a of the path with the legacy offset basis (core/fnv1a.hpp), first 12 digits.
    EXPECT_EQ(layout->cluster_dir, "/var/lib/perftrack/clusters/dc4daec75543");
    EXPECT_EQ(layout->socket_dir, "/var/lib/perftrack/clusters/dc4daec75543/run");
}

TEST(LocalCluster, AHomeTheServerCanEnterHoldsTheCluster) {
    auto layout = LocalCluster("/tmp/perftrack-home-test").layout();
    ASSERT_TRUE(layout) << layout.error().message;
    EXPECT_FALSE(layout->relocated);
    EXPECT_EQ(layout->cluster_dir, "/tmp/perftrack-home-test/pg");
    EXPECT_EQ(layout->data_dir, "/tmp/perftrack-home-test/pg/data");
}

}  // namespace
}  // namespace perftrack::store
