// libFuzzer target for one adapter, chosen at build time (PERFTRACK_FUZZ_FORMAT): runs its
// sniffer and its parser on the input and aborts when fuzz_checks.hpp finds the result
// unacceptable, so every such input becomes a crash report with the input saved.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "formats/adapter.hpp"
#include "fuzz/fuzz_checks.hpp"

namespace {

// criterion's estimates.json takes the benchmark's name from its path.
constexpr std::string_view k_source = "target/criterion/fuzz/new/estimates.json";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace perftrack;
    static const formats::Adapter* adapter = formats::find_adapter(PERFTRACK_FUZZ_FORMAT);
    if (adapter == nullptr) {
        std::fprintf(stderr, "no adapter named %s\n", PERFTRACK_FUZZ_FORMAT);
        std::abort();
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)adapter->sniff(text);
    const auto result = adapter->parse(text, k_source, formats::AdapterOptions{});
    if (const std::string problem = fuzz::check_result(result, k_source); !problem.empty()) {
        std::fprintf(stderr, "%s: %s\n", PERFTRACK_FUZZ_FORMAT, problem.c_str());
        std::abort();
    }
    return 0;
}
