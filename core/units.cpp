#include "core/units.hpp"

namespace perftrack::core {

std::optional<double> ns_per_unit(std::string_view unit) {
    if (unit == "ns") return 1.0;
    if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1e3;  // us, µs, μs
    if (unit == "ms") return 1e6;
    if (unit == "s") return 1e9;
    if (unit == "ps") return 1e-3;
    if (unit == "min") return 60e9;
    return std::nullopt;
}

std::optional<double> ns_per_time_unit(std::string_view unit) {
    if (auto ns = ns_per_unit(unit)) return ns;
    if (unit.ends_with('s') && unit.size() > 3) unit.remove_suffix(1);  // plural
    if (unit == "nanosecond") return 1.0;
    if (unit == "microsecond") return 1e3;
    if (unit == "millisecond") return 1e6;
    if (unit == "second" || unit == "sec") return 1e9;
    if (unit == "minute" || unit == "min") return 60e9;
    return std::nullopt;
}

std::optional<double> bytes_per_unit(std::string_view unit) {
    if (unit == "B" || unit == "bytes") return 1.0;
    if (unit == "KB" || unit == "KiB" || unit == "kB") return 1024.0;
    if (unit == "MB" || unit == "MiB") return 1024.0 * 1024.0;
    if (unit == "GB" || unit == "GiB") return 1024.0 * 1024.0 * 1024.0;
    return std::nullopt;
}

}  // namespace perftrack::core
