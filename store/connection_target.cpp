#include "store/connection_target.hpp"

#include <cstdlib>

#include <pwd.h>
#include <unistd.h>

namespace perftrack::store {

namespace {
std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}
}  // namespace

std::filesystem::path perftrack_home() {
    if (auto home = env("PERFTRACK_HOME")) return std::filesystem::absolute(*home);
    if (auto xdg = env("XDG_DATA_HOME")) return std::filesystem::path(*xdg) / "perftrack";
    std::string user_home;
    if (auto h = env("HOME")) {
        user_home = *h;
    } else if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr) {
        user_home = pw->pw_dir;
    } else {
        user_home = "/tmp";
    }
    return std::filesystem::path(user_home) / ".local" / "share" / "perftrack";
}

ConnectionTarget resolve_connection_target(const std::optional<std::string>& flag_db) {
    ConnectionTarget t;
    t.home = perftrack_home();
    if (flag_db && !flag_db->empty()) {
        t.url = *flag_db;
        t.source = "--db";
    } else if (auto v = env("PERFTRACK_DB")) {
        t.url = *v;
        t.source = "PERFTRACK_DB";
    } else if (auto d = env("DATABASE_URL")) {
        t.url = *d;
        t.source = "DATABASE_URL";
    } else {
        t.embedded = true;
        t.source = "embedded";
    }
    return t;
}

}  // namespace perftrack::store
