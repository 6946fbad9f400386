#pragma once
// What must never appear in a message about a database connection (store/pg only).

#include <string>
#include <vector>

namespace perftrack::store::pg {

// The secrets of a libpq connection string (URL or keyword form), in the order to scrub them:
// the password as written in it (percent-encoded or quoted, found by core::password_ranges) and
// as libpq decodes it (PQconninfoParse: "p%40ss" is the password "p@ss"), longest first, then
// the whole string. A message that echoes the string then shows it with "***" for the
// password; one that quotes the decoded password alone is scrubbed too.
std::vector<std::string> connection_secrets(const std::string& conninfo);

}  // namespace perftrack::store::pg
