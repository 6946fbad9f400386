#include "reports/output/json_fields.hpp"

#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace perftrack::reports::output::json_fields {

const json& at(const json& object, const char* key, const std::string& path) {
    if (!object.is_object()) throw BadField(fmt::format("{}: not an object", path));
    const auto it = object.find(key);
    if (it == object.end()) throw BadField(fmt::format("{}.{}: missing", path, key));
    return *it;
}

std::string text(const json& object, const char* key, const std::string& path) {
    const json& v = at(object, key, path);
    if (!v.is_string()) throw BadField(fmt::format("{}.{}: not a string", path, key));
    return v.get<std::string>();
}

std::optional<std::string> text_or_null(const json& object, const char* key,
                                        const std::string& path) {
    const json& v = at(object, key, path);
    if (v.is_null()) return std::nullopt;
    if (!v.is_string()) throw BadField(fmt::format("{}.{}: not a string or null", path, key));
    return v.get<std::string>();
}

double number(const json& value, const std::string& where) {
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!value.is_number()) throw BadField(fmt::format("{}: not a number or null", where));
    return value.get<double>();
}

double number(const json& object, const char* key, const std::string& path) {
    return number(at(object, key, path), path + "." + key);
}

std::optional<double> number_or_null(const json& object, const char* key, const std::string& path) {
    const json& v = at(object, key, path);
    if (v.is_null()) return std::nullopt;
    if (!v.is_number()) throw BadField(fmt::format("{}.{}: not a number", path, key));
    return v.get<double>();
}

std::size_t count(const json& object, const char* key, const std::string& path) {
    const json& v = at(object, key, path);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
        throw BadField(fmt::format("{}.{}: not a count", path, key));
    return v.get<std::size_t>();
}

bool flag(const json& object, const char* key, const std::string& path) {
    const json& v = at(object, key, path);
    if (!v.is_boolean()) throw BadField(fmt::format("{}.{}: not true or false", path, key));
    return v.get<bool>();
}

}  // namespace perftrack::reports::output::json_fields
