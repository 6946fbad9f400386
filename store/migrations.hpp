#pragma once
// The schema migrations compiled into the binary (store/migrations/NNNN_name.sql), in order.
// Forward only: a released migration is never edited; a change is a new file.

#include <span>
#include <string_view>

namespace perftrack::store {

struct Migration {
    int version;
    std::string_view file_name;
    std::string_view sql;
};

std::span<const Migration> migrations();

}  // namespace perftrack::store
