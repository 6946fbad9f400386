#pragma once
// Where a run happened: the testbed fingerprint stored with it (CPU model, cores, clock, memory,
// kernel, OS, compiler, benchmark library build), and the loud warnings about conditions that
// make numbers meaningless (CPU frequency scaling, a debug build of the benchmark library, a
// machine already busy with other work).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace perftrack::runner {

// What the machine says about itself. Unknown values stay empty / zero / negative.
struct TestbedFacts {
    std::string cpu_model;
    int cores = 0;       // online logical CPUs
    double cpu_mhz = 0;  // as /proc/cpuinfo reports it (first CPU)
    std::int64_t memory_bytes = 0;
    std::string kernel;                          // uname release
    std::string arch;                            // uname machine
    std::string os;                              // PRETTY_NAME of /etc/os-release
    std::vector<std::string> scaling_governors;  // distinct cpufreq governors; empty: no cpufreq
    double load_average_1m = -1;
};

// Reads /proc, /sys, uname and getloadavg.
TestbedFacts probe_testbed();

// Parsers of the files probe_testbed reads (pure, for tests).
std::string cpu_model_from_cpuinfo(std::string_view cpuinfo);
double cpu_mhz_from_cpuinfo(std::string_view cpuinfo);
std::int64_t memory_bytes_from_meminfo(std::string_view meminfo);
std::string os_from_os_release(std::string_view os_release);

// What one benchmark program says about its build.
struct ProgramFacts {
    std::string compiler;  // from the ELF .comment section, e.g. "GCC: (Debian ...) 12.2.0"
    std::string library_build_type;  // Google Benchmark's context.library_build_type
};

// The compiler identification strings of an ELF file's .comment section, distinct ones joined
// with "; ". Empty when the file is not ELF or has no such section (a script, a stripped binary).
std::string elf_compiler_comment(const std::filesystem::path& file);

// Fills library_build_type from a Google Benchmark JSON "context" (the scaling the library saw
// is warned about by the gbench adapter).
void read_gbench_context(const nlohmann::json& context, ProgramFacts& facts);

// The fingerprint stored with the testbed: facts of the machine plus, when all programs agree,
// their compiler and library build type (differing values are joined with "; ").
nlohmann::json testbed_fingerprint(const TestbedFacts& machine,
                                   const std::vector<ProgramFacts>& programs);

// The machine's own problems. What the benchmark library reports about itself (a debug build,
// scaling it saw) comes as warnings from the gbench adapter.
enum class TestbedWarning {
    cpu_frequency_scaling,
    machine_busy,
};

struct Warning {
    TestbedWarning kind;
    std::string message;  // what is wrong and what to do about it
};

// Warnings about the machine before the benchmarks run (scaling governor, load average).
std::vector<Warning> machine_warnings(const TestbedFacts& machine);

}  // namespace perftrack::runner
