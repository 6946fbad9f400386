#pragma once
// Which database a command talks to: --db, else $PERFTRACK_DB, else $DATABASE_URL, else the
// embedded local cluster under $PERFTRACK_HOME.

#include <filesystem>
#include <optional>
#include <string>

namespace perftrack::store {

struct ConnectionTarget {
    bool embedded = false;
    std::string url;             // libpq URL or keyword string; empty while embedded and unstarted
    std::string source;          // "--db", "PERFTRACK_DB", "DATABASE_URL" or "embedded"
    std::filesystem::path home;  // PERFTRACK_HOME (embedded cluster, spool)
};

// `flag_db` is the --db value when given.
ConnectionTarget resolve_connection_target(const std::optional<std::string>& flag_db);

// $PERFTRACK_HOME, else $XDG_DATA_HOME/perftrack, else ~/.local/share/perftrack.
std::filesystem::path perftrack_home();

}  // namespace perftrack::store
