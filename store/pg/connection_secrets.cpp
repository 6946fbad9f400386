#include "store/pg/connection_secrets.hpp"

#include <algorithm>
#include <memory>
#include <string_view>

#include <libpq-fe.h>

#include "core/redact.hpp"

namespace perftrack::store::pg {

std::vector<std::string> connection_secrets(const std::string& conninfo) {
    std::vector<std::string> passwords;
    for (const auto& [begin, end] : core::password_ranges(conninfo))
        passwords.push_back(conninfo.substr(begin, end - begin));
    char* parse_error = nullptr;
    const std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(conninfo.c_str(), &parse_error), &PQconninfoFree);
    if (parse_error != nullptr) PQfreemem(parse_error);
    if (options) {
        for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o)
            if (std::string_view(o->keyword) == "password" && o->val != nullptr && *o->val != '\0')
                passwords.emplace_back(o->val);
    }
    // Longest first: a form that contains another is scrubbed whole.
    std::stable_sort(
        passwords.begin(), passwords.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    passwords.erase(std::unique(passwords.begin(), passwords.end()), passwords.end());
    passwords.push_back(conninfo);
    return passwords;
}

}  // namespace perftrack::store::pg
