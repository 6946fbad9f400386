// The one list of adapters. Its order is the auto-detect order: formats with the most
// specific signatures first, so a loose sniffer never shadows a precise one.
#include <fmt/format.h>

#include "runner/adapters/adapter.hpp"
#include "runner/adapters/gbench.hpp"
#include "runner/adapters/perftrack_native.hpp"

namespace perftrack::runner::adapters {

namespace {
constexpr Adapter k_adapters[] = {
    {"perftrack", "perftrack's native JSON (version 1)", sniff_perftrack, parse_perftrack},
    {"gbench", "Google Benchmark JSON (--benchmark_format=json or --benchmark_out)", sniff_gbench,
     parse_gbench},
};
}  // namespace

std::span<const Adapter> all_adapters() { return k_adapters; }

const Adapter* find_adapter(std::string_view name) {
    for (const auto& a : k_adapters)
        if (a.name == name) return &a;
    return nullptr;
}

std::string adapter_names() {
    std::string out;
    for (const auto& a : k_adapters) {
        if (!out.empty()) out += ", ";
        out += a.name;
    }
    return out;
}

core::Result<core::RunResults> parse_results(std::string_view format, std::string_view text,
                                             std::string_view source,
                                             const AdapterOptions& options) {
    if (format == "auto") {
        for (const auto& a : k_adapters)
            if (a.sniff(text)) return a.parse(text, source, options);
        return core::fail(core::ErrorKind::input,
                          fmt::format("{}: unrecognised result format (tried: {})", source,
                                      adapter_names()),
                          "name the format with --format");
    }
    const Adapter* adapter = find_adapter(format);
    if (adapter == nullptr)
        return core::fail(core::ErrorKind::usage,
                          fmt::format("unknown format \"{}\" (known: auto, {})", format,
                                      adapter_names()));
    return adapter->parse(text, source, options);
}

}  // namespace perftrack::runner::adapters
