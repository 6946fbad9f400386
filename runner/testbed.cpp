#include "runner/testbed.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <elf.h>
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace perftrack::runner {

namespace {

// A .comment section larger than this is not a compiler note; it is not read.
constexpr std::uint64_t k_max_comment_bytes = 64 * 1024;

std::string read_small_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// The value of the first "key : value" line of a /proc file.
std::optional<std::string_view> proc_value(std::string_view text, std::string_view key) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        if (trim(line.substr(0, colon)) == key) return trim(line.substr(colon + 1));
    }
    return std::nullopt;
}

std::string join(const std::set<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += "; ";
        out += v;
    }
    return out;
}

}  // namespace

std::string cpu_model_from_cpuinfo(std::string_view cpuinfo) {
    if (auto v = proc_value(cpuinfo, "model name")) return std::string(*v);
    // ARM kernels have no "model name" line on every CPU.
    if (auto v = proc_value(cpuinfo, "Model")) return std::string(*v);
    return {};
}

double cpu_mhz_from_cpuinfo(std::string_view cpuinfo) {
    auto v = proc_value(cpuinfo, "cpu MHz");
    if (!v) return 0;
    return std::strtod(std::string(*v).c_str(), nullptr);
}

std::int64_t memory_bytes_from_meminfo(std::string_view meminfo) {
    auto v = proc_value(meminfo, "MemTotal");  // "16318888 kB"
    if (!v) return 0;
    return std::strtoll(std::string(*v).c_str(), nullptr, 10) * 1024;
}

std::string os_from_os_release(std::string_view os_release) {
    std::size_t pos = 0;
    while (pos < os_release.size()) {
        const auto end = std::min(os_release.find('\n', pos), os_release.size());
        std::string_view line = os_release.substr(pos, end - pos);
        pos = end + 1;
        if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
        line.remove_prefix(std::strlen("PRETTY_NAME="));
        if (line.size() >= 2 && (line.front() == '"' || line.front() == '\'') &&
            line.back() == line.front())
            line = line.substr(1, line.size() - 2);
        return std::string(line);
    }
    return {};
}

TestbedFacts probe_testbed() {
    TestbedFacts f;
    const std::string cpuinfo = read_small_file("/proc/cpuinfo");
    f.cpu_model = cpu_model_from_cpuinfo(cpuinfo);
    f.cpu_mhz = cpu_mhz_from_cpuinfo(cpuinfo);
    f.cores = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
    f.memory_bytes = memory_bytes_from_meminfo(read_small_file("/proc/meminfo"));
    utsname u{};
    if (::uname(&u) == 0) {
        f.kernel = u.release;
        f.arch = u.machine;
    }
    f.os = os_from_os_release(read_small_file("/etc/os-release"));
    std::set<std::string> governors;
    for (int cpu = 0; cpu < std::max(f.cores, 1); ++cpu) {
        const std::string g(trim(read_small_file(
            fmt::format("/sys/devices/system/cpu/cpu{}/cpufreq/scaling_governor", cpu))));
        if (!g.empty()) governors.insert(g);
    }
    f.scaling_governors.assign(governors.begin(), governors.end());
    double load[1];
    if (::getloadavg(load, 1) == 1) f.load_average_1m = load[0];
    return f;
}

