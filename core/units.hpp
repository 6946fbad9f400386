#pragma once
// Units: the canonical time unit is the nanosecond (adapters convert to it), bytes are "B".

#include <optional>
#include <string_view>

namespace perftrack::core {

// Factor that turns a value in `unit` into nanoseconds, or nullopt when `unit` is not a time
// unit. Accepts ps, ns, us/µs/μs, ms, s, min.
std::optional<double> ns_per_unit(std::string_view unit);

inline bool is_time_unit(std::string_view unit) { return ns_per_unit(unit).has_value(); }

// Factor that turns a value in `unit` into bytes (B, KB/KiB, MB/MiB, GB/GiB; the decimal
// spellings are read as binary, as memory tools report them), or nullopt.
std::optional<double> bytes_per_unit(std::string_view unit);

}  // namespace perftrack::core
