#pragma once
// --direction, --metric, --params and --ignore-fields: how `ingest`, `run` and `compare` tell a
// format's parser what it cannot know (a custom metric's direction and unit, which fields of a
// records file are params). Declared and parsed here once so the three commands agree.

#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "formats/adapter.hpp"

namespace perftrack::cli {

struct AdapterFlags {
    std::vector<std::string> directions;  // NAME=higher|lower
    std::vector<std::string> metrics;     // NAME=unit:direction (formats without units)
    std::string params;                   // a,b,c: fields that become params (records)
    std::string ignore_fields;            // a,b: fields that are neither (records)
};

// `of_what` names the input in the help texts (" of --results" for run, empty otherwise).
// Without `with_metric`, --metric is left to the command (compare uses it to select metrics).
void add_adapter_flags(CLI::App& command, AdapterFlags& flags, std::string_view of_what,
                       bool with_metric = true);

// The flags as the parsers' options, over `base`; a bad value is a usage error (exit 2).
core::Result<formats::AdapterOptions> adapter_options(const AdapterFlags& flags,
                                                      formats::AdapterOptions base = {});

}  // namespace perftrack::cli