std::string elf_compiler_comment(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    Elf64_Ehdr header{};
    if (!in.read(reinterpret_cast<char*>(&header), sizeof header)) return {};
    // 64-bit little-endian ELF only: what perftrack runs on. Anything else has no compiler note.
    if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB ||
        header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0 ||
        header.e_shstrndx >= header.e_shnum)
        return {};
    std::vector<Elf64_Shdr> sections(header.e_shnum);
    in.seekg(static_cast<std::streamoff>(header.e_shoff));
    if (!in.read(reinterpret_cast<char*>(sections.data()),
                 static_cast<std::streamsize>(sections.size() * sizeof(Elf64_Shdr))))
        return {};
    const auto read_section = [&](const Elf64_Shdr& s) -> std::string {
        if (s.sh_type == SHT_NOBITS || s.sh_size > k_max_comment_bytes) return {};
        std::string data(s.sh_size, '\0');
        in.seekg(static_cast<std::streamoff>(s.sh_offset));
        if (!in.read(data.data(), static_cast<std::streamsize>(data.size()))) return {};
        return data;
    };
    const Elf64_Shdr& names_section = sections[header.e_shstrndx];
    if (names_section.sh_size > 1024 * 1024) return {};
    std::string names(names_section.sh_size, '\0');
    in.seekg(static_cast<std::streamoff>(names_section.sh_offset));
    if (!in.read(names.data(), static_cast<std::streamsize>(names.size()))) return {};
    for (const auto& s : sections) {
        if (s.sh_name >= names.size() || std::strcmp(names.c_str() + s.sh_name, ".comment") != 0)
            continue;
        const std::string data = read_section(s);
        std::set<std::string> entries;
        std::size_t pos = 0;
        while (pos < data.size()) {
            const auto end = std::min(data.find('\0', pos), data.size());
            const std::string_view entry = trim(std::string_view(data).substr(pos, end - pos));
            if (!entry.empty()) entries.emplace(entry);
            pos = end + 1;
        }
        return join(entries);
    }
    return {};
}

void read_gbench_context(const nlohmann::json& context, ProgramFacts& facts) {
    if (!context.is_object()) return;
    if (auto it = context.find("library_build_type"); it != context.end() && it->is_string())
        facts.library_build_type = it->get<std::string>();
}

nlohmann::json testbed_fingerprint(const TestbedFacts& m,
                                   const std::vector<ProgramFacts>& programs) {
    nlohmann::json f = nlohmann::json::object();
    if (!m.cpu_model.empty()) f["cpu_model"] = m.cpu_model;
    if (m.cores > 0) f["cores"] = m.cores;
    if (m.cpu_mhz > 0) f["cpu_mhz"] = static_cast<std::int64_t>(m.cpu_mhz + 0.5);
    if (m.memory_bytes > 0) f["memory_bytes"] = m.memory_bytes;
    if (!m.kernel.empty()) f["kernel"] = m.kernel;
    if (!m.arch.empty()) f["arch"] = m.arch;
    if (!m.os.empty()) f["os"] = m.os;
    std::set<std::string> compilers, build_types;
    for (const auto& p : programs) {
        if (!p.compiler.empty()) compilers.insert(p.compiler);
        if (!p.library_build_type.empty()) build_types.insert(p.library_build_type);
    }
    if (!compilers.empty()) f["compiler"] = join(compilers);
    if (!build_types.empty()) f["benchmark_library_build"] = join(build_types);
    return f;
}

std::vector<Warning> machine_warnings(const TestbedFacts& m) {
    std::vector<Warning> out;
    const bool scaling = std::any_of(m.scaling_governors.begin(), m.scaling_governors.end(),
                                     [](const std::string& g) { return g != "performance"; });
    if (scaling) {
        std::set<std::string> governors(m.scaling_governors.begin(), m.scaling_governors.end());
        out.push_back({TestbedWarning::cpu_frequency_scaling,
                       fmt::format("CPU frequency scaling is on (governor {}): the clock speed "
                                   "changes under load, so timings drift between runs. Set the "
                                   "performance governor (sudo cpupower frequency-set --governor "
                                   "performance) or use a runner with a fixed clock",
                                   join(governors))});
    }
    if (m.cores > 0 && m.load_average_1m > static_cast<double>(m.cores)) {
        out.push_back({TestbedWarning::machine_busy,
                       fmt::format("the machine is busy: load average {:.2f} is above its {} "
                                   "cores, so other work competes with the benchmarks and "
                                   "timings are inflated. Run on an idle or dedicated runner",
                                   m.load_average_1m, m.cores)});
    }
    return out;
}

}  // namespace perftrack::runner
