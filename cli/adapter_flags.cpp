#include "cli/adapter_flags.hpp"

#include <fmt/format.h>

#include "cli/value_parsers.hpp"

namespace perftrack::cli {

void add_adapter_flags(CLI::App& command, AdapterFlags& flags, std::string_view of_what,
                       bool with_metric) {
    command.add_option("--direction", flags.directions,
                       "NAME=higher|lower: direction of a user counter or custom metric "
                       "(repeatable)");
    if (with_metric)
        command.add_option("--metric", flags.metrics,
                           fmt::format("NAME=UNIT:DIRECTION: unit and direction of a metric{} "
                                       "(records format)",
                                       of_what));
    command.add_option("--params", flags.params,
                       fmt::format("Comma-separated fields{} that become params (records "
                                   "format), e.g. framework,mode,model,batch_size",
                                   of_what));
    command.add_option("--ignore-fields", flags.ignore_fields,
                       fmt::format("Comma-separated fields{} that are neither params nor "
                                   "metrics (records format)",
                                   of_what));
}

core::Result<formats::AdapterOptions> adapter_options(const AdapterFlags& flags,
                                                      formats::AdapterOptions base) {
    for (const auto& d : flags.directions) {
        auto parsed = parse_direction_override(d);
        if (!parsed) return tl::unexpected(parsed.error());
        base.directions[parsed->first] = parsed->second;
    }
    for (const auto& m : flags.metrics) {
        auto parsed = parse_metric_override(m);
        if (!parsed) return tl::unexpected(parsed.error());
        base.metrics[parsed->first] = parsed->second;
    }
    base.param_fields = split_list(flags.params);
    base.ignored_fields = split_list(flags.ignore_fields);
    return base;
}

}  // namespace perftrack::cli
