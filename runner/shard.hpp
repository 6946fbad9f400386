#pragma once
// Sharding a suite across CI jobs: `--shard I/N` runs the benchmarks whose name hashes to
// I-1 modulo N. The hash depends on nothing but the name's bytes, so every machine, run and
// shard agrees on the split without talking to each other, and the union of the N shards is
// the whole suite with no benchmark run twice.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace perftrack::runner {

struct Shard {
    std::uint32_t index = 1;  // 1-based, as written: "2/4" is index 2
    std::uint32_t count = 1;
    std::string text() const;  // "2/4"
};

// Parses "I/N" with 1 <= I <= N <= 10000. Errors (kind usage) quote the text.
core::Result<Shard> parse_shard(std::string_view text);

// 64-bit FNV-1a of the bytes followed by the SplitMix64 finaliser (FNV-1a alone leaves the low
// bits of similar names correlated, and the shard is taken modulo N). Fixed forever: changing
// it would move benchmarks between shards of runs that are meant to be merged.
std::uint64_t stable_name_hash(std::string_view name);

// True when `name` belongs to `shard`.
bool in_shard(std::string_view name, const Shard& shard);

// The names of `names` that belong to `shard`, in their original order.
std::vector<std::string> select_shard(const std::vector<std::string>& names, const Shard& shard);

}  // namespace perftrack::runner
