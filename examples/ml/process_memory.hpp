#pragma once
// Peak resident memory of this process, per benchmark. The kernel keeps one high-water mark
// (VmHWM in /proc/self/status) for the whole process; writing "5" to /proc/self/clear_refs
// (Linux 4.0+) lowers it to the current resident size, so a benchmark that resets it first and
// reads it last sees its own peak, not that of whatever ran before it.

#include <cstdint>
#include <optional>

namespace perftrack::examples::ml {

// Returns the heap's free memory to the kernel (malloc_trim), so the new mark does not start
// from what earlier benchmarks freed but glibc kept, then resets the high-water mark to the
// current resident size. False when /proc/self/clear_refs
// cannot be written (older kernels, a read-only /proc): the mark then covers the process's
// whole life and must not be reported as one benchmark's peak.
bool reset_peak_resident();

// The high-water mark of resident memory (VmHWM) in bytes, or nullopt when /proc/self/status
// cannot be read or has no VmHWM line.
std::optional<std::int64_t> peak_resident_bytes();

}  // namespace perftrack::examples::ml
