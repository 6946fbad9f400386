#pragma once
// Where `--server` points and with which token: the URL from --server, else $PERFTRACK_SERVER;
// the token from $PERFTRACK_TOKEN only (a flag would put it in `ps` output and shell history);
// a private CA's certificate from $PERFTRACK_SERVER_CA. The token is a secret: it is scrubbed
// from every message (scrub()), and describe() never contains it.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace perftrack::client {

struct ServerTarget {
    std::string base_url;  // scheme://host[:port][/prefix], no trailing '/', no /api/v1
    std::string token;     // empty: no Authorization header (a public project's reads)
    std::string ca_file;   // empty: the system's CA store

    // "http://127.0.0.1:8080" for messages (never the token).
    std::string describe() const { return base_url; }
    // The URL of an API v1 path ("/projects/p/runs?format=...").
    std::string api_url(std::string_view path_and_query) const;
    // `text` with the token replaced by "***".
    std::string scrub(std::string text) const;
};

// Reads one environment variable; nullopt when unset (tests pass their own).
using EnvGetter = std::optional<std::string> (*)(const char* name);
std::optional<std::string> process_getenv(const char* name);

// The target, or nullopt when neither --server nor $PERFTRACK_SERVER is set (or set empty).
// Errors (kind usage): a URL that is not http(s)://host..., that carries user:password@, a query
// or a fragment.
core::Result<std::optional<ServerTarget>> resolve_server_target(
    const std::optional<std::string>& flag, EnvGetter env = process_getenv);

// Percent-encodes one query value or path segment (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view text);

}  // namespace perftrack::client
