// Testbed fingerprint parsers on real file shapes, the ELF compiler note of a binary built in
// the test tree, and the machine warnings.
#include "runner/testbed.hpp"

#include <gtest/gtest.h>

namespace perftrack::runner {
namespace {

constexpr std::string_view k_cpuinfo =
    "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\ncpu MHz\t\t: "
    "2449.998\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\ncpu MHz\t\t: 2450.100\n";

TEST(Testbed, ParsesProcFiles) {
    EXPECT_EQ(cpu_model_from_cpuinfo(k_cpuinfo), "AMD EPYC 7B13");
    EXPECT_DOUBLE_EQ(cpu_mhz_from_cpuinfo(k_cpuinfo), 2449.998);
    EXPECT_EQ(cpu_model_from_cpuinfo("processor : 0\nModel : Raspberry Pi 4 Model B Rev 1.4\n"),
              "Raspberry Pi 4 Model B Rev 1.4");
    EXPECT_EQ(cpu_model_from_cpuinfo(""), "");
    EXPECT_EQ(memory_bytes_from_meminfo("MemTotal:       16318888 kB\nMemFree: 1 kB\n"),
              16318888ll * 1024);
    EXPECT_EQ(os_from_os_release("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 "
                                 "(bookworm)\"\nID=debian\n"),
              "Debian GNU/Linux 12 (bookworm)");
    EXPECT_EQ(os_from_os_release("PRETTY_NAME=Alpine\n"), "Alpine");
}

TEST(Testbed, ProbesThisMachine) {
    const TestbedFacts f = probe_testbed();
    EXPECT_GT(f.cores, 0);
    EXPECT_GT(f.memory_bytes, 0);
    EXPECT_FALSE(f.kernel.empty());
    EXPECT_FALSE(f.arch.empty());
    EXPECT_GE(f.load_average_1m, 0.0);
}

TEST(Testbed, ReadsTheCompilerFromElf) {
    const std::string c = elf_compiler_comment(RUSAGE_PROBE);
    EXPECT_NE(c.find("GCC: ("), std::string::npos) << c;
    EXPECT_EQ(elf_compiler_comment("/etc/os-release"), "") << "not ELF";
    EXPECT_EQ(elf_compiler_comment("/nonexistent"), "");
}

TEST(Testbed, FingerprintJoinsPrograms) {
    TestbedFacts m;
    m.cpu_model = "CPU X";
    m.cores = 8;
    m.cpu_mhz = 2999.6;
    m.memory_bytes = 1024;
    m.kernel = "6.1.0";
    m.arch = "x86_64";
    m.os = "Debian";
    ProgramFacts a{"GCC: 12", "release"};
    ProgramFacts b{"GCC: 12", "debug"};
    const auto f = testbed_fingerprint(m, {a, b, ProgramFacts{}});
    EXPECT_EQ(
        f.dump(),
        R"({"arch":"x86_64","benchmark_library_build":"debug; release","compiler":"GCC: 12",)"
        R"("cores":8,"cpu_mhz":3000,"cpu_model":"CPU X","kernel":"6.1.0","memory_bytes":1024,)"
        R"("os":"Debian"})");
    EXPECT_EQ(testbed_fingerprint(TestbedFacts{}, {}).dump(), "{}") << "unknown facts are left out";
}

TEST(Testbed, ReadsGoogleBenchmarkContext) {
    ProgramFacts f;
    read_gbench_context(
        nlohmann::json::parse(R"({"library_build_type":"debug","cpu_scaling_enabled":true})"), f);
    EXPECT_EQ(f.library_build_type, "debug");
    ProgramFacts g;
    read_gbench_context(nlohmann::json(), g);
    EXPECT_EQ(g.library_build_type, "");
}

TEST(Testbed, WarnsAboutScalingAndLoad) {
    TestbedFacts m;
    m.cores = 2;
    m.load_average_1m = 0.5;
    m.scaling_governors = {"performance"};
    EXPECT_TRUE(machine_warnings(m).empty());

    m.scaling_governors = {"performance", "powersave"};
    m.load_average_1m = 3.25;
    const auto w = machine_warnings(m);
    ASSERT_EQ(w.size(), 2u);
    EXPECT_EQ(w[0].kind, TestbedWarning::cpu_frequency_scaling);
    EXPECT_NE(w[0].message.find("governor performance; powersave"), std::string::npos)
        << w[0].message;
    EXPECT_NE(w[0].message.find("cpupower frequency-set --governor performance"),
              std::string::npos);
    EXPECT_EQ(w[1].kind, TestbedWarning::machine_busy);
    EXPECT_NE(w[1].message.find("load average 3.25 is above its 2 cores"), std::string::npos)
        << w[1].message;
}

}  // namespace
}  // namespace perftrack::runner
