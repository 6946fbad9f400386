#pragma once
// Messages to the user. Results go to stdout; errors, warnings and notes to stderr, prefixed
// so they are easy to grep in CI logs.

#include <string_view>

#include "core/error.hpp"

namespace perftrack::cli {

void print_error(const core::Error& error);
void print_error(std::string_view message, std::string_view hint = {});
void print_warning(std::string_view message);
void print_note(std::string_view message);

}  // namespace perftrack::cli
