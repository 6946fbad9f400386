#pragma once
// An adapter turns one tool's output into the result model. Each lives in its own file
// (formats/<tool>.cpp), does no I/O, no database work and no printing, and is listed
// once in registry.cpp, whose order is the auto-detect order.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"

namespace perftrack::formats {

// --metric NAME=unit:direction (records adapter and friends).
struct MetricOverride {
    std::optional<std::string> unit;
    std::optional<core::Direction> direction;
};

struct AdapterOptions {
    // --direction NAME=higher|lower: direction of user counters / custom metrics by name.
    std::map<std::string, core::Direction> directions;
    // --metric NAME=unit:direction
    std::map<std::string, MetricOverride> metrics;
    // --params a,b,c (records adapter): fields that become params. Empty: the adapter's default.
    std::vector<std::string> param_fields;
    // --ignore-fields a,b (records adapter): fields that are neither params nor metrics, such as
    // an iteration count that varies from run to run.
    std::vector<std::string> ignored_fields;
    // Suite name to record when the format has none (e.g. the benchmark binary's name).
    std::string suite;
};

struct Adapter {
    std::string_view name;         // the --format value, e.g. "gbench"
    std::string_view description;  // one line for --help and for "auto" error messages
    // True when `text` looks like this format. Cheap; looks at the start of the text.
    bool (*sniff)(std::string_view text);
    // Parses the whole text. Errors (kind input) name `source`, the place and the problem.
    core::Result<core::RunResults> (*parse)(std::string_view text, std::string_view source,
                                            const AdapterOptions& options);
};

// Every adapter, in auto-detect order.
std::span<const Adapter> all_adapters();

// nullptr when no adapter has this name.
const Adapter* find_adapter(std::string_view name);

// Parses `text` as `format`; "auto" picks the first adapter whose sniff() accepts the text and
// fails (exit 2) listing the formats it tried when none does.
core::Result<core::RunResults> parse_results(std::string_view format, std::string_view text,
                                             std::string_view source,
                                             const AdapterOptions& options);

// "perftrack, gbench, ..." for help texts and errors.
std::string adapter_names();

}  // namespace perftrack::formats
