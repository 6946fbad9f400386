#pragma once
// Typed reads of the fields of perftrack's own JSON outputs (check, alerts), for the readers
// that turn them back into values (a server's reply, a file from an earlier job). A missing
// or mistyped field throws BadField, naming its path ("$.verdicts[3].ci: not [low, high]");
// each reader catches it at its one entry point and returns it as an Error.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace perftrack::reports::output::json_fields {

struct BadField : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using nlohmann::json;

const json& at(const json& object, const char* key, const std::string& path);
std::string text(const json& object, const char* key, const std::string& path);
std::optional<std::string> text_or_null(const json& object, const char* key,
                                        const std::string& path);
// A number; null reads as NaN (how the outputs write "no value").
double number(const json& value, const std::string& where);
double number(const json& object, const char* key, const std::string& path);
std::optional<double> number_or_null(const json& object, const char* key, const std::string& path);
std::size_t count(const json& object, const char* key, const std::string& path);
bool flag(const json& object, const char* key, const std::string& path);

}  // namespace perftrack::reports::output::json_fields
