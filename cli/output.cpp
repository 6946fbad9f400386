#include "cli/output.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace perftrack::cli {

void print_error(std::string_view message, std::string_view hint) {
    fmt::print(stderr, "perftrack: error: {}\n", message);
    if (!hint.empty()) fmt::print(stderr, "hint: {}\n", hint);
    std::fflush(stderr);
}

void print_error(const core::Error& error) {
    print_error(error.message, error.hint);
}

void print_warning(std::string_view message) {
    fmt::print(stderr, "perftrack: warning: {}\n", message);
}

void print_note(std::string_view message) {
    fmt::print(stderr, "perftrack: note: {}\n", message);
}

}  // namespace perftrack::cli
