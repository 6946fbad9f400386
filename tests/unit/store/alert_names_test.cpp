// The stored text of the alert enums: the CHECK constraints of migration 0002 hold exactly
// these strings, so a rename would break every existing database.
#include <gtest/gtest.h>

#include "store/store.hpp"

namespace perftrack::store {
namespace {

TEST(AlertNames, StoredTextIsFixed) {
    EXPECT_EQ(to_string(AlertStatus::open), "open");
    EXPECT_EQ(to_string(AlertStatus::acknowledged), "acknowledged");
    EXPECT_EQ(to_string(AlertStatus::resolved), "resolved");
    EXPECT_EQ(to_string(AlertSource::check), "check");
    EXPECT_EQ(to_string(AlertSource::change_point), "change_point");
    EXPECT_EQ(to_string(AlertResolution::manual), "manual");
    EXPECT_EQ(to_string(AlertResolution::recovered), "recovered");
    EXPECT_EQ(to_string(AlertResolution::baseline_reset), "baseline_reset");
}

TEST(AlertNames, ParseIsTheInverseAndRefusesEverythingElse) {
    for (const auto s : {AlertStatus::open, AlertStatus::acknowledged, AlertStatus::resolved})
        EXPECT_EQ(parse_alert_status(to_string(s)), s);
    for (const auto s : {AlertSource::check, AlertSource::change_point})
        EXPECT_EQ(parse_alert_source(to_string(s)), s);
    for (const auto r :
         {AlertResolution::manual, AlertResolution::recovered, AlertResolution::baseline_reset})
        EXPECT_EQ(parse_alert_resolution(to_string(r)), r);
    for (const char* bad : {"", "Open", "OPEN", "open ", "closed", "changepoint"}) {
        EXPECT_FALSE(parse_alert_status(bad)) << bad;
        EXPECT_FALSE(parse_alert_source(bad)) << bad;
        EXPECT_FALSE(parse_alert_resolution(bad)) << bad;
    }
}

}  // namespace
}  // namespace perftrack::store
