// The one list of adapters. Its order is the auto-detect order: formats with the most
// specific signatures first, so a loose sniffer never shadows a precise one.
#include <fmt/format.h>

#include "formats/adapter.hpp"
#include "formats/benchmarkdotnet.hpp"
#include "formats/bmf.hpp"
#include "formats/cargo_bench.hpp"
#include "formats/catch2.hpp"
#include "formats/criterion.hpp"
#include "formats/gab_json.hpp"
#include "formats/gbench.hpp"
#include "formats/gobench.hpp"
#include "formats/hyperfine.hpp"
#include "formats/jmh.hpp"
#include "formats/perftrack_native.hpp"
#include "formats/pytest_benchmark.hpp"
#include "formats/records.hpp"

namespace perftrack::formats {

namespace {
constexpr Adapter k_adapters[] = {
    {"perftrack", "perftrack's native JSON (version 1)", sniff_perftrack, parse_perftrack},
    {"gbench", "Google Benchmark JSON (--benchmark_format=json or --benchmark_out)", sniff_gbench,
     parse_gbench},
    {"pytest-benchmark", "pytest-benchmark JSON (--benchmark-json)", sniff_pytest_benchmark,
     parse_pytest_benchmark},
    {"benchmarkdotnet", "BenchmarkDotNet JSON exporter", sniff_benchmarkdotnet,
     parse_benchmarkdotnet},
    {"hyperfine", "hyperfine JSON (--export-json)", sniff_hyperfine, parse_hyperfine},
    {"jmh", "JMH JSON (-rf json)", sniff_jmh, parse_jmh},
    // Before bmf: estimates.json has the same three-level object shape.
    {"criterion", "Criterion.rs console output or target/criterion/**/estimates.json",
     sniff_criterion, parse_criterion},
    {"bmf", "Bencher Metric Format JSON", sniff_bmf, parse_bmf},
    {"gab-json", "github-action-benchmark customBiggerIsBetter/customSmallerIsBetter JSON",
     sniff_gab_json, parse_gab_json},
    {"catch2", "Catch2 XML reporter (-r xml) or console benchmark tables", sniff_catch2,
     parse_catch2},
    {"gobench", "go test -bench output", sniff_gobench, parse_gobench},
    // After criterion, which also accepts its --output-format bencher lines.
    {"cargo-bench", "Rust libtest #[bench] output (cargo bench)", sniff_cargo_bench,
     parse_cargo_bench},
    // Last: the loosest signature (any array of objects, or JSON lines).
    {"records", "flat JSON records: a JSON array of objects or JSON lines", sniff_records,
     parse_records},
};
}  // namespace

std::span<const Adapter> all_adapters() {
    return k_adapters;
}

const Adapter* find_adapter(std::string_view name) {
    for (const auto& a : k_adapters)
        if (a.name == name) return &a;
    return nullptr;
}

std::string adapter_names() {
    std::string out;
    for (const auto& a : k_adapters) {
        if (!out.empty()) out += ", ";
        out += a.name;
    }
    return out;
}

core::Result<core::RunResults> parse_results(std::string_view format, std::string_view text,
                                             std::string_view source,
                                             const AdapterOptions& options) {
    if (format == "auto") {
        for (const auto& a : k_adapters)
            if (a.sniff(text)) return a.parse(text, source, options);
        return core::fail(
            core::ErrorKind::input,
            fmt::format("{}: unrecognised result format (tried: {})", source, adapter_names()),
            "name the format with --format");
    }
    const Adapter* adapter = find_adapter(format);
    if (adapter == nullptr)
        return core::fail(
            core::ErrorKind::usage,
            fmt::format("unknown format \"{}\" (known: auto, {})", format, adapter_names()));
    return adapter->parse(text, source, options);
}

}  // namespace perftrack::formats
