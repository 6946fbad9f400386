// The native format as an adapter, so `ingest --format perftrack` and auto-detection treat it
// like every other format. The parser itself lives in core (the spool uses it too).
#include "formats/perftrack_native.hpp"

#include "core/native_format.hpp"

namespace perftrack::formats {

bool sniff_perftrack(std::string_view text) {
    // A JSON object with "version" and "results" near the start.
    const auto head = text.substr(0, 4096);
    const auto brace = head.find_first_not_of(" \t\r\n");
    return brace != std::string_view::npos && head[brace] == '{' &&
           head.find("\"version\"") != std::string_view::npos &&
           head.find("\"results\"") != std::string_view::npos;
}

core::Result<core::RunResults> parse_perftrack(std::string_view text, std::string_view source,
                                               const AdapterOptions& /*options*/) {
    return core::parse_native(text, source);
}

}  // namespace perftrack::formats
