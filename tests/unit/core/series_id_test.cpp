#include "core/series_id.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace perftrack::core {
namespace {

SeriesId sort_series(Params params = {{"n", 1024}}) {
    return {"core", "BM_Sort", std::move(params), "real_time", "ns", Direction::lower};
}

TEST(SeriesId, KeyIsTheFiveIdentityFieldsJoinedByUnitSeparators) {
    // Stored part keys hash this text: it must never change.
    EXPECT_EQ(sort_series().key(),
              "core\x1f"
              "BM_Sort\x1f{\"n\":1024}\x1freal_time\x1fns");
    EXPECT_EQ(sort_series().key(),
              series_key("core", "BM_Sort", "{\"n\":1024}", "real_time", "ns"));
    EXPECT_EQ((SeriesId{"", "b", Params::object(), "m", "", Direction::higher}).key(),
              "\x1f"
              "b\x1f{}\x1fm\x1f");
}

TEST(SeriesId, DirectionIsNotPartOfTheIdentity) {
    SeriesId higher = sort_series();
    higher.direction = Direction::higher;
    EXPECT_EQ(higher, sort_series());
    EXPECT_EQ(higher.key(), sort_series().key());
}

TEST(SeriesId, EveryIdentityFieldTellsSeriesApart) {
    const SeriesId base = sort_series();
    for (auto change : std::vector<void (*)(SeriesId&)>{
             [](SeriesId& s) { s.suite = "other"; },
             [](SeriesId& s) { s.benchmark = "BM_Sort2"; },
             [](SeriesId& s) { s.params["n"] = 2048; },
             [](SeriesId& s) { s.metric = "cpu_time"; },
             [](SeriesId& s) { s.unit = "ms"; },
         }) {
        SeriesId other = base;
        change(other);
        EXPECT_NE(other, base);
        EXPECT_NE(other.key(), base.key());
        EXPECT_TRUE(other < base || base < other);
    }
}

TEST(SeriesId, IntegerAndFloatParamsAreDifferentSeries) {
    // nlohmann's == calls 32 and 32.0 equal; their canonical texts, and so their rows, differ.
    const SeriesId as_int = sort_series({{"n", 32}});
    const SeriesId as_float = sort_series({{"n", 32.0}});
    EXPECT_NE(as_int, as_float);
    EXPECT_NE(as_int.key(), as_float.key());
}

TEST(SeriesId, OrdersBySuiteBenchmarkParamsMetricUnit) {
    std::vector<SeriesId> ids = {
        {"b", "a", Params::object(), "m", "ns", Direction::lower},
        {"a", "z", Params::object(), "m", "ns", Direction::lower},
        {"a", "y", {{"k", 2}}, "m", "ns", Direction::lower},
        {"a", "y", {{"k", 1}}, "z", "ns", Direction::lower},
        {"a", "y", {{"k", 1}}, "m", "us", Direction::lower},
        {"a", "y", {{"k", 1}}, "m", "ns", Direction::lower},
    };
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids[0].unit, "ns");
    EXPECT_EQ(ids[1].unit, "us");
    EXPECT_EQ(ids[2].metric, "z");
    EXPECT_EQ(ids[3].params["k"], 2);
    EXPECT_EQ(ids[4].benchmark, "z");
    EXPECT_EQ(ids[5].suite, "b");
}

TEST(SeriesId, IsWorseFollowsTheDirection) {
    EXPECT_TRUE(is_worse(Direction::lower, 0.1));
    EXPECT_FALSE(is_worse(Direction::lower, -0.1));
    EXPECT_TRUE(is_worse(Direction::higher, -5));
    EXPECT_FALSE(is_worse(Direction::higher, 5));
    EXPECT_FALSE(is_worse(Direction::lower, 0));
    EXPECT_FALSE(is_worse(Direction::higher, 0));
    EXPECT_FALSE(is_worse(Direction::lower, std::numeric_limits<double>::quiet_NaN()));
}

TEST(SeriesId, DirectionTextRoundTrips) {
    EXPECT_EQ(parse_direction(to_string(Direction::lower)), Direction::lower);
    EXPECT_EQ(parse_direction(to_string(Direction::higher)), Direction::higher);
    EXPECT_EQ(parse_direction("bigger"), Direction::higher);
    EXPECT_FALSE(parse_direction("up"));
}

}  // namespace
}  // namespace perftrack::core
