#include "client/server_target.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "core/redact.hpp"

namespace perftrack::client {

namespace {

core::Result<std::string> checked_base_url(std::string url) {
    const auto bad = [&](std::string_view why) {
        return core::fail(core::ErrorKind::usage,
                          fmt::format("--server / PERFTRACK_SERVER: {}", why),
                          "expected http(s)://HOST[:PORT][/PREFIX], e.g. https://perf.example.com");
    };
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return bad("not a URL (no scheme://)");
    const std::string scheme = url.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https")
        return bad(fmt::format("scheme \"{}\" is not http or https", scheme));
    const auto host_begin = scheme_end + 3;
    const auto path_begin = url.find('/', host_begin);
    const std::string authority = url.substr(host_begin, path_begin - host_begin);
    if (authority.empty()) return bad("no host");
    // A password in the URL would be printed with every message; the token goes in
    // PERFTRACK_TOKEN instead. (The URL itself is not quoted, so it cannot leak from here.)
    if (authority.find('@') != std::string::npos)
        return bad("user or password in the URL; put the token in PERFTRACK_TOKEN");
    if (url.find_first_of("?#") != std::string::npos) return bad("a query or fragment in the URL");
    while (url.size() > host_begin && url.back() == '/') url.pop_back();
    // Accept the API's own base as well as the server's.
    constexpr std::string_view api = "/api/v1";
    if (url.size() >= api.size() && url.compare(url.size() - api.size(), api.size(), api) == 0)
        url.resize(url.size() - api.size());
    while (url.size() > host_begin && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

std::string ServerTarget::api_url(std::string_view path_and_query) const {
    return base_url + "/api/v1" + std::string(path_and_query);
}

std::string ServerTarget::scrub(std::string text) const {
    return core::redact_secrets(std::move(text), {token});
}

std::optional<std::string> process_getenv(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}

core::Result<std::optional<ServerTarget>> resolve_server_target(
    const std::optional<std::string>& flag, EnvGetter env) {
    std::optional<std::string> url = flag;
    if (!url) url = env("PERFTRACK_SERVER");
    if (!url || url->empty()) return std::optional<ServerTarget>();
    auto base = checked_base_url(*url);
    if (!base) return tl::unexpected(base.error());
    ServerTarget target;
    target.base_url = std::move(*base);
    target.token = env("PERFTRACK_TOKEN").value_or("");
    while (!target.token.empty() && (target.token.back() == '\n' || target.token.back() == '\r' ||
                                     target.token.back() == ' '))
        target.token.pop_back();  // `$(cat token-file)` and secrets stores add newlines
    target.ca_file = env("PERFTRACK_SERVER_CA").value_or("");
    return std::optional<ServerTarget>(std::move(target));
}

std::string url_encode(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += fmt::format("%{:02X}", u);
        }
    }
    return out;
}

}  // namespace perftrack::client
