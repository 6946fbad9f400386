// The stored text of the alert enums (store/store.hpp). These strings are in the database
// (CHECK constraints of migration 0002): never rename one.
#include "store/store.hpp"

namespace perftrack::store {

std::string_view to_string(AlertStatus status) {
    switch (status) {
        case AlertStatus::open:
            return "open";
        case AlertStatus::acknowledged:
            return "acknowledged";
        case AlertStatus::resolved:
            return "resolved";
    }
    return "open";
}

std::string_view to_string(AlertSource source) {
    switch (source) {
        case AlertSource::check:
            return "check";
        case AlertSource::change_point:
            return "change_point";
    }
    return "check";
}

std::string_view to_string(AlertResolution resolution) {
    switch (resolution) {
        case AlertResolution::manual:
            return "manual";
        case AlertResolution::recovered:
            return "recovered";
        case AlertResolution::baseline_reset:
            return "baseline_reset";
    }
    return "manual";
}

std::optional<AlertStatus> parse_alert_status(std::string_view text) {
    for (const auto s : {AlertStatus::open, AlertStatus::acknowledged, AlertStatus::resolved})
        if (to_string(s) == text) return s;
    return std::nullopt;
}

std::optional<AlertSource> parse_alert_source(std::string_view text) {
    for (const auto s : {AlertSource::check, AlertSource::change_point})
        if (to_string(s) == text) return s;
    return std::nullopt;
}

std::optional<AlertResolution> parse_alert_resolution(std::string_view text) {
    for (const auto r :
         {AlertResolution::manual, AlertResolution::recovered, AlertResolution::baseline_reset})
        if (to_string(r) == text) return r;
    return std::nullopt;
}

}  // namespace perftrack::store
