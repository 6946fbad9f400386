#pragma once
// Rust libtest #[bench] output (`cargo bench` without criterion):
//   test name ... bench:       3,296 ns/iter (+/- 521)
#include <optional>

#include "formats/adapter.hpp"

namespace perftrack::formats {

bool sniff_cargo_bench(std::string_view text);
core::Result<core::RunResults> parse_cargo_bench(std::string_view text, std::string_view source,
                                                 const AdapterOptions& options);

// One libtest result line "test NAME ... bench: N UNIT/iter (+/- M)[ = X MB/s]", which criterion
// also prints with --output-format bencher.
struct LibtestBench {
    std::string name;
    double ns_per_iter = 0;
    std::optional<double> bytes_per_second;  // libtest's "= X MB/s" (b.bytes set)
};

// nullopt when `line` is not a libtest bench line; an input error naming the line when it is one
// with an unreadable value or unit.
core::Result<std::optional<LibtestBench>> parse_libtest_bench_line(std::string_view line,
                                                                   std::string_view source,
                                                                   std::size_t line_number);

}  // namespace perftrack::formats
