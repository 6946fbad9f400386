// libFuzzer target for the native format's parser (core/native_format.cpp), which also reads
// the offline spool back.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/native_format.hpp"
#include "fuzz/fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace perftrack;
    constexpr std::string_view k_source = "fuzz.json";
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = core::parse_native(text, k_source);
    if (const std::string problem = fuzz::check_result(result, k_source); !problem.empty()) {
        std::fprintf(stderr, "native: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
