#pragma once
// The schema migrations compiled into the binary (store/migrations/NNNN_name.sql), in order.
// Forward only: a released migration's SQL is never edited; a change is a new file.

#include <span>
#include <string_view>

namespace perftrack::store {

struct Migration {
    int version;
    std::string_view file_name;
    std::string_view sql;
    // Declared in the file ("-- compatibility: additive" or "-- compatibility: breaking"):
    // additive means binaries that know only the versions before it can still use a database
    // migrated to it (it adds tables, nullable or defaulted columns, indexes), so a fleet of CI
    // machines keeps working while it is upgraded one by one (store/migrations/README.md).
    bool additive;
};

std::span<const Migration> migrations();

}  // namespace perftrack::store
