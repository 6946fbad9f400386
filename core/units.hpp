#pragma once
// Units: the canonical time unit is the nanosecond (adapters convert to it), bytes are "B".

#include <optional>
#include <string_view>

namespace perftrack::core {

// Factor that turns a value in `unit` into nanoseconds, or nullopt when `unit` is not a time
// unit symbol. Accepts ps, ns, us/µs/μs, ms, s, min: the symbols parsers convert to ns.
std::optional<double> ns_per_unit(std::string_view unit);

inline bool is_time_unit(std::string_view unit) {
    return ns_per_unit(unit).has_value();
}

// ns_per_unit, and also the spelled-out names asv and hand-written records use ("seconds",
// "sec", "milliseconds", "microseconds", "nanoseconds", "minutes", singular or plural). For
// showing values only: parsers keep such units as given, so a series stored with one keeps its
// identity.
std::optional<double> ns_per_time_unit(std::string_view unit);

// Factor that turns a value in `unit` into bytes (B, KB/KiB, MB/MiB, GB/GiB; the decimal
// spellings are read as binary, as memory tools report them), or nullopt.
std::optional<double> bytes_per_unit(std::string_view unit);

}  // namespace perftrack::core
