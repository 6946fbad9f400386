// API tokens and public projects (perftrack serve, perftrack token, perftrack project).
#include "store/pg/pg_internal.hpp"
#include "store/pg/statements.hpp"

namespace perftrack::store::pg {

namespace {

std::optional<std::int64_t> optional_us(const pqxx::field& f) {
    if (f.is_null()) return std::nullopt;
    return f.as<std::int64_t>();
}

// Columns as k_token_columns lists them.
TokenInfo token_from_row(const pqxx::row& r) {
    TokenInfo t;
    t.id = r[0].as<std::int64_t>();
    t.project = r[1].as<std::string>();
    t.scope = parse_token_scope(r[2].as<std::string>()).value_or(TokenScope::read);
    t.prefix = r[3].as<std::string>();
    t.created_at_us = r[4].as<std::int64_t>();
    t.expires_at_us = optional_us(r[5]);
    t.revoked_at_us = optional_us(r[6]);
    return t;
}

}  // namespace

TokenInfo create_token(pqxx::connection& conn, const NewToken& token) {
    pqxx::work tx(conn);
    tx.exec_prepared(sql::k_project_insert, token.project);
    const auto project_id =
        tx.exec_prepared(sql::k_project_select, token.project)[0][0].as<std::int64_t>();
    const auto row =
        tx.exec_prepared1(sql::k_token_insert, project_id, std::string(to_string(token.scope)),
                          token.hash_hex, token.prefix, token.expires_at_us);
    tx.commit();
    return token_from_row(row);
}

std::optional<TokenInfo> find_token(pqxx::connection& conn, const std::string& hash_hex) {
    pqxx::read_transaction tx(conn);
    const auto r = tx.exec_prepared(sql::k_token_by_hash, hash_hex);
    tx.commit();
    if (r.empty()) return std::nullopt;
    return token_from_row(r[0]);
}

std::vector<TokenInfo> list_tokens(pqxx::connection& conn,
                                   const std::optional<std::string>& project) {
    pqxx::read_transaction tx(conn);
    const auto r = tx.exec_prepared(sql::k_token_list, project);
    tx.commit();
    std::vector<TokenInfo> out;
    for (const auto& row : r) out.push_back(token_from_row(row));
    return out;
}

bool revoke_token(pqxx::connection& conn, std::int64_t id) {
    pqxx::work tx(conn);
    const auto r = tx.exec_prepared(sql::k_token_revoke, id);
    tx.commit();
    return !r.empty();
}

std::optional<bool> project_public(pqxx::connection& conn, const std::string& project) {
    pqxx::read_transaction tx(conn);
    const auto r = tx.exec_prepared(sql::k_project_public, project);
    tx.commit();
    if (r.empty()) return std::nullopt;
    return r[0][0].as<bool>();
}

bool set_project_public(pqxx::connection& conn, const std::string& project, bool is_public) {
    pqxx::work tx(conn);
    const auto r = tx.exec_prepared(sql::k_project_set_public, project, is_public);
    tx.commit();
    return !r.empty();
}

}  // namespace perftrack::store::pg
