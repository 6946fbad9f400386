// The stored text of TokenScope (store/store.hpp). These strings are in the database (CHECK
// constraint of migration 0003): never rename one.
#include "store/store.hpp"

namespace perftrack::store {

std::string_view to_string(TokenScope scope) {
    switch (scope) {
        case TokenScope::ingest:
            return "ingest";
        case TokenScope::read:
            return "read";
        case TokenScope::admin:
            return "admin";
    }
    return "read";
}

std::optional<TokenScope> parse_token_scope(std::string_view text) {
    if (text == "ingest") return TokenScope::ingest;
    if (text == "read") return TokenScope::read;
    if (text == "admin") return TokenScope::admin;
    return std::nullopt;
}

}  // namespace perftrack::store
