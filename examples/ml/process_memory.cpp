#include "examples/ml/process_memory.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <malloc.h>

namespace perftrack::examples::ml {

namespace {
// proc(5): "5" resets the peak resident set size ("high water mark") to the current size.
constexpr const char* k_reset_peak_rss = "5";
constexpr std::int64_t k_bytes_per_kib = 1024;
}  // namespace

bool reset_peak_resident() {
    ::malloc_trim(0);
    std::ofstream clear_refs("/proc/self/clear_refs");
    if (!clear_refs) return false;
    clear_refs << k_reset_peak_rss;
    clear_refs.flush();
    return static_cast<bool>(clear_refs);
}

std::optional<std::int64_t> peak_resident_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        // "VmHWM:\t  123456 kB"
        if (line.rfind("VmHWM:", 0) != 0) continue;
        std::istringstream fields(line.substr(6));
        std::int64_t kib = 0;
        std::string unit;
        if (!(fields >> kib >> unit) || unit != "kB") return std::nullopt;
        return kib * k_bytes_per_kib;
    }
    return std::nullopt;
}

}  // namespace perftrack::examples::ml
