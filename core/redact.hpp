#pragma once
// Secrets (database passwords, webhook URLs, tokens) never appear in output or logs.

#include <string>
#include <string_view>
#include <vector>

namespace perftrack::core {

// A database URL or libpq keyword string with its password replaced by "***":
//   postgresql://user:secret@host/db  -> postgresql://user:***@host/db
//   host=h password=secret            -> host=h password=***
//   postgresql://h/db?password=secret -> postgresql://h/db?password=***
std::string redact_database_url(std::string_view url);

// Replaces every occurrence of each non-empty secret in `text` with "***" (for messages from
// libraries that may echo what they were given).
std::string redact_secrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace perftrack::core
