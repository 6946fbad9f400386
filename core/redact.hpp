#pragma once
// Secrets (database passwords, webhook URLs, tokens) never appear in output or logs.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace perftrack::core {

// Where a database URL or libpq keyword string spells a password, as [begin, end) offsets of
// the text as written (still percent-encoded or quoted):
//   postgresql://user:SECRET@host/db,  postgresql://h/db?password=SECRET,  password=SECRET,
//   password='SECRET'. The decoded password is libpq's business: store/pg asks PQconninfoParse.
std::vector<std::pair<std::size_t, std::size_t>> password_ranges(std::string_view url);

// A database URL or libpq keyword string with its password replaced by "***":
//   postgresql://user:secret@host/db  -> postgresql://user:***@host/db
//   host=h password=secret            -> host=h password=***
//   postgresql://h/db?password=secret -> postgresql://h/db?password=***
std::string redact_database_url(std::string_view url);

// Replaces every occurrence of each non-empty secret in `text` with "***", in the order given
// (for messages from libraries that may echo what they were given).
std::string redact_secrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace perftrack::core
